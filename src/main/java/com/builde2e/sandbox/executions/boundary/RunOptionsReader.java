package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.executions.control.ReservedVariables;
import com.builde2e.sandbox.platform.RequestRefusedException;
import jakarta.json.JsonNumber;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads the request's {@code env}, {@code args}, {@code timeoutMs} and {@code memoryMb}, refusing
 * each bad value with a 400 naming its field. The per-run limits may only lower the plan's own (the
 * agent's defaults, 10 s and 256 MiB): a higher value is refused, never clamped, so that a caller
 * never believes a run had more than it got.
 */
final class RunOptionsReader {

    static final int MAX_ENV_ENTRIES = 64;

    /** 32 KiB of names and values together, in UTF-8. */
    static final int MAX_ENV_BYTES = 32 << 10;

    static final String ENV_NAME_PATTERN = "[A-Za-z_][A-Za-z0-9_]*";
    static final int MAX_ARGS = 64;

    /** 32 KiB of arguments together, in UTF-8. */
    static final int MAX_ARGS_BYTES = 32 << 10;

    static final int MIN_TIMEOUT_MS = 1;

    /** The plan's wall-time limit, the agent's default. */
    static final int MAX_TIMEOUT_MS = 10_000;

    static final int MIN_MEMORY_MB = 16;

    /** The plan's memory limit, the agent's default. */
    static final int MAX_MEMORY_MB = 256;

    private static final Pattern ENV_NAME = Pattern.compile(ENV_NAME_PATTERN);

    private RunOptionsReader() {}

    /**
     * @return the variables in the caller's order, or null when absent
     */
    static Map<String, String> env(JsonValue value) {
        if (absent(value)) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw RequestRefusedException.invalid(
                    "env", "env must be an object of names to string values");
        }
        Map<String, JsonValue> entries = value.asJsonObject();
        if (entries.size() > MAX_ENV_ENTRIES) {
            throw RequestRefusedException.invalid(
                    "env",
                    "env has " + entries.size() + " entries, the limit is " + MAX_ENV_ENTRIES);
        }
        Map<String, String> env = new LinkedHashMap<>();
        long bytes = 0;
        for (Map.Entry<String, JsonValue> entry : entries.entrySet()) {
            String name = entry.getKey();
            checkName(name);
            if (!(entry.getValue() instanceof JsonString text)) {
                throw RequestRefusedException.invalid("env", "env." + name + " must be a string");
            }
            String variable = text.getString();
            if (variable.indexOf('\0') >= 0) {
                throw RequestRefusedException.invalid(
                        "env", "env." + name + " contains a NUL character");
            }
            bytes +=
                    ExecutionRequestReader.utf8Length(name)
                            + ExecutionRequestReader.utf8Length(variable);
            env.put(name, variable);
        }
        if (bytes > MAX_ENV_BYTES) {
            throw RequestRefusedException.invalid(
                    "env",
                    "env holds "
                            + bytes
                            + " bytes of names and values, the limit is "
                            + MAX_ENV_BYTES);
        }
        return env;
    }

    private static void checkName(String name) {
        if (!ENV_NAME.matcher(name).matches()) {
            throw RequestRefusedException.invalid(
                    "env", "env name " + quote(name) + " does not match " + ENV_NAME_PATTERN);
        }
        if (ReservedVariables.isReserved(name)) {
            throw RequestRefusedException.invalid(
                    "env",
                    "env name "
                            + name
                            + " is reserved: it changes how the runtime or the sandbox behaves");
        }
    }

    /**
     * @return the arguments, or null when absent
     */
    static List<String> args(JsonValue value) {
        if (absent(value)) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw RequestRefusedException.invalid("args", "args must be an array of strings");
        }
        List<JsonValue> items = value.asJsonArray();
        if (items.size() > MAX_ARGS) {
            throw RequestRefusedException.invalid(
                    "args", "args has " + items.size() + " entries, the limit is " + MAX_ARGS);
        }
        List<String> args = new ArrayList<>(items.size());
        long bytes = 0;
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof JsonString text)) {
                throw RequestRefusedException.invalid("args", "args[" + i + "] must be a string");
            }
            if (text.getString().indexOf('\0') >= 0) {
                throw RequestRefusedException.invalid(
                        "args", "args[" + i + "] contains a NUL character");
            }
            bytes += ExecutionRequestReader.utf8Length(text.getString());
            args.add(text.getString());
        }
        if (bytes > MAX_ARGS_BYTES) {
            throw RequestRefusedException.invalid(
                    "args", "args hold " + bytes + " bytes, the limit is " + MAX_ARGS_BYTES);
        }
        return List.copyOf(args);
    }

    /**
     * @return the wall-time limit in ms, or null when absent
     */
    static Integer timeoutMs(JsonValue value) {
        return limit(value, "timeoutMs", MIN_TIMEOUT_MS, MAX_TIMEOUT_MS);
    }

    /**
     * @return the memory limit in MiB, or null when absent
     */
    static Integer memoryMb(JsonValue value) {
        return limit(value, "memoryMb", MIN_MEMORY_MB, MAX_MEMORY_MB);
    }

    private static Integer limit(JsonValue value, String field, int min, int max) {
        if (absent(value)) {
            return null;
        }
        if (!(value instanceof JsonNumber number) || !number.isIntegral()) {
            throw RequestRefusedException.invalid(field, field + " must be a whole number");
        }
        if (number.bigDecimalValue().compareTo(BigDecimal.valueOf(max)) > 0) {
            throw RequestRefusedException.invalid(
                    field, field + " is " + number + ", above the plan's limit of " + max);
        }
        if (number.bigDecimalValue().compareTo(BigDecimal.valueOf(min)) < 0) {
            throw RequestRefusedException.invalid(
                    field, field + " is " + number + ", the least is " + min);
        }
        return number.intValue();
    }

    private static boolean absent(JsonValue value) {
        return value == null || value.getValueType() == JsonValue.ValueType.NULL;
    }

    private static String quote(String text) {
        return "\"" + text.replace("\0", "\\0") + "\"";
    }
}
