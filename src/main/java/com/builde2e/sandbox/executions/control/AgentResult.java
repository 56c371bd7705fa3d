package com.builde2e.sandbox.executions.control;

import com.builde2e.sandbox.executions.entity.RunStatus;
import jakarta.json.JsonNumber;
import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.List;

/**
 * The agent's answer to a run request, as defined in kata-agent/PROTOCOL.md. Times and memory stay
 * exact decimals so that "95.23" reaches the caller and the usage table as "95.23". {@code files}
 * and {@code filesTruncated} are null when the agent left them out (a plain run that wrote no
 * file).
 */
public record AgentResult(
        RunStatus status,
        int exitCode,
        String signal,
        boolean timedOut,
        String stdout,
        String stderr,
        long stdoutBytes,
        long stderrBytes,
        boolean outputTruncated,
        BigDecimal executionTimeMs,
        BigDecimal memoryUsageMb,
        String error,
        String errorField,
        List<AgentFile> files,
        Boolean filesTruncated) {

    /**
     * Reads a response object; fields a status does not need (the numbers of a run that never
     * started) default to zero, but a missing or unknown status is a protocol violation.
     *
     * @throws IllegalArgumentException when the object is not a run response
     */
    public static AgentResult from(JsonObject json) {
        String statusName = json.getString("status", null);
        RunStatus status =
                RunStatus.fromWireName(statusName)
                        .orElseThrow(
                                () ->
                                        new IllegalArgumentException(
                                                "unknown run status " + statusName));
        return new AgentResult(
                status,
                json.getInt("exitCode", -1),
                text(json, "signal"),
                json.getBoolean("timedOut", false),
                json.getString("stdout", ""),
                json.getString("stderr", ""),
                count(json, "stdoutBytes"),
                count(json, "stderrBytes"),
                json.getBoolean("outputTruncated", false),
                decimal(json, "executionTimeMs"),
                decimal(json, "memoryUsageMb"),
                text(json, "error"),
                text(json, "errorField"),
                files(json),
                json.containsKey("filesTruncated") ? json.getBoolean("filesTruncated") : null);
    }

    /** The files the run created or changed, or null when the agent sent no list. */
    private static List<AgentFile> files(JsonObject json) {
        JsonValue value = json.get("files");
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        return value.asJsonArray().stream()
                .map(JsonValue::asJsonObject)
                .map(
                        f ->
                                new AgentFile(
                                        f.getString("path"),
                                        count(f, "sizeBytes"),
                                        f.getString("content")))
                .toList();
    }

    private static String text(JsonObject json, String name) {
        JsonValue value = json.get(name);
        return value != null && value.getValueType() == JsonValue.ValueType.STRING
                ? json.getString(name)
                : null;
    }

    private static long count(JsonObject json, String name) {
        JsonNumber number = json.getJsonNumber(name);
        return number == null ? 0 : number.longValueExact();
    }

    private static BigDecimal decimal(JsonObject json, String name) {
        JsonNumber number = json.getJsonNumber(name);
        return number == null ? BigDecimal.ZERO : number.bigDecimalValue();
    }
}
