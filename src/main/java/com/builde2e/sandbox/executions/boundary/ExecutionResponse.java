package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.executions.control.AgentResult;
import jakarta.json.bind.annotation.JsonbNillable;
import jakarta.json.bind.annotation.JsonbPropertyOrder;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * The result of a run: the public contract's seven fields in its order ({@code error} only when our
 * infrastructure failed), then what we add: why the run ended, the killing signal, whether output
 * was cut, and the id of the usage record it was billed under; last, only when the request used
 * files, env, args or streaming or the run wrote a file, the files it created or changed ({@code
 * files} and {@code filesTruncated} are left out of the JSON when null, so that a plain run answers
 * exactly the fields it always did).
 */
@Schema(name = "ExecutionResponse")
@JsonbPropertyOrder({
    "stdout",
    "stderr",
    "exitCode",
    "executionTimeMs",
    "memoryUsageMb",
    "timedOut",
    "cost",
    "error",
    "status",
    "signal",
    "outputTruncated",
    "executionId",
    "files",
    "filesTruncated"
})
public record ExecutionResponse(
        String stdout,
        String stderr,
        @Schema(description = "0 = success, 124 = timeout, 137 = killed for memory or output")
                int exitCode,
        @Schema(example = "95.23") BigDecimal executionTimeMs,
        @Schema(description = "peak memory of the whole run, MiB", example = "8.45")
                BigDecimal memoryUsageMb,
        boolean timedOut,
        @Schema(description = "USD", example = "0.002") BigDecimal cost,
        @Schema(description = "present only when the infrastructure failed") String error,
        @Schema(
                        enumeration = {
                            "completed",
                            "failed",
                            "timed_out",
                            "memory_limit",
                            "output_limit",
                            "killed",
                            "infra_error"
                        })
                String status,
        @JsonbNillable @Schema(nullable = true, example = "SIGKILL") String signal,
        boolean outputTruncated,
        UUID executionId,
        @Schema(
                        type = SchemaType.ARRAY,
                        implementation = OutputFile.class,
                        description =
                                "regular files the run created or changed under its working"
                                        + " directory, in path order; present only when the"
                                        + " request used files, env, args or streaming, or the"
                                        + " run wrote a file")
                List<OutputFile> files,
        @Schema(
                        description =
                                "true when the run left more files or bytes than are returned;"
                                        + " present with files")
                Boolean filesTruncated) {

    /** A run that started and was billed. */
    public static ExecutionResponse of(AgentResult run, BigDecimal cost, UUID executionId) {
        return new ExecutionResponse(
                run.stdout(),
                run.stderr(),
                run.exitCode(),
                run.executionTimeMs(),
                run.memoryUsageMb(),
                run.timedOut(),
                cost,
                null,
                run.status().wireName(),
                run.signal(),
                run.outputTruncated(),
                executionId,
                run.files() == null ? null : run.files().stream().map(OutputFile::of).toList(),
                run.files() == null ? null : Boolean.TRUE.equals(run.filesTruncated()));
    }

    /** No run took place: nothing billed, {@code error} says why. */
    public static ExecutionResponse unavailable(String error) {
        return new ExecutionResponse(
                "",
                "",
                -1,
                BigDecimal.ZERO,
                BigDecimal.ZERO,
                false,
                BigDecimal.ZERO,
                error,
                "infra_error",
                null,
                false,
                null,
                null,
                null);
    }
}
