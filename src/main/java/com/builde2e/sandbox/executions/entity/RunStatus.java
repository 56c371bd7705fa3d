package com.builde2e.sandbox.executions.entity;

import com.builde2e.sandbox.platform.WireNames;
import java.util.Optional;

/**
 * Why a run ended, as the agent reports it (kata-agent/PROTOCOL.md; on the wire in lower case:
 * {@code timed_out}). The last two mean user code never ran: such runs are not billed.
 */
public enum RunStatus {
    COMPLETED,
    FAILED,
    TIMED_OUT,
    MEMORY_LIMIT,
    OUTPUT_LIMIT,
    KILLED,
    INFRA_ERROR,
    REJECTED;

    public String wireName() {
        return WireNames.of(this);
    }

    /** Whether the user's program started, which is what makes a run billable. */
    public boolean started() {
        return this != INFRA_ERROR && this != REJECTED;
    }

    public static Optional<RunStatus> fromWireName(String name) {
        return WireNames.find(RunStatus.class, name);
    }
}
