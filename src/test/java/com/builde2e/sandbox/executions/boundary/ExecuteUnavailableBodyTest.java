package com.builde2e.sandbox.executions.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExecuteUnavailableBodyTest {

    private final ExecuteUnavailableBody bodies = new ExecuteUnavailableBody();

    @ParameterizedTest
    @ValueSource(strings = {"/v1/code-sandbox/execute", "/api/v1/code-sandbox/execute"})
    void theExecuteEndpointAnswersInItsOwnShape(String path) {
        ExecutionResponse body =
                (ExecutionResponse) bodies.forRequest(path, "database down").orElseThrow();

        assertEquals("database down", body.error());
        assertEquals("infra_error", body.status());
        assertEquals(0, BigDecimal.ZERO.compareTo(body.cost()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"/v1/usage", "/v1/admin/api-keys", "/v1/code-sandbox/execute/more"})
    void otherPathsAreNotItsOwn(String path) {
        assertTrue(bodies.forRequest(path, "database down").isEmpty());
    }
}
