package com.builde2e.sandbox.apikeys.boundary;

import com.builde2e.sandbox.platform.RequestRefusedException;
import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
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

/**
 * Reads {@code {"name": "..."}} so that every mistake (no body, malformed JSON, a missing, blank,
 * non-string or too long name) is a 400 naming the field rather than whatever a generic binder
 * would throw.
 */
@Provider
@Consumes(MediaType.APPLICATION_JSON)
public class NewApiKeyReader implements MessageBodyReader<NewApiKey> {

    /** The {@code api_key.name} column's size. */
    static final int MAX_NAME_CHARS = 200;

    @Override
    public boolean isReadable(
            Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == NewApiKey.class;
    }

    @Override
    public NewApiKey readFrom(
            Class<NewApiKey> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, String> headers,
            InputStream body) {
        JsonValue name = object(body).get("name");
        if (!(name instanceof JsonString text) || text.getString().isBlank()) {
            throw RequestRefusedException.invalid(
                    "name",
                    "name is required: a non-empty string saying who or what the key is for");
        }
        String value = text.getString().strip();
        if (value.codePointCount(0, value.length()) > MAX_NAME_CHARS) {
            throw RequestRefusedException.invalid(
                    "name", "name must be at most " + MAX_NAME_CHARS + " characters");
        }
        return new NewApiKey(value);
    }

    private static JsonObject object(InputStream body) {
        try {
            if (Json.createReader(body).readValue() instanceof JsonObject json) {
                return json;
            }
        } catch (JsonException e) {
            // not JSON at all: the same answer as JSON that is not an object
        }
        throw RequestRefusedException.invalid(
                null, "the request body must be a JSON object such as {\"name\": \"ci\"}");
    }
}
