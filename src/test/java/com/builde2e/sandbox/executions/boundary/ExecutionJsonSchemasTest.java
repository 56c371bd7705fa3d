package com.builde2e.sandbox.executions.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The schemas describe exactly the execute endpoint's request and response: a field added to either
 * and not to the schema (or the other way round) fails here.
 */
class ExecutionJsonSchemasTest {

    @Test
    void theInputSchemaHasEveryRequestField() {
        assertEquals(
                fieldsOf(ExecutionRequest.class), propertiesOf(ExecutionJsonSchemas.request()));
    }

    @Test
    void theOutputSchemaHasEveryResponseFieldOfABilledRun() {
        Set<String> billed = fieldsOf(ExecutionResponse.class);
        // only on a 503, which no billed run has
        billed.remove("error");
        assertEquals(billed, propertiesOf(ExecutionJsonSchemas.billedResponse()));
    }

    @Test
    void theFileSchemasHaveEveryFileField() {
        assertEquals(fieldsOf(InputFile.class), itemPropertiesOf(ExecutionJsonSchemas.request()));
        assertEquals(
                fieldsOf(OutputFile.class),
                itemPropertiesOf(ExecutionJsonSchemas.billedResponse()));
    }

    private static Set<String> itemPropertiesOf(Map<String, Object> schema) {
        Map<?, ?> files = (Map<?, ?>) ((Map<?, ?>) schema.get("properties")).get("files");
        @SuppressWarnings("unchecked")
        Map<String, Object> items = (Map<String, Object>) files.get("items");
        return propertiesOf(items);
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
