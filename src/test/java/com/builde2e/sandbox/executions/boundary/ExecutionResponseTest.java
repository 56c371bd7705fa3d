package com.builde2e.sandbox.executions.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.builde2e.sandbox.executions.control.AgentResult;
import com.builde2e.sandbox.executions.entity.RunStatus;
import com.builde2e.sandbox.usage.control.CostCalculator;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.math.BigDecimal;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The JSON callers see: the public contract's fields first, in its order and number format, then
 * ours.
 */
class ExecutionResponseTest {

    private final Jsonb json = JsonbBuilder.create();

    @Test
    void aBilledRunReadsLikeTheSeedExample() {
        AgentResult run =
                new AgentResult(
                        RunStatus.COMPLETED,
                        0,
                        null,
                        false,
                        "Hello, World!\n",
                        "",
                        14,
                        0,
                        false,
                        new BigDecimal("95.23"),
                        new BigDecimal("8.45"),
                        null,
                        null,
                        null,
                        null);
        UUID id = UUID.fromString("c1083eaa-ce51-471d-802e-03a9dcc03b2c");

        String body = json.toJson(ExecutionResponse.of(run, CostCalculator.PRICE_PER_RUN_USD, id));

        assertEquals(
                "{\"stdout\":\"Hello, World!\\n\",\"stderr\":\"\",\"exitCode\":0,\"executionTimeMs\":95.23,"
                        + "\"memoryUsageMb\":8.45,\"timedOut\":false,\"cost\":0.002,\"status\":\"completed\",\"signal\":null,"
                        + "\"outputTruncated\":false,\"executionId\":\"c1083eaa-ce51-471d-802e-03a9dcc03b2c\"}",
                body);
    }

    @Test
    void aKilledRunCarriesItsSignalAndTruncation() {
        AgentResult run =
                new AgentResult(
                        RunStatus.OUTPUT_LIMIT,
                        137,
                        "SIGKILL",
                        false,
                        "yyyy",
                        "",
                        1_048_576,
                        0,
                        true,
                        new BigDecimal("310.50"),
                        new BigDecimal("12.00"),
                        null,
                        null,
                        null,
                        null);

        ExecutionResponse response =
                ExecutionResponse.of(run, CostCalculator.PRICE_PER_RUN_USD, UUID.randomUUID());

        assertEquals("output_limit", response.status());
        assertEquals("SIGKILL", response.signal());
        assertEquals(137, response.exitCode());
        assertEquals(true, response.outputTruncated());
    }

    @Test
    void anUnavailableRunHasErrorAndCostsNothing() {
        String body = json.toJson(ExecutionResponse.unavailable("the sandbox is unavailable"));

        assertEquals(
                "{\"stdout\":\"\",\"stderr\":\"\",\"exitCode\":-1,\"executionTimeMs\":0,\"memoryUsageMb\":0,"
                        + "\"timedOut\":false,\"cost\":0,\"error\":\"the sandbox is unavailable\",\"status\":\"infra_error\","
                        + "\"signal\":null,\"outputTruncated\":false}",
                body);
    }
}
