package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.executions.control.AgentClient;
import com.builde2e.sandbox.executions.control.AgentResult;
import com.builde2e.sandbox.executions.control.AgentUnavailableException;
import com.builde2e.sandbox.executions.control.InFlightRuns;
import com.builde2e.sandbox.executions.entity.RunStatus;
<<<<<<< Updated upstream
import com.builde2e.sandbox.platform.ApiException;
import com.builde2e.sandbox.usage.control.CostCalculator;
import com.builde2e.sandbox.usage.control.UsageLedger;
import com.builde2e.sandbox.usage.entity.UsageRecord;
import jakarta.annotation.Resource;
=======
import com.builde2e.sandbox.platform.RequestRefusedException;
import com.builde2e.sandbox.platform.RetryDelays;
import com.builde2e.sandbox.usage.boundary.Bill;
import com.builde2e.sandbox.usage.boundary.Billing;
import com.builde2e.sandbox.usage.boundary.Charge;
>>>>>>> Stashed changes
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.math.BigDecimal;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.eclipse.microprofile.faulttolerance.exceptions.BulkheadException;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;

/**
 * Runs a snippet for an API key: the run goes to the agent, and a run whose user code started is billed (its usage
 * record committed) before the result is returned.
 * <p>
 * The request's own thread waits for the agent: handing the run to another thread, synchronously or through an
 * asynchronous response, gained nothing measurable in latency or throughput, since the bulkhead refuses more runs
 * than the machine can serve at once, so no request thread waits long; and a run kept on one thread keeps the
 * bulkhead's refusal immediate (an asynchronous bulkhead would queue) and the code plain.
 */
@Stateless
// a run takes up to 10 s: no transaction (and no database connection) is held while it runs
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class Executions {

    private static final Logger LOG = Logger.getLogger(Executions.class.getName());
    private static final int RETRY_BUSY_SECONDS = 1;
    private static final int RETRY_DOWN_SECONDS = 5;

    @Inject
    AgentClient agent;

    @Inject
    CostCalculator costs;

    @Inject
    UsageLedger ledger;

    @Inject
    InFlightRuns inFlight;

    /**
     * @param apiKeyId the caller's key, which the run is billed to
     * @return the run's result, billed under its {@code executionId}
     * @throws ExecutionUnavailableException when the agent is down or saturated, or billing failed (nothing billed)
     * @throws ApiException 400 when the agent refused the request as invalid
     */
    @RolesAllowed("user")
    public ExecutionResponse execute(UUID apiKeyId, ExecutionRequest request) {
        if (!inFlight.admit()) {
<<<<<<< Updated upstream
            throw new ExecutionUnavailableException("the service is shutting down", RETRY_DOWN_SECONDS);
=======
            throw unavailable("the service is shutting down");
>>>>>>> Stashed changes
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
            throw ApiException.badRequest(run.errorField(), "the sandbox refused the request: " + run.error());
        }
        if (!run.status().started()) {
            LOG.warning(() -> "the agent could not start a run: " + run.error());
<<<<<<< Updated upstream
            throw new ExecutionUnavailableException("the sandbox could not start the run", RETRY_DOWN_SECONDS);
=======
            throw unavailable("the sandbox could not start the run");
>>>>>>> Stashed changes
        }
        BigDecimal cost = costs.costOf(run.status());
        UsageRecord usage = usageOf(apiKeyId, request, run, cost);
        bill(usage);
        return ExecutionResponse.of(run, cost, usage.getId());
    }

    private AgentResult runInJail(ExecutionRequest request) {
        try {
<<<<<<< Updated upstream
            return run.get();
        } catch (InterruptedException e) {
            run.cancel(true);
            Thread.currentThread().interrupt();
            throw new ExecutionUnavailableException("the service is shutting down", RETRY_DOWN_SECONDS);
        } catch (ExecutionException e) {
            throw unavailable(e.getCause());
        }
    }

    private static RuntimeException unavailable(Throwable cause) {
        if (cause instanceof BulkheadException) {
            return new ExecutionUnavailableException("all sandboxes are busy, retry shortly", RETRY_BUSY_SECONDS);
        }
        if (cause instanceof TimeoutException || cause instanceof AgentUnavailableException) {
            LOG.log(Level.WARNING, "the agent failed a run", cause);
            return new ExecutionUnavailableException("the sandbox is unavailable", RETRY_DOWN_SECONDS);
        }
        return new IllegalStateException("a run failed unexpectedly", cause);
=======
            return agent.run(request.language(), request.code(), request.stdin());
        } catch (BulkheadException e) {
            throw new ExecutionUnavailableException("all sandboxes are busy, retry shortly", RetryDelays.BUSY_SECONDS);
        } catch (TimeoutException | AgentUnavailableException e) {
            // a timeout interrupts this thread to cut the agent's connection, and the answer is still to be written
            Thread.interrupted();
            LOG.log(Level.WARNING, "the agent failed a run", e);
            throw unavailable("the sandbox is unavailable");
        }
    }

    private static ExecutionUnavailableException unavailable(String reason) {
        return new ExecutionUnavailableException(reason, RetryDelays.UNAVAILABLE_SECONDS);
>>>>>>> Stashed changes
    }

    private void bill(UsageRecord usage) {
        try {
            ledger.record(usage);
        } catch (RuntimeException e) {
            LOG.log(Level.SEVERE, "could not bill a run; its result is withheld", e);
<<<<<<< Updated upstream
            throw new ExecutionUnavailableException("the run could not be billed, so its result is withheld",
                    RETRY_DOWN_SECONDS);
=======
            throw unavailable("the run could not be billed, so its result is withheld");
>>>>>>> Stashed changes
        }
    }

    private static UsageRecord usageOf(UUID apiKeyId, ExecutionRequest request, AgentResult run, BigDecimal cost) {
        return UsageRecord.builder()
                .apiKeyId(apiKeyId)
                .language(request.language().wireName())
                .status(run.status().wireName())
                .exitCode(run.exitCode())
                .timedOut(run.timedOut())
                .executionTimeMs(run.executionTimeMs())
                .memoryUsageMb(run.memoryUsageMb())
                .codeBytes(request.codeBytes())
                .stdoutBytes(run.stdoutBytes())
                .stderrBytes(run.stderrBytes())
                .costUsd(cost)
                .build();
    }
}
