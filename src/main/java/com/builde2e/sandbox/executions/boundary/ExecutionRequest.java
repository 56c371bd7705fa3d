package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.runtimes.entity.Language;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A snippet to run, already checked by {@link ExecutionRequestReader}: code is a non-empty string
 * of at most {@value ExecutionRequestReader#MAX_CODE_BYTES} UTF-8 bytes; every optional field is
 * null when absent (a request without them runs exactly as a plain one).
 */
@Schema(name = "ExecutionRequest")
public record ExecutionRequest(
        @Schema(
                        required = true,
                        description =
                                "the code to run, at most "
                                        + ExecutionRequestReader.MAX_CODE_BYTES
                                        + " UTF-8 bytes",
                        example = "print(sum(range(1, 101)))")
                String code,
        @Schema(
                        required = true,
                        type = SchemaType.STRING,
                        enumeration = {"python", "javascript"})
                Language language,
        @Schema(description = "standard input for the program; absent means an empty input")
                String stdin,
        @Schema(
                        type = SchemaType.ARRAY,
                        implementation = InputFile.class,
                        description =
                                "files written into the run's working directory before it starts:"
                                        + " at most "
                                        + InputFilesReader.MAX_FILES
                                        + " files, "
                                        + InputFilesReader.MAX_TOTAL_BYTES
                                        + " bytes decoded in total, distinct paths")
                List<InputFile> files,
        @Schema(
                        type = SchemaType.OBJECT,
                        additionalProperties = String.class,
                        description =
                                "environment variables for the run: at most "
                                        + RunOptionsReader.MAX_ENV_ENTRIES
                                        + " entries and "
                                        + RunOptionsReader.MAX_ENV_BYTES
                                        + " bytes of names and values; names match "
                                        + RunOptionsReader.ENV_NAME_PATTERN
                                        + "; names that change how the runtime or the jail"
                                        + " behave (PATH, HOME, LD_*, PYTHON*, NODE_*, ...) are"
                                        + " refused",
                        example = "{\"GREETING\": \"hello\"}")
                Map<String, String> env,
        @Schema(
                        type = SchemaType.ARRAY,
                        implementation = String.class,
                        description =
                                "the program's arguments (sys.argv[1:] in Python,"
                                        + " process.argv.slice(2) in JavaScript): at most "
                                        + RunOptionsReader.MAX_ARGS
                                        + " strings, "
                                        + RunOptionsReader.MAX_ARGS_BYTES
                                        + " bytes in total")
                List<String> args,
        @Schema(
                        description =
                                "a lower wall-time limit for this run, in ms; above the plan's"
                                        + " limit is refused",
                        minimum = "" + RunOptionsReader.MIN_TIMEOUT_MS,
                        maximum = "" + RunOptionsReader.MAX_TIMEOUT_MS)
                Integer timeoutMs,
        @Schema(
                        description =
                                "a lower memory limit for this run, in MiB; above the plan's limit"
                                        + " is refused",
                        minimum = "" + RunOptionsReader.MIN_MEMORY_MB,
                        maximum = "" + RunOptionsReader.MAX_MEMORY_MB)
                Integer memoryMb) {

    public int codeBytes() {
        return ExecutionRequestReader.utf8Length(code);
    }
}
