'use strict';

/**
 * Every error the SDK throws is a SandboxError. A user's code failing is not one of them: it comes back as a normal
 * result with a non-zero exitCode, as the API reports it.
 */
class SandboxError extends Error {
  /**
   * @param {string} message what went wrong and what to change
   * @param {{status?: number, cause?: unknown}} [details]
   */
  constructor(message, { status, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = new.target.name;
    /** HTTP status of the response, or undefined when no response arrived. */
    this.status = status;
  }
}

/** 401/403: the API key is missing, malformed, unknown or revoked. */
class AuthenticationError extends SandboxError {}

/** 400/413: the request was refused as it stands; `field` names the part to fix when the service says which. */
class ValidationError extends SandboxError {
  constructor(message, { status, field } = {}) {
    super(message, { status });
    this.field = field;
  }
}

/** Shared shape of the two "come back later" answers: how long the service asked us to wait. */
class RetryLaterError extends SandboxError {
  constructor(message, { status, retryAfterMs } = {}) {
    super(message, { status });
    /** Milliseconds the service asked to wait before the next attempt, or undefined if it did not say. */
    this.retryAfterMs = retryAfterMs;
  }
}

/** 429: too many requests for this key. */
class RateLimitError extends RetryLaterError {}

/** 503: every sandbox is busy, or the service cannot reach its execution agent. Nothing was billed. */
class ServiceUnavailableError extends RetryLaterError {}

/** No HTTP response: the service could not be reached, or the connection broke. */
class ConnectionError extends SandboxError {
  constructor(message, { requestSent, cause } = {}) {
    super(message, { cause });
    /**
     * False when the connection was never established, so the code certainly did not run; true when it broke after
     * the request may have reached the service, so the code may have run and been billed.
     */
    this.requestSent = requestSent;
  }
}

/** No complete response within `timeoutMs`. The code may still have run and been billed. */
class TimeoutError extends SandboxError {
  constructor(message, { timeoutMs, cause } = {}) {
    super(message, { cause });
    this.timeoutMs = timeoutMs;
  }
}

module.exports = {
  SandboxError,
  AuthenticationError,
  ValidationError,
  RetryLaterError,
  RateLimitError,
  ServiceUnavailableError,
  ConnectionError,
  TimeoutError,
};
