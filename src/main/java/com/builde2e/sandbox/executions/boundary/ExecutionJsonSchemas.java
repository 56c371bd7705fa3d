package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.executions.entity.RunStatus;
import com.builde2e.sandbox.platform.WireNames;
import com.builde2e.sandbox.runtimes.entity.Language;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The execute request and response as JSON Schemas (draft 2020-12), for callers that describe the
 * endpoint to someone else, such as an MCP tool's input and output schemas. Built from the
 * constants the readers enforce (languages, statuses, limits), so a schema cannot drift from the
 * endpoint; the readers stay the ones that decide (a value a schema lets through may still be
 * refused, with the field named).
 */
public final class ExecutionJsonSchemas {

    private ExecutionJsonSchemas() {}

    public static Map<String, Object> request() {
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
        properties.put("files", inputFiles());
        properties.put(
                "env",
                new Schema("object")
                        .with(
                                "description",
                                "environment variables for the run, at most "
                                        + RunOptionsReader.MAX_ENV_BYTES
                                        + " bytes of names and values; names that change how the"
                                        + " runtime or the sandbox behave (PATH, HOME, LD_*,"
                                        + " PYTHON*, NODE_*, ...) are refused")
                        .with("maxProperties", RunOptionsReader.MAX_ENV_ENTRIES)
                        .with(
                                "propertyNames",
                                Map.of("pattern", "^" + RunOptionsReader.ENV_NAME_PATTERN + "$"))
                        .with("additionalProperties", Map.of("type", "string")));
        properties.put(
                "args",
                new Schema("array")
                        .with(
                                "description",
                                "the program's arguments (sys.argv[1:] in Python,"
                                        + " process.argv.slice(2) in JavaScript), at most "
                                        + RunOptionsReader.MAX_ARGS_BYTES
                                        + " bytes in total")
                        .with("maxItems", RunOptionsReader.MAX_ARGS)
                        .with("items", Map.of("type", "string")));
        properties.put(
                "timeoutMs",
                integer("a lower wall-time limit for this run, ms")
                        .with("minimum", RunOptionsReader.MIN_TIMEOUT_MS)
                        .with("maximum", RunOptionsReader.MAX_TIMEOUT_MS));
        properties.put(
                "memoryMb",
                integer("a lower memory limit for this run, MiB")
                        .with("minimum", RunOptionsReader.MIN_MEMORY_MB)
                        .with("maximum", RunOptionsReader.MAX_MEMORY_MB));
        return object(properties, List.of("code", "language"));
    }

    /** The response of a run that started and was billed (a 503's {@code error} is left out). */
    public static Map<String, Object> billedResponse() {
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
                                wireNames(
                                        Arrays.stream(RunStatus.values())
                                                .filter(RunStatus::started))));
        properties.put(
                "signal",
                new Schema(List.of("string", "null"))
                        .with("description", "the signal that ended the program, or null"));
        properties.put("outputTruncated", bool("whether output was cut at the output limit"));
        properties.put(
                "executionId",
                string("the usage record the run was billed under").with("format", "uuid"));
        properties.put("files", outputFiles());
        properties.put(
                "filesTruncated", bool("whether the run left more files or bytes than returned"));
        // every field but the files, which only some runs have
        List<String> always =
                properties.keySet().stream().filter(name -> !name.startsWith("files")).toList();
        return object(properties, always);
    }

    private static Schema inputFiles() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put(
                "path",
                string(
                                "relative to the working directory (the program's current directory),"
                                        + " segments separated by /, no .. segment")
                        .with("minLength", 1));
        file.put("content", string("the file's bytes, as encoding says"));
        file.put(
                "encoding",
                string("how content is written")
                        .with("enum", List.of("utf-8", "base64"))
                        .with("default", "utf-8"));
        return new Schema("array")
                .with(
                        "description",
                        "files written into the run's working directory before it starts, at most "
                                + InputFilesReader.MAX_TOTAL_BYTES
                                + " bytes decoded in total, distinct paths")
                .with("maxItems", InputFilesReader.MAX_FILES)
                .with("items", object(file, List.of("path", "content")));
    }

    private static Schema outputFiles() {
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("path", string("relative to the working directory"));
        file.put("sizeBytes", integer("the file's size"));
        file.put("mimeType", string("the file's type, judged from its first bytes or its name"));
        file.put("encoding", string("how content is written").with("enum", List.of("base64")));
        file.put("content", string("the file's bytes"));
        return new Schema("array")
                .with(
                        "description",
                        "regular files the run created or changed under its working directory,"
                                + " in path order; present only when the request used files, env,"
                                + " args or streaming, or the run wrote a file")
                .with(
                        "items",
                        object(
                                file,
                                List.of("path", "sizeBytes", "mimeType", "encoding", "content")));
    }

    private static Schema object(Map<String, Object> properties, List<String> required) {
        return new Schema("object").with("properties", properties).with("required", required);
    }

    private static List<String> wireNames(Stream<? extends Enum<?>> constants) {
        return constants.map(WireNames::of).toList();
    }

    private static Schema string(String description) {
        return new Schema("string").with("description", description);
    }

    private static Schema integer(String description) {
        return new Schema("integer").with("description", description);
    }

    private static Schema number(String description) {
        return new Schema("number").with("description", description);
    }

    private static Schema bool(String description) {
        return new Schema("boolean").with("description", description);
    }

    /** A schema: a JSON object built a keyword at a time, its type first. */
    private static final class Schema extends LinkedHashMap<String, Object> {

        Schema(Object type) {
            put("type", type);
        }

        Schema with(String keyword, Object value) {
            put(keyword, value);
            return this;
        }
    }
}
