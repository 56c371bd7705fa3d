// Everything the package exports; index.d.ts adds the default export, index.d.mts re-exports it for ES modules.

export type Language = 'python' | 'javascript';

export interface ExecuteRequest {
  /** The source to run (at most 100 KB of UTF-8). */
  code: string;
  language: Language;
  /** Fed to the program's standard input. */
  stdin?: string;
}

/** Why a run ended. */
export type ExecutionStatus = 'completed' | 'failed' | 'timed_out' | 'memory_limit' | 'output_limit' | 'killed';

export interface ExecuteResult {
  stdout: string;
  stderr: string;
  /** 0 on success, 124 on timeout, the program's own status otherwise. */
  exitCode: number;
  executionTimeMs: number;
  /** Peak memory of the run in megabytes. */
  memoryUsageMb: number;
  timedOut: boolean;
  /** What the run cost in USD. */
  cost: number;
  /** Present only when the service's own infrastructure failed. */
  error?: string;
  status: ExecutionStatus;
  /** Name of the signal that ended the program (such as "SIGKILL"), or null. */
  signal: string | null;
  /** True when stdout or stderr was cut at the output limit. */
  outputTruncated: boolean;
  /** UUID of the billed run. */
  executionId: string;
}

/** Sets the API key executeCode uses for the whole process (default: BUILDE2E_API_KEY). */
export declare function setApiKey(apiKey: string): void;
/** Sets the service root executeCode uses for the whole process (default: BUILDE2E_BASE_URL, else localhost:8080). */
export declare function setBaseUrl(baseUrl: string): void;
/** Runs a snippet with the process-wide settings; a snippet that fails resolves with a non-zero exitCode. */
export declare function executeCode(request: ExecuteRequest): Promise<ExecuteResult>;

export interface ClientOptions {
  /** Default: the BUILDE2E_API_KEY environment variable. */
  apiKey?: string;
  /** Default: BUILDE2E_BASE_URL, else http://localhost:8080. */
  baseUrl?: string;
  /** How long to wait for a complete response, in ms. Default 30000. */
  timeoutMs?: number;
  /** Extra attempts after a refused connection, 429 or 503. Default 2. */
  maxRetries?: number;
}

export declare class Client {
  constructor(options?: ClientOptions);
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  executeCode(request: ExecuteRequest): Promise<ExecuteResult>;
}

export declare const DEFAULT_BASE_URL: string;

export declare class SandboxError extends Error {
  /** HTTP status of the response, or undefined when no response arrived. */
  readonly status: number | undefined;
}
/** 401/403: the API key is missing, malformed, unknown or revoked. */
export declare class AuthenticationError extends SandboxError {}
/** 400/413: the request was refused; `field` names the part to fix when the service says which. */
export declare class ValidationError extends SandboxError {
  readonly field: string | undefined;
}
export declare class RetryLaterError extends SandboxError {
  /** Milliseconds the service asked to wait before the next attempt, if it said. */
  readonly retryAfterMs: number | undefined;
}
/** 429: too many requests. */
export declare class RateLimitError extends RetryLaterError {}
/** 503: the service is saturated or cannot run code right now; nothing was billed. */
export declare class ServiceUnavailableError extends RetryLaterError {}
/** No HTTP response arrived. */
export declare class ConnectionError extends SandboxError {
  /** False when the connection was never established (the code did not run); true when the outcome is unknown. */
  readonly requestSent: boolean;
}
/** No complete response within timeoutMs; the code may still have run and been billed. */
export declare class TimeoutError extends SandboxError {
  readonly timeoutMs: number;
}
