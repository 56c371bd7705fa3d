package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.Closeable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AgentDeadlinesTest {

    private final AtomicLong nowNanos = new AtomicLong(1_000);
    private final AgentDeadlines deadlines = new AgentDeadlines(15_000, nowNanos::get);
    private final AtomicInteger closes = new AtomicInteger();
    private final Closeable connection = closes::incrementAndGet;

    private void advanceMs(long ms) {
        nowNanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
    }

    @Test
    void aRunWithinItsDeadlineKeepsItsConnection() {
        AgentDeadlines.Watch watch = deadlines.watch(connection);
        advanceMs(14_999);
        deadlines.sweep();
        assertEquals(0, closes.get());
        assertFalse(watch.expired());
    }

    @Test
    void aRunPastItsDeadlineHasItsConnectionClosedOnce() {
        AgentDeadlines.Watch watch = deadlines.watch(connection);
        advanceMs(15_000);
        deadlines.sweep();
        deadlines.sweep();
        assertEquals(1, closes.get());
        assertTrue(watch.expired());
    }

    @Test
    void aFinishedRunIsNoLongerWatched() {
        AgentDeadlines.Watch watch = deadlines.watch(connection);
        watch.close();
        advanceMs(60_000);
        deadlines.sweep();
        assertEquals(0, closes.get());
        assertFalse(watch.expired());
    }

    @Test
    void eachRunHasItsOwnDeadline() {
        deadlines.watch(connection);
        advanceMs(10_000);
        AtomicInteger laterCloses = new AtomicInteger();
        AgentDeadlines.Watch later = deadlines.watch(laterCloses::incrementAndGet);
        advanceMs(5_000);
        deadlines.sweep();
        assertEquals(1, closes.get());
        assertEquals(0, laterCloses.get());
        assertFalse(later.expired());
    }
}
