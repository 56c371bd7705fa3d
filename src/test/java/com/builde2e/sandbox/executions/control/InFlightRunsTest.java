package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class InFlightRunsTest {

    private final InFlightRuns runs = new InFlightRuns();

    @Test
    void drainingWithNothingRunningReturnsAtOnceAndRefusesNewRuns() throws Exception {
        assertEquals(0, runs.drain(60_000));
        assertFalse(runs.admit());
    }

    @Test
    void drainWaitsForTheRunInFlight() throws Exception {
        assertTrue(runs.admit());
        CountDownLatch draining = new CountDownLatch(1);
        CompletableFuture<Integer> drained =
                CompletableFuture.supplyAsync(
                        () -> {
                            draining.countDown();
                            try {
                                return runs.drain(60_000);
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                        });
        draining.await();
        while (runs.admit()) {
            runs.finished(); // the drainer has not taken over yet
        }
        assertFalse(drained.isDone(), "still waiting for the run");

        runs.finished();

        assertEquals(0, drained.get());
    }

    @Test
    void drainGivesUpAfterItsTimeoutAndSaysHowManyAreLeft() throws Exception {
        assertTrue(runs.admit());
        assertTrue(runs.admit());

        assertEquals(2, runs.drain(50));
    }
}
