package com.builde2e.sandbox.executions.control;

import java.util.OptionalLong;

/**
 * The runs' wall limit when an operator raised it: {@code sandbox.wall-limit-ms} (system property)
 * or {@code SANDBOX_WALL_LIMIT_MS} (environment), the same setting the kata-agent reads. Meant for
 * an agent in a guest VM under software emulation, where a run takes many times longer than on the
 * host; unset, the agent applies the contract's limit and the service's timeouts stay as they are.
 * Read directly rather than through MicroProfile Config because the agent reads the same variable,
 * and the service's timeouts ({@link AgentDeadlines}, {@link GracefulShutdown}) follow it.
 */
public final class WallLimit {

    static final String PROPERTY = "sandbox.wall-limit-ms";

    static final String ENVIRONMENT = "SANDBOX_WALL_LIMIT_MS";

    /**
     * Between the wall limit and the service giving up on the agent: a warm hand-over and the
     * kernel's teardown of a killed fork bomb (see {@link AgentDeadlines#RUN_TIMEOUT_MS}).
     */
    static final long AGENT_MARGIN_MS = 5_000;

    private WallLimit() {}

    /** The raised limit in ms, or empty when none is set. */
    public static OptionalLong raisedMs() {
        String text = System.getProperty(PROPERTY, System.getenv(ENVIRONMENT));
        if (text == null || text.isBlank()) {
            return OptionalLong.empty();
        }
        try {
            long ms = Long.parseLong(text.trim());
            if (ms > 0) {
                return OptionalLong.of(ms);
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException(
                ENVIRONMENT + " must be a positive number of milliseconds, not '" + text + "'");
    }

    /** How long the service waits for the agent's answer to a run at this wall limit. */
    static long agentTimeoutMs(long wallLimitMs) {
        return wallLimitMs + AGENT_MARGIN_MS;
    }
}
