package com.builde2e.sandbox.mcp.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.builde2e.sandbox.executions.boundary.ExecutionRequest;
import com.builde2e.sandbox.executions.boundary.ExecutionResponse;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import jakarta.json.bind.JsonbBuilder;
import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * The tool's schemas describe exactly the execute endpoint's request and response: a field added to
 * either and not to the schema (or the other way round) fails here.
 */
class RunCodeSchemasTest {

    @Test
    void theInputSchemaHasEveryRequestField() {
        assertEquals(fieldsOf(ExecutionRequest.class), propertiesOf(RunCodeSchemas.input()));
    }

    @Test
    void theOutputSchemaHasEveryResponseFieldOfABilledRun() {
        Set<String> billed = fieldsOf(ExecutionResponse.class);
        // only on a 503, which the tool answers with an MCP error instead of a result
        billed.remove("error");
        assertEquals(billed, propertiesOf(RunCodeSchemas.output()));
    }

    @Test
    void aBilledResponseConformsToTheOutputSchema() {
        JsonMapper jackson = JsonMapper.shared();
        ExecutionResponse response =
                new ExecutionResponse(
                        "42\n",
                        "",
                        0,
                        new BigDecimal("12.5"),
                        new BigDecimal("3.25"),
                        false,
                        new BigDecimal("0.002"),
                        null,
                        "completed",
                        null,
                        false,
                        UUID.randomUUID());
        Object structured =
                new RunCodeResult(JsonbBuilder.create(), new JacksonMcpJsonMapper(jackson))
                        .of(response)
                        .structuredContent();

        var validation =
                new DefaultJsonSchemaValidator(jackson)
                        .validate(RunCodeSchemas.output(), structured);

        assertTrue(validation.valid(), validation.errorMessage());
    }

    private static Set<String> fieldsOf(Class<? extends Record> type) {
        return Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getName)
                .collect(Collectors.toSet());
    }

    private static Set<String> propertiesOf(Map<String, Object> schema) {
        return ((Map<?, ?>) schema.get("properties"))
                .keySet().stream().map(String.class::cast).collect(Collectors.toSet());
    }
}
