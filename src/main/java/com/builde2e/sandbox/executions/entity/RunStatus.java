package com.builde2e.sandbox.executions.entity;

import java.util.Arrays;
import java.util.Optional;

/**
 * Why a run ended, as the agent reports it (kata-agent/PROTOCOL.md). The last two mean user code never ran:
 * such runs are not billed.
 */
public enum RunStatus {

    COMPLETED("completed"),
    FAILED("failed"),
    TIMED_OUT("timed_out"),
    MEMORY_LIMIT("memory_limit"),
    OUTPUT_LIMIT("output_limit"),
    KILLED("killed"),
    INFRA_ERROR("infra_error"),
    REJECTED("rejected");

    private final String wireName;

    RunStatus(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    /** Whether the user's program started, which is what makes a run billable. */
    public boolean started() {
        return this != INFRA_ERROR && this != REJECTED;
    }

    public static Optional<RunStatus> fromWireName(String name) {
        return Arrays.stream(values()).filter(s -> s.wireName.equals(name)).findFirst();
    }
}
