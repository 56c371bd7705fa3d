package com.builde2e.sandbox.executions.control;

/**
 * The agent could not be reached or did not answer as the protocol says: an infrastructure failure.
 */
public class AgentUnavailableException extends Exception {

    public AgentUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }

    public AgentUnavailableException(String message) {
        super(message);
    }
}
