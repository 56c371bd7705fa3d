package com.builde2e.sandbox.executions.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.util.logging.Logger;
import sun.misc.Signal;

/**
 * Lets runs in flight finish when the service is told to stop. Payara Micro's own reaction to
 * SIGTERM undeploys the application at once, and a caller whose code was running got a dropped
 * connection or a 500. So this takes over SIGTERM and SIGINT: stop admitting runs (they get 503 +
 * Retry-After), wait for the running ones to be answered, then exit through the normal shutdown.
 */
@ApplicationScoped
public class GracefulShutdown {

    /**
     * The longest a run can take (10 s wall limit, 15 s agent timeout) plus time to bill and
     * answer.
     */
    public static final long DRAIN_TIMEOUT_MS = 18_000;

    /** Time to bill and answer a run after the agent's timeout. */
    static final long ANSWER_MARGIN_MS = DRAIN_TIMEOUT_MS - AgentDeadlines.RUN_TIMEOUT_MS;

    /** A raised wall limit ({@link WallLimit}) lengthens the longest run. */
    static long drainTimeoutMs() {
        long raised = WallLimit.raisedMs().orElse(0);
        return Math.max(DRAIN_TIMEOUT_MS, WallLimit.agentTimeoutMs(raised) + ANSWER_MARGIN_MS);
    }

    /** What the JVM itself exits with on SIGTERM. */
    private static final int EXIT_STATUS = 143;

    private static final Logger LOG = Logger.getLogger(GracefulShutdown.class.getName());

    @Inject InFlightRuns inFlight;

    private ClassLoader applicationClassLoader;

    void install(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        // signal threads have no context class loader, without which the container's proxies cannot
        // be called
        applicationClassLoader = Thread.currentThread().getContextClassLoader();
        Signal.handle(new Signal("TERM"), this::stop);
        Signal.handle(new Signal("INT"), this::stop);
    }

    private void stop(Signal signal) {
        Thread drainer =
                new Thread(
                        () -> {
                            LOG.info(
                                    () ->
                                            "SIG"
                                                    + signal.getName()
                                                    + ": finishing the runs in flight before stopping");
                            try {
                                long drainMs = drainTimeoutMs();
                                int left = inFlight.drain(drainMs);
                                if (left > 0) {
                                    LOG.warning(
                                            () ->
                                                    left
                                                            + " runs still in flight after "
                                                            + drainMs
                                                            + " ms; stopping anyway");
                                }
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                            System.exit(EXIT_STATUS);
                        },
                        "graceful-shutdown");
        drainer.setContextClassLoader(applicationClassLoader);
        drainer.start();
    }
}
