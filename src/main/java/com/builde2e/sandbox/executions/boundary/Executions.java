package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.executions.control.AgentClient;
import com.builde2e.sandbox.executions.control.AgentFile;
import com.builde2e.sandbox.executions.control.AgentRequest;
import com.builde2e.sandbox.executions.control.AgentResult;
import com.builde2e.sandbox.executions.control.AgentUnavailableException;
import com.builde2e.sandbox.executions.control.InFlightRuns;
import com.builde2e.sandbox.executions.control.RunMetrics;
import com.builde2e.sandbox.executions.control.RunMetrics.Refusal;
import com.builde2e.sandbox.executions.control.SandboxesBusyException;
import com.builde2e.sandbox.executions.entity.RunStatus;
import com.builde2e.sandbox.platform.RequestRefusedException;
import com.builde2e.sandbox.platform.RetryDelays;
import com.builde2e.sandbox.usage.boundary.Bill;
import com.builde2e.sandbox.usage.boundary.Billing;
import com.builde2e.sandbox.usage.boundary.Charge;
import jakarta.annotation.Resource;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.concurrent.ManagedThreadFactory;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs a snippet for an API key: the run goes to the agent, and a run whose user code started is
 * billed (its usage record committed) before the result is returned.
 *
 * <p>The request's own thread waits for the agent. Waiting on another thread's result only added a
 * hand-over; an asynchronous response (an {@code @Asynchronous} fault-tolerance call on a sized
 * executor) answered every run later and served no more runs at once, since the jails, not request
 * threads, are what runs out: the run slots turn away what the machine cannot run, so few request
 * threads ever wait.
 */
@Stateless
// a run takes up to 10 s: no transaction (and no database connection) is held while it runs
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Executions {

    private static final Logger LOG = Logger.getLogger(Executions.class.getName());

    private static final long MIB = 1L << 20;

    @Inject AgentClient agent;

    @Inject Billing billing;

    @Inject InFlightRuns inFlight;

    @Inject RunMetrics metrics;

    /**
     * Streamed runs' threads: one each, so that no pool's size queues a run the run slots let in.
     */
    @Resource ManagedThreadFactory threads;

    /**
     * @param apiKeyId the caller's key, which the run is billed to
     * @return the run's result, billed under its {@code executionId}
     * @throws ExecutionUnavailableException when the agent is down or saturated, or billing failed
     *     (nothing billed)
     * @throws RequestRefusedException 400 when the agent refused the request as invalid
     */
    @RolesAllowed("user")
    public ExecutionResponse execute(UUID apiKeyId, ExecutionRequest request) {
        if (!inFlight.admit()) {
            throw unavailable(Refusal.SHUTTING_DOWN, "the service is shutting down");
        }
        try {
            return runAndBill(apiKeyId, request, null);
        } finally {
            inFlight.finished();
        }
    }

    /**
     * Starts a run whose output the caller follows as it comes. The run goes on on a thread of its
     * own while the request thread relays it; this returns once the request has reached the agent.
     *
     * @return the run, to be relayed with {@link EventStream}
     * @throws ExecutionUnavailableException when the run could not start (nothing billed)
     */
    @RolesAllowed("user")
    public LiveRun stream(UUID apiKeyId, ExecutionRequest request) {
        if (!inFlight.admit()) {
            throw unavailable(Refusal.SHUTTING_DOWN, "the service is shutting down");
        }
        LiveRun live = new LiveRun();
        try {
            threads.newThread(() -> streamAndBill(apiKeyId, request, live)).start();
        } catch (RuntimeException e) {
            inFlight.finished();
            LOG.log(Level.SEVERE, "could not start a thread for a streamed run", e);
            throw unavailable(Refusal.NOT_STARTED, "the sandbox could not start the run");
        }
        live.awaitStart();
        return live;
    }

    private void streamAndBill(UUID apiKeyId, ExecutionRequest request, LiveRun live) {
        try {
            live.finish(runAndBill(apiKeyId, request, live));
        } catch (ExecutionUnavailableException | RequestRefusedException e) {
            live.fail(e);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "a streamed run failed", e);
            live.fail(unavailable(Refusal.AGENT_UNAVAILABLE, "the sandbox is unavailable"));
        } finally {
            inFlight.finished();
        }
    }

    /**
     * @param live the streamed run's listener, or null for a plain run
     */
    private ExecutionResponse runAndBill(UUID apiKeyId, ExecutionRequest request, LiveRun live) {
        AgentResult run = runInJail(request, live);
        if (run.status() == RunStatus.REJECTED) {
            throw RequestRefusedException.invalid(
                    run.errorField(), "the sandbox refused the request: " + run.error());
        }
        if (!run.status().started()) {
            LOG.warning(() -> "the agent could not start a run: " + run.error());
            throw unavailable(Refusal.NOT_STARTED, "the sandbox could not start the run");
        }
        Bill bill = bill(apiKeyId, chargeOf(request, run));
        return ExecutionResponse.of(run, bill.cost(), bill.executionId());
    }

    private AgentResult runInJail(ExecutionRequest request, LiveRun live) {
        long started = System.nanoTime();
        try {
            AgentResult run = agent.run(agentRequest(request), live);
            metrics.ran(
                    request.language(),
                    run.status(),
                    Duration.ofNanos(System.nanoTime() - started));
            return run;
        } catch (SandboxesBusyException e) {
            metrics.refused(Refusal.BUSY);
            throw new ExecutionUnavailableException(
                    "all sandboxes are busy, retry shortly", RetryDelays.BUSY_SECONDS);
        } catch (AgentUnavailableException e) {
            if (live != null && live.abandoned()) {
                // the caller hung up and the run was killed for it: it started, so it is billed
                return live.abandonedResult();
            }
            LOG.log(Level.WARNING, "the agent failed a run", e);
            throw unavailable(Refusal.AGENT_UNAVAILABLE, "the sandbox is unavailable");
        }
    }

    /** The run as the agent takes it: the limits in its units, the files' contents in base64. */
    static AgentRequest agentRequest(ExecutionRequest request) {
        return new AgentRequest(
                request.language(),
                request.code(),
                request.stdin(),
                request.files() == null
                        ? null
                        : request.files().stream()
                                .map(f -> new AgentFile(f.path(), f.sizeBytes(), f.content()))
                                .toList(),
                request.env(),
                request.args(),
                request.timeoutMs(),
                request.memoryMb() == null ? null : request.memoryMb() * MIB);
    }

    private ExecutionUnavailableException unavailable(Refusal reason, String message) {
        metrics.refused(reason);
        return new ExecutionUnavailableException(message, RetryDelays.UNAVAILABLE_SECONDS);
    }

    private Bill bill(UUID apiKeyId, Charge charge) {
        try {
            return billing.bill(apiKeyId, charge);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not bill a run; its result is withheld", e);
            throw unavailable(
                    Refusal.NOT_BILLED, "the run could not be billed, so its result is withheld");
        }
    }

    private static Charge chargeOf(ExecutionRequest request, AgentResult run) {
        return new Charge(
                request.language().wireName(),
                run.status().wireName(),
                run.exitCode(),
                run.timedOut(),
                run.executionTimeMs(),
                run.memoryUsageMb(),
                request.codeBytes(),
                run.stdoutBytes(),
                run.stderrBytes());
    }
}
