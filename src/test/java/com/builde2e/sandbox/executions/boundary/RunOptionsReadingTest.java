package com.builde2e.sandbox.executions.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.builde2e.sandbox.platform.RequestRefusedException;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** The request's files, env, args and per-run limits as the reader takes or refuses them. */
class RunOptionsReadingTest {

    private static JsonObjectBuilder plain() {
        return Json.createObjectBuilder().add("code", "print(1)").add("language", "python");
    }

    private static ExecutionRequest read(JsonObjectBuilder request) {
        return ExecutionRequestReader.read(request.build());
    }

    private static JsonObject file(String path, String content, String encoding) {
        JsonObjectBuilder file =
                Json.createObjectBuilder().add("path", path).add("content", content);
        return encoding == null ? file.build() : file.add("encoding", encoding).build();
    }

    @Test
    void aPlainRequestHasNoneOfTheNewFields() {
        ExecutionRequest request = read(plain());
        assertNull(request.files());
        assertNull(request.env());
        assertNull(request.args());
        assertNull(request.timeoutMs());
        assertNull(request.memoryMb());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
        "a.txt, a.txt",
        "./data//in.csv, data/in.csv",
        "data/./in.csv/, data/in.csv",
        "..a/b.., ..a/b..",
        "a\\..\\b, a\\..\\b",
    })
    void normalisesPaths(String path, String normalised) {
        assertEquals(normalised, InputFilesReader.normalise(path, "files[0]"));
    }

    @Test
    void filesArriveInBase64WhateverTheCallerSent() {
        ExecutionRequest request =
                read(
                        plain().add(
                                        "files",
                                        Json.createArrayBuilder()
                                                .add(file("a.txt", "héllo", null))
                                                .add(file("b.bin", "AAEC/w==", "base64"))));
        assertEquals(
                "héllo", new String(Base64.getDecoder().decode(request.files().get(0).content())));
        assertEquals(6, request.files().get(0).sizeBytes());
        assertEquals(4, request.files().get(1).sizeBytes());
        assertEquals("base64", request.files().get(1).encoding());
    }

    @Test
    void takesFilesOfExactlyTheLimit() {
        String content = "x".repeat(InputFilesReader.MAX_TOTAL_BYTES / 2);
        ExecutionRequest request =
                read(
                        plain().add(
                                        "files",
                                        Json.createArrayBuilder()
                                                .add(file("a", content, "utf-8"))
                                                .add(file("b", content, "utf-8"))));
        assertEquals(2, request.files().size());
    }

    @Test
    void keepsEnvAndArgsAsGiven() {
        ExecutionRequest request =
                read(
                        plain().add("env", Json.createObjectBuilder().add("B", "2").add("a_1", ""))
                                .add("args", Json.createArrayBuilder().add("x y").add("")));
        assertEquals(Map.of("B", "2", "a_1", ""), request.env());
        assertEquals(List.of("x y", ""), request.args());
    }

    @ParameterizedTest(name = "{0} is reserved")
    @ValueSource(
            strings = {
                "PATH",
                "LD_PRELOAD",
                "PYTHONSTARTUP",
                "NODE_OPTIONS",
                "LC_ALL",
                "MALLOC_ARENA_MAX"
            })
    void refusesReservedNames(String name) {
        RequestRefusedException e =
                assertThrows(
                        RequestRefusedException.class,
                        () -> read(plain().add("env", Json.createObjectBuilder().add(name, "x"))));
        assertEquals("env", e.body().field());
    }

    @Test
    void takesTheLimitsAtTheirEnds() {
        ExecutionRequest low =
                read(
                        plain().add("timeoutMs", RunOptionsReader.MIN_TIMEOUT_MS)
                                .add("memoryMb", RunOptionsReader.MIN_MEMORY_MB));
        assertEquals(RunOptionsReader.MIN_TIMEOUT_MS, low.timeoutMs());
        ExecutionRequest high =
                read(
                        plain().add("timeoutMs", RunOptionsReader.MAX_TIMEOUT_MS)
                                .add("memoryMb", RunOptionsReader.MAX_MEMORY_MB));
        assertEquals(RunOptionsReader.MAX_MEMORY_MB, high.memoryMb());
        assertEquals(256L << 20, Executions.agentRequest(high).memoryBytes(), "memoryMb in bytes");
    }
}
