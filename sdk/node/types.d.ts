// Everything the package exports; index.d.ts adds the default export, index.d.mts re-exports it for ES modules.
/// <reference types="node" />

export type Language = 'python' | 'javascript';

export interface InputFile {
  /** Relative to the run's working directory (its current directory), segments separated by "/", no "..". */
  path: string;
  /** Text is sent as UTF-8; a Buffer or Uint8Array as base64, byte for byte. */
  content: string | Uint8Array;
  /** Only for string content: "base64" when the string already is base64. Default "utf-8". */
  encoding?: 'utf-8' | 'base64';
}

export interface ExecuteRequest {
  /** The source to run (at most 100 KB of UTF-8). */
  code: string;
  language: Language;
  /** Fed to the program's standard input. */
  stdin?: string;
  /** Written into the working directory before the run: at most 32 files, 10 MiB in total. */
  files?: InputFile[];
  /** Extra environment variables (at most 64, 32 KiB); PATH, HOME, LD_*, PYTHON*, NODE_* and the like are refused. */
  env?: Record<string, string>;
  /** The program's arguments: sys.argv[1:] in Python, process.argv.slice(2) in JavaScript (at most 64, 32 KiB). */
  args?: string[];
  /** A lower wall-time limit for this run, 1..10000 ms (not the client's own timeoutMs, which bounds the HTTP call). */
  timeoutMs?: number;
  /** A lower memory limit for this run, 16..256 MiB. */
  memoryMb?: number;
  /** Each chunk of standard output as the program writes it; the call then streams (Server-Sent Events). */
  onStdout?: (chunk: string) => void;
  /** Each chunk of standard error as the program writes it; the call then streams (Server-Sent Events). */
  onStderr?: (chunk: string) => void;
}

/** A file the run created or changed in its working directory. */
export interface OutputFile {
  path: string;
  sizeBytes: number;
  /** Judged by the service from the file's first bytes, else its name, such as "image/png". */
  mimeType: string;
  /** The file's bytes. */
  content: Buffer;
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
  /**
   * Files the run created or changed, in path order; present when the request used files, env, args or streaming,
   * or the run wrote a file.
   */
  files?: OutputFile[];
  /** True when the run left more than 32 files or 10 MiB; present with files. */
  filesTruncated?: boolean;
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
