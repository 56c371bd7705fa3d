package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.platform.RequestRefusedException;
import com.builde2e.sandbox.platform.WireNames;
import com.builde2e.sandbox.runtimes.entity.Language;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.MessageBodyReader;
import jakarta.ws.rs.ext.Provider;
import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Reads and validates an execute request body field by field, so that every mistake (malformed
 * JSON, a missing field, a wrong type, an unknown language, oversized code, a bad file, variable,
 * argument or limit) becomes a 400 or 413 naming the field, instead of whatever a generic binder
 * would coerce or throw. Nothing refused here reaches the agent or is billed.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class ExecutionRequestReader implements MessageBodyReader<ExecutionRequest> {

    /**
     * The public limit on code, counted in UTF-8 bytes; defined here alone on the service's side.
     */
    public static final int MAX_CODE_BYTES = 102_400;

    /**
     * The agent's limit on standard input, in UTF-8 bytes: checked here too, now that the body
     * limit leaves room for more, so that an oversized stdin is refused before it is sent.
     */
    static final int MAX_STDIN_BYTES = 1 << 20;

    /**
     * Made once: every {@code Json.createReader} looks the JSON-P provider up again through the
     * ServiceLoader, a scan of the application's class path that cost more CPU per request than
     * parsing the body itself.
     */
    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    @Override
    public boolean isReadable(
            Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == ExecutionRequest.class;
    }

    @Override
    public ExecutionRequest readFrom(
            Class<ExecutionRequest> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> headers,
            InputStream body) {
        return parse(body);
    }

    /**
     * @throws RequestRefusedException 400 or 413 naming the field at fault
     */
    public ExecutionRequest parse(InputStream body) {
        return read(readObject(body));
    }

    /**
     * Checks a request given as a JSON object (the execute endpoint's body, or the same fields
     * arriving another way) field by field.
     *
     * @throws RequestRefusedException 400 or 413 naming the field at fault
     */
    public static ExecutionRequest read(JsonObject json) {
        String code = requiredString(json, "code");
        if (code.isEmpty()) {
            throw RequestRefusedException.invalid("code", "code must not be empty");
        }
        int codeBytes = utf8Length(code);
        if (codeBytes > MAX_CODE_BYTES) {
            throw RequestRefusedException.tooLarge(
                    "code",
                    "code is " + codeBytes + " bytes (UTF-8), the limit is " + MAX_CODE_BYTES);
        }
        String languageName = requiredString(json, "language");
        Language language =
                Language.fromWireName(languageName)
                        .orElseThrow(
                                () ->
                                        RequestRefusedException.invalid(
                                                "language",
                                                "language must be one of: "
                                                        + WireNames.list(Language.class)));
        return new ExecutionRequest(
                code,
                language,
                stdin(json),
                InputFilesReader.read(json.get("files")),
                RunOptionsReader.env(json.get("env")),
                RunOptionsReader.args(json.get("args")),
                RunOptionsReader.timeoutMs(json.get("timeoutMs")),
                RunOptionsReader.memoryMb(json.get("memoryMb")));
    }

    private static String stdin(JsonObject json) {
        String stdin = optionalString(json, "stdin");
        if (stdin != null && utf8Length(stdin) > MAX_STDIN_BYTES) {
            throw RequestRefusedException.tooLarge(
                    "stdin",
                    "stdin is "
                            + utf8Length(stdin)
                            + " bytes (UTF-8), the limit is "
                            + MAX_STDIN_BYTES);
        }
        return stdin;
    }

    static int utf8Length(String text) {
        return text.getBytes(StandardCharsets.UTF_8).length;
    }

    private static JsonObject readObject(InputStream body) {
        try (JsonReader reader = READERS.createReader(body)) {
            JsonValue value = reader.readValue();
            if (value.getValueType() != JsonValue.ValueType.OBJECT) {
                throw RequestRefusedException.invalid(
                        null, "the request body must be a JSON object");
            }
            return value.asJsonObject();
        } catch (JsonException e) {
            throw RequestRefusedException.invalid(null, "the request body is not valid JSON");
        }
    }

    private static String requiredString(JsonObject json, String field) {
        String value = optionalString(json, field);
        if (value == null) {
            throw RequestRefusedException.invalid(field, field + " is required");
        }
        return value;
    }

    private static String optionalString(JsonObject json, String field) {
        JsonValue value = json.get(field);
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.STRING) {
            throw RequestRefusedException.invalid(field, field + " must be a string");
        }
        return ((JsonString) value).getString();
    }
}
