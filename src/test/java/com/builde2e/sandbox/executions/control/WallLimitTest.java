package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WallLimitTest {

    @AfterEach
    void clear() {
        System.clearProperty(WallLimit.PROPERTY);
    }

    @Test
    void unsetLeavesTheDefaultTimeoutAndDrain() {
        assertTrue(WallLimit.raisedMs().isEmpty());
        assertEquals(AgentDeadlines.RUN_TIMEOUT_MS, AgentDeadlines.runTimeoutMs());
        assertEquals(GracefulShutdown.DRAIN_TIMEOUT_MS, GracefulShutdown.drainTimeoutMs());
    }

    @Test
    void aRaisedLimitLengthensTheAgentTimeoutAndTheDrain() {
        System.setProperty(WallLimit.PROPERTY, "60000");
        assertEquals(65_000, AgentDeadlines.runTimeoutMs());
        assertTrue(GracefulShutdown.drainTimeoutMs() >= 65_000);
    }

    @Test
    void aMalformedLimitIsRefusedNamingTheVariable() {
        System.setProperty(WallLimit.PROPERTY, "soon");
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, WallLimit::raisedMs);
        assertTrue(e.getMessage().contains(WallLimit.ENVIRONMENT));
    }
}
