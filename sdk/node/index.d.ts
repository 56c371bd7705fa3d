import * as types from './types';

// require('@builde2e/sdk') is the default object itself; the namespace adds the type names to it.
declare const BuildE2E: types.BuildE2E;
declare namespace BuildE2E {
  export type Language = types.Language;
  export type ExecuteRequest = types.ExecuteRequest;
  export type ExecutionStatus = types.ExecutionStatus;
  export type ExecuteResult = types.ExecuteResult;
  export type ClientOptions = types.ClientOptions;
  export type Client = types.Client;
  export type SandboxError = types.SandboxError;
  export type AuthenticationError = types.AuthenticationError;
  export type ValidationError = types.ValidationError;
  export type RetryLaterError = types.RetryLaterError;
  export type RateLimitError = types.RateLimitError;
  export type ServiceUnavailableError = types.ServiceUnavailableError;
  export type ConnectionError = types.ConnectionError;
  export type TimeoutError = types.TimeoutError;
}
export = BuildE2E;
