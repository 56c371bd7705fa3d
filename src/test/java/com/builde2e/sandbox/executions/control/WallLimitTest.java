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
    void unsetLeavesTheAnnotatedTimeoutAndDrain() {
        assertTrue(WallLimit.raisedMs().isEmpty());
        assertTrue(new AgentTimeoutSource().getPropertyNames().isEmpty());
        assertEquals(GracefulShutdown.DRAIN_TIMEOUT_MS, GracefulShutdown.drainTimeoutMs());
    }

    @Test
    void aRaisedLimitLengthensTheAgentTimeoutAndTheDrain() {
        System.setProperty(WallLimit.PROPERTY, "60000");
        AgentTimeoutSource source = new AgentTimeoutSource();
        assertEquals("65000", source.getValue(AgentTimeoutSource.RUN_TIMEOUT_KEY));
        assertEquals(
                "com.builde2e.sandbox.executions.control.AgentClient/run/Timeout/value",
                AgentTimeoutSource.RUN_TIMEOUT_KEY);
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
