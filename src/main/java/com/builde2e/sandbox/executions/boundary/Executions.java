package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.executions.control.AgentClient;
import com.builde2e.sandbox.executions.control.AgentResult;
import com.builde2e.sandbox.executions.control.AgentUnavailableException;
import com.builde2e.sandbox.executions.control.InFlightRuns;
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
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.inject.Inject;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Runs a snippet for an API key: the run goes to the agent on a managed executor thread, and a run whose user code
 * started is billed (its usage record committed) before the result is returned.
 */
@Stateless
// a run takes up to 10 s: no transaction (and no database connection) is held while it runs
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Executions {

    private static final Logger LOG = Logger.getLogger(Executions.class.getName());

    @Inject
    AgentClient agent;

    @Inject
    Billing billing;

    @Inject
    InFlightRuns inFlight;

    @Resource
    ManagedExecutorService executor;

    /**
     * @param apiKeyId the caller's key, which the run is billed to
     * @return the run's result, billed under its {@code executionId}
     * @throws ExecutionUnavailableException when the agent is down or saturated, or billing failed (nothing billed)
     * @throws RequestRefusedException 400 when the agent refused the request as invalid
     */
    @RolesAllowed("user")
    public ExecutionResponse execute(UUID apiKeyId, ExecutionRequest request) {
        if (!inFlight.admit()) {
            throw new ExecutionUnavailableException("the service is shutting down", RetryDelays.UNAVAILABLE_SECONDS);
        }
        try {
            return runAndBill(apiKeyId, request);
        } finally {
            inFlight.finished();
        }
    }

    private ExecutionResponse runAndBill(UUID apiKeyId, ExecutionRequest request) {
        AgentResult run = runInJail(request);
        if (run.status() == RunStatus.REJECTED) {
            throw RequestRefusedException.invalid(run.errorField(), "the sandbox refused the request: " + run.error());
        }
        if (!run.status().started()) {
            LOG.warning(() -> "the agent could not start a run: " + run.error());
            throw new ExecutionUnavailableException("the sandbox could not start the run", RetryDelays.UNAVAILABLE_SECONDS);
        }
        Bill bill = bill(apiKeyId, chargeOf(request, run));
        return ExecutionResponse.of(run, bill.cost(), bill.executionId());
    }

    private AgentResult runInJail(ExecutionRequest request) {
        Future<AgentResult> run = executor.submit(
                () -> agent.run(request.language(), request.code(), request.stdin()));
        try {
            return run.get();
        } catch (InterruptedException e) {
            run.cancel(true);
            Thread.currentThread().interrupt();
            throw new ExecutionUnavailableException("the service is shutting down", RetryDelays.UNAVAILABLE_SECONDS);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        }
    }

    private static RuntimeException unavailable(Throwable cause) {
        if (cause instanceof BulkheadException) {
            return new ExecutionUnavailableException("all sandboxes are busy, retry shortly", RetryDelays.BUSY_SECONDS);
        }
        if (cause instanceof TimeoutException || cause instanceof AgentUnavailableException) {
            LOG.log(Level.WARNING, "the agent failed a run", cause);
            return new ExecutionUnavailableException("the sandbox is unavailable", RetryDelays.UNAVAILABLE_SECONDS);
        }
        return new IllegalStateException("a run failed unexpectedly", cause);
    }

    private Bill bill(UUID apiKeyId, Charge charge) {
        try {
            return billing.bill(apiKeyId, charge);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not bill a run; its result is withheld", e);
            throw new ExecutionUnavailableException("the run could not be billed, so its result is withheld",
                    RetryDelays.UNAVAILABLE_SECONDS);
        }
    }

    private static Charge chargeOf(ExecutionRequest request, AgentResult run) {
        return new Charge(request.language().wireName(), run.status().wireName(), run.exitCode(), run.timedOut(),
                run.executionTimeMs(), run.memoryUsageMb(), request.codeBytes(), run.stdoutBytes(),
                run.stderrBytes());
    }
}
