package com.builde2e.sandbox.mcp.boundary;

import com.builde2e.sandbox.executions.boundary.ExecutionRequestReader;
import com.builde2e.sandbox.executions.entity.RunStatus;
import com.builde2e.sandbox.platform.WireNames;
import com.builde2e.sandbox.runtimes.entity.Language;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The JSON Schemas of {@code run_code}: its arguments are an execute request, its structured result
 * an execute response. Built from the constants the execute endpoint itself enforces (languages,
 * statuses, limits), so the schema cannot drift from the endpoint; the endpoint's own validation
 * stays the one that decides (a value the schema would let through is still refused there, with the
 * field named).
 */
final class RunCodeSchemas {

    private RunCodeSchemas() {}

    static Map<String, Object> input() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put(
                "code",
                string(
                                "the program to run, at most "
                                        + ExecutionRequestReader.MAX_CODE_BYTES
                                        + " bytes of UTF-8")
                        .with("minLength", 1));
        properties.put(
                "language",
                string("the language of code")
                        .with("enum", wireNames(Arrays.stream(Language.values()))));
        properties.put("stdin", string("standard input for the program; absent means empty"));
        return object(properties, List.of("code", "language"));
    }

    static Map<String, Object> output() {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("stdout", string("everything the program wrote to standard output"));
        properties.put("stderr", string("everything the program wrote to standard error"));
        properties.put(
                "exitCode",
                integer("0 = success, 124 = timed out, 137 = killed for memory or output"));
        properties.put("executionTimeMs", number("wall time of the run, milliseconds"));
        properties.put("memoryUsageMb", number("peak memory of the whole run, MiB"));
        properties.put("timedOut", bool("whether the run hit its time limit"));
        properties.put("cost", number("what the run was billed, USD"));
        properties.put(
                "status",
                string("why the run ended")
                        .with(
                                "enum",
                                // a run that never started is an MCP error, not a result
                                wireNames(
                                        Arrays.stream(RunStatus.values())
                                                .filter(RunStatus::started))));
        properties.put(
                "signal",
                new Schema(Map.of("type", List.of("string", "null")))
                        .with("description", "the signal that ended the program, or null"));
        properties.put("outputTruncated", bool("whether output was cut at the output limit"));
        properties.put(
                "executionId",
                string("the usage record the run was billed under").with("format", "uuid"));
        return object(
                properties,
                List.of(
                        "stdout",
                        "stderr",
                        "exitCode",
                        "executionTimeMs",
                        "memoryUsageMb",
                        "timedOut",
                        "cost",
                        "status",
                        "signal",
                        "outputTruncated",
                        "executionId"));
    }

    private static Map<String, Object> object(
            Map<String, Object> properties, List<String> required) {
        Map<String, Object> schema = new LinkedHashMap<>();
        schema.put("type", "object");
        schema.put("properties", properties);
        schema.put("required", required);
        return schema;
    }

    private static List<String> wireNames(Stream<? extends Enum<?>> constants) {
        return constants.map(WireNames::of).toList();
    }

    private static Schema string(String description) {
        return new Schema(Map.of("type", "string")).with("description", description);
    }

    private static Schema integer(String description) {
        return new Schema(Map.of("type", "integer")).with("description", description);
    }

    private static Schema number(String description) {
        return new Schema(Map.of("type", "number")).with("description", description);
    }

    private static Schema bool(String description) {
        return new Schema(Map.of("type", "boolean")).with("description", description);
    }

    /** One property's schema: a JSON object built a keyword at a time. */
    private static final class Schema extends LinkedHashMap<String, Object> {

        Schema(Map<String, Object> keywords) {
            super(keywords);
        }

        Schema with(String keyword, Object value) {
            put(keyword, value);
            return this;
        }
    }
}
