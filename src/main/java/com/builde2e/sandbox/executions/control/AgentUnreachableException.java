package com.builde2e.sandbox.executions.control;

/**
 * No connection to the agent could be opened (or it did not pass the hand-shake): nothing was sent,
 * so the run can go to another agent.
 */
public class AgentUnreachableException extends AgentUnavailableException {

    public AgentUnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
