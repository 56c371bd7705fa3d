package com.builde2e.sandbox.executions.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Counts the runs being served and, once draining starts, admits no new ones, so that a shutdown
 * can wait for the runs it would otherwise cut off (see {@link GracefulShutdown}). An explicit
 * lock, not synchronized methods: the CDI proxy would hold its own monitor across {@code wait()}
 * and deadlock the drain against {@link #finished()}.
 */
@ApplicationScoped
public class InFlightRuns {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private int running;
    private boolean draining;

    /**
     * @return false when the service is shutting down and the run must be refused; after true, the
     *     caller must call {@link #finished()} in a finally block
     */
    public boolean admit() {
        lock.lock();
        try {
            if (draining) {
                return false;
            }
            running++;
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Runs being served now. */
    public int running() {
        lock.lock();
        try {
            return running;
        } finally {
            lock.unlock();
        }
    }

    public void finished() {
        lock.lock();
        try {
            running--;
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /**
     * Refuses new runs from now on and waits up to {@code timeoutMs} for the running ones; returns
     * how many remain.
     */
    public int drain(long timeoutMs) throws InterruptedException {
        lock.lock();
        try {
            draining = true;
            long leftNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
            while (running > 0 && leftNanos > 0) {
                leftNanos = changed.awaitNanos(leftNanos);
            }
            return running;
        } finally {
            lock.unlock();
        }
    }
}
