package com.builde2e.sandbox.executions.control;

import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import java.io.Closeable;
import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.logging.Logger;

/**
 * Gives up on an agent that does not answer a run in time: one background sweep, every {@value
 * #SWEEP_MS} ms, closes the connection of every run whose deadline has passed, and the agent kills
 * a run whose connection closes. A run's thread only registers its connection and removes it again,
 * where a timer per run (Fault Tolerance's {@code @Timeout}) made the container capture and restore
 * the request's context for every run. The deadline lies well above the run's own wall limit (see
 * {@link #runTimeoutMs()}), so a sweep's lateness does not matter: the cut-off only fires when the
 * agent itself hangs.
 */
@ApplicationScoped
public class AgentDeadlines {

    private static final Logger LOG = Logger.getLogger(AgentDeadlines.class.getName());

    /**
     * The contract's 10 s wall limit plus what the agent needs after it: a warm hand-over of up to
     * 1 s, and the kernel's teardown of a killed fork bomb, measured at over 2 s on a loaded
     * machine.
     */
    public static final long RUN_TIMEOUT_MS = 15_000;

    static final long SWEEP_MS = 1_000;

    /** A run's connection to its agent, and when the service stops waiting for the answer. */
    public final class Watch implements AutoCloseable {
        private final Closeable connection;
        private final long deadlineNanos;
        private volatile boolean expired;

        private Watch(Closeable connection, long deadlineNanos) {
            this.connection = connection;
            this.deadlineNanos = deadlineNanos;
        }

        /** True once the deadline passed and the connection was closed for it. */
        public boolean expired() {
            return expired;
        }

        /** The run is over (answered or failed): it is no longer watched. */
        @Override
        public void close() {
            watched.remove(this);
        }

        private void expireIfDue(long nowNanos) {
            if (nowNanos - deadlineNanos < 0) {
                return;
            }
            expired = true;
            watched.remove(this);
            try {
                connection.close();
            } catch (IOException e) {
                LOG.warning(() -> "closing a timed-out agent connection failed: " + e);
            }
        }
    }

    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private long timeoutNanos;
    private LongSupplier clock;

    @Resource ManagedScheduledExecutorService scheduler;

    private ScheduledFuture<?> sweeping;

    public AgentDeadlines() {
        this(runTimeoutMs(), System::nanoTime);
    }

    AgentDeadlines(long timeoutMs, LongSupplier clock) {
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        this.clock = clock;
    }

    /**
     * How long the service waits for the agent's answer to a run: {@link #RUN_TIMEOUT_MS}, or more
     * when an operator raised the wall limit ({@link WallLimit}).
     */
    public static long runTimeoutMs() {
        return Math.max(RUN_TIMEOUT_MS, WallLimit.agentTimeoutMs(WallLimit.raisedMs().orElse(0)));
    }

    /** Starts the sweep with the application. */
    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        sweeping =
                scheduler.scheduleWithFixedDelay(
                        this::sweep, SWEEP_MS, SWEEP_MS, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (sweeping != null) {
            sweeping.cancel(false);
        }
    }

    /** Watches a run's connection from now until the returned watch is closed. */
    public Watch watch(Closeable connection) {
        Watch watch = new Watch(connection, clock.getAsLong() + timeoutNanos);
        watched.add(watch);
        return watch;
    }

    /** Closes the connections whose deadline has passed. */
    void sweep() {
        long now = clock.getAsLong();
        for (Watch watch : watched) {
            watch.expireIfDue(now);
        }
    }
}
