package com.builde2e.sandbox.executions.boundary;

import jakarta.ejb.ApplicationException;

/**
 * No result can be given for a reason on our side (the agent is down or busy, billing failed);
 * nothing is billed. Answered with 503, a Retry-After and an execution-shaped body whose {@code
 * error} says why.
 */
@ApplicationException(rollback = true)
public class ExecutionUnavailableException extends RuntimeException {

    private final int retryAfterSeconds;

    public ExecutionUnavailableException(String message, int retryAfterSeconds) {
        super(message);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public int retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
