// The ES module entry re-exports the CommonJS implementation, so both module systems share one configuration and
// one set of error classes (instanceof works whichever way the error was loaded).
import BuildE2E from './index.js';

export default BuildE2E;
export const {
  Client,
  DEFAULT_BASE_URL,
  SandboxError,
  AuthenticationError,
  ValidationError,
  RetryLaterError,
  RateLimitError,
  ServiceUnavailableError,
  ConnectionError,
  TimeoutError,
} = BuildE2E;
