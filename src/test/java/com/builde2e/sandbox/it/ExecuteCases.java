package com.builde2e.sandbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The execute endpoint end to end: the public documentation's examples with their exact output,
 * every kind of bad input, billing, saturation and an agent outage.
 */
public final class ExecuteCases {

    private static final BigDecimal PRICE = new BigDecimal("0.002");

    /** The fields of a plain run's answer, in their order. */
    static final List<String> RUN_FIELDS =
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
                    "executionId");

    private final Api api;
    private final TestDatabase db;
    private final String key;

    public ExecuteCases(Api api, TestDatabase db, String key) {
        this.api = api;
        this.db = db;
        this.key = key;
    }

    public Stream<DynamicTest> seedExamples() {
        return Stream.of(
                dynamicTest(
                        "python sum (API docs request)",
                        () ->
                                assertRun(
                                        api.execute(key, "python", "print(sum(range(1, 101)))"),
                                        "5050\n")),
                dynamicTest(
                        "python json + math (API docs)",
                        () ->
                                assertRun(
                                        api.execute(
                                                key,
                                                "python",
                                                "import json\nimport math\n\ndata = {\n    \"name\": \"BuildE2E\",\n    \"version\": 1,\n"
                                                        + "    \"sqrt\": math.sqrt(16)\n}\nprint(json.dumps(data, indent=2))"),
                                        "{\n  \"name\": \"BuildE2E\",\n  \"version\": 1,\n  \"sqrt\": 4.0\n}\n")),
                dynamicTest(
                        "javascript sort (API docs)",
                        () ->
                                assertRun(
                                        api.execute(
                                                key,
                                                "javascript",
                                                "const data = [3,1,4,1,5,9]; console.log(JSON.stringify(data.sort((a,b) => a-b)));"),
                                        "[1,1,3,4,5,9]\n")),
                dynamicTest(
                        "python numpy (SDK docs example)",
                        () ->
                                assertRun(
                                        api.execute(
                                                key,
                                                "python",
                                                "import numpy as np; print(np.array([1, 2, 3]))"),
                                        "[1 2 3]\n")),
                dynamicTest(
                        "javascript lodash (SDK docs example)",
                        () ->
                                assertRun(
                                        api.execute(
                                                key,
                                                "javascript",
                                                "const _ = require(\"lodash\"); console.log(_.chunk([1,2,3,4], 2));"),
                                        "[ [ 1, 2 ], [ 3, 4 ] ]\n")),
                dynamicTest(
                        "division by zero is billed and reported (API docs error example)",
                        this::divisionByZero),
                dynamicTest(
                        "a run past 10 s times out with 124 (API docs timeout example)",
                        this::timeout),
                dynamicTest(
                        "stdin reaches the program",
                        () ->
                                assertRun(
                                        api.postJson(
                                                Api.EXECUTE,
                                                key,
                                                "{\"code\":\"import sys; print(sys.stdin.read().upper())\",\"language\":\"python\","
                                                        + "\"stdin\":\"abc\"}"),
                                        "ABC\n")),
                dynamicTest(
                        "the /api/v1 path of the API docs' curl examples",
                        () ->
                                assertRun(
                                        api.postJson(
                                                "api/" + Api.EXECUTE,
                                                key,
                                                "{\"code\":\"print('Hello, World!')\",\"language\":\"python\"}"),
                                        "Hello, World!\n")));
    }

    public Stream<DynamicTest> badInput() {
        String big = "#".repeat(102_401);
        return Stream.of(
                badRequest("malformed JSON", "{\"code\":", null),
                badRequest("a JSON array", "[\"print(1)\"]", null),
                badRequest("an empty body", "", null),
                badRequest("code missing", "{\"language\":\"python\"}", "code"),
                badRequest("code empty", "{\"code\":\"\",\"language\":\"python\"}", "code"),
                badRequest("code a number", "{\"code\":1,\"language\":\"python\"}", "code"),
                badRequest("language missing", "{\"code\":\"print(1)\"}", "language"),
                badRequest(
                        "language unknown",
                        "{\"code\":\"print(1)\",\"language\":\"ruby\"}",
                        "language"),
                badRequest(
                        "language not a string",
                        "{\"code\":\"print(1)\",\"language\":[]}",
                        "language"),
                badRequest(
                        "stdin not a string",
                        "{\"code\":\"1\",\"language\":\"python\",\"stdin\":{}}",
                        "stdin"),
                dynamicTest(
                        "code over 102400 bytes -> 413",
                        () ->
                                assertError(
                                        api.postJson(
                                                Api.EXECUTE,
                                                key,
                                                "{\"code\":\""
                                                        + big
                                                        + "\",\"language\":\"python\"}"),
                                        413,
                                        "code")),
                dynamicTest(
                        "body announced over 16 MiB -> 413 before it is sent",
                        () ->
                                assertTooLarge(
                                        api.rawPost(
                                                Api.EXECUTE,
                                                key,
                                                "Content-Length: 1100000000",
                                                new byte[1024]))),
                dynamicTest(
                        "chunked body over 16 MiB -> 413 after at most 16 MiB",
                        () ->
                                assertTooLarge(
                                        api.rawPost(
                                                Api.EXECUTE,
                                                key,
                                                "Transfer-Encoding: chunked",
                                                oneChunk(17_000_000)))),
                dynamicTest(
                        "not JSON -> 415 with a JSON body",
                        () ->
                                assertError(
                                        api.send(
                                                Api.withKey(api.request(Api.EXECUTE), key)
                                                        .header("Content-Type", "text/plain")
                                                        .POST(
                                                                HttpRequest.BodyPublishers.ofString(
                                                                        "print(1)"))
                                                        .build()),
                                        415,
                                        null)),
                dynamicTest(
                        "GET -> 405 with a JSON body",
                        () -> assertError(api.get(Api.EXECUTE, key), 405, null)),
                dynamicTest(
                        "no API key -> 401 with a JSON body",
                        () -> assertError(api.execute(null, "python", "print(1)"), 401, null)),
                dynamicTest(
                        "an unknown API key -> 401",
                        () ->
                                assertError(
                                        api.execute("uc-" + "A".repeat(43), "python", "print(1)"),
                                        401,
                                        null)));
    }

    public Stream<DynamicTest> billing() {
        return Stream.of(
                dynamicTest("N runs -> N usage rows costing N x 0.002", this::nRunsNRows),
                dynamicTest("the usage row records the run, not the code", this::usageRowContents),
                dynamicTest("saturated -> 503 with Retry-After, unbilled", this::saturation),
                dynamicTest(
                        "agent down -> 503 with error, unbilled; back up -> 200", this::agentDown),
                dynamicTest("billing fails -> 503, the result withheld", this::billingDown),
                dynamicTest(
                        "keys cannot be looked up -> 503 in each endpoint's shape",
                        this::keyLookupDown));
    }

    private static void assertTooLarge(String statusLine) {
        assertTrue(statusLine.startsWith("HTTP/1.1 413 "), statusLine);
    }

    /** One HTTP chunk of {@code size} spaces, without the closing empty chunk. */
    private static byte[] oneChunk(int size) {
        byte[] head = (Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = Arrays.copyOf(head, head.length + size);
        Arrays.fill(chunk, head.length, chunk.length, (byte) ' ');
        return chunk;
    }

    private void assertRun(Api.Reply reply, String stdout) {
        assertEquals(200, reply.status(), reply.body());
        JsonObject run = reply.json();
        assertEquals(Set.copyOf(RUN_FIELDS), run.keySet(), "exactly the documented fields");
        assertEquals(stdout, run.getString("stdout"));
        assertEquals("", run.getString("stderr"));
        assertEquals(0, run.getInt("exitCode"));
        assertEquals("completed", run.getString("status"));
        assertFalse(run.getBoolean("timedOut"));
        assertTrue(run.isNull("signal"));
        assertEquals(PRICE, run.getJsonNumber("cost").bigDecimalValue());
        assertTrue(run.getJsonNumber("executionTimeMs").doubleValue() > 0);
        assertTrue(run.getJsonNumber("memoryUsageMb").doubleValue() > 0);
        UUID.fromString(run.getString("executionId"));
    }

    private void divisionByZero() {
        Api.Reply reply = api.execute(key, "python", "print(1/0)");
        assertEquals(200, reply.status(), reply.body());
        JsonObject run = reply.json();
        assertEquals(1, run.getInt("exitCode"));
        assertEquals("failed", run.getString("status"));
        assertEquals("", run.getString("stdout"));
        assertEquals(
                "Traceback (most recent call last):\n  File \"<string>\", line 1, in <module>\n"
                        + "ZeroDivisionError: division by zero\n",
                run.getString("stderr"));
        assertEquals(PRICE, run.getJsonNumber("cost").bigDecimalValue());
    }

    private void timeout() {
        Api.Reply reply = api.execute(key, "python", "while True:\n    pass");
        assertEquals(200, reply.status(), reply.body());
        JsonObject run = reply.json();
        assertEquals(124, run.getInt("exitCode"));
        assertTrue(run.getBoolean("timedOut"));
        assertEquals("timed_out", run.getString("status"));
        assertTrue(run.getJsonNumber("executionTimeMs").doubleValue() >= 10_000);
        assertEquals(PRICE, run.getJsonNumber("cost").bigDecimalValue());
    }

    private DynamicTest badRequest(String name, String body, String field) {
        return dynamicTest(
                name + " -> 400" + (field == null ? "" : " naming " + field),
                () -> {
                    long before = db.usageCount();
                    assertError(api.postJson(Api.EXECUTE, key, body), 400, field);
                    assertEquals(before, db.usageCount(), "a refused request is not billed");
                });
    }

    static void assertError(Api.Reply reply, int status, String field) {
        assertEquals(status, reply.status(), reply.body());
        assertTrue(
                reply.header("Content-Type").startsWith("application/json"),
                reply.header("Content-Type"));
        JsonObject error = reply.json();
        assertFalse(error.getString("error").isBlank());
        assertEquals(field, error.getString("field", null));
        assertFalse(
                reply.body().contains("Exception"),
                "no stack trace or exception name: " + reply.body());
    }

    private void nRunsNRows() {
        int runs = 3;
        long rowsBefore = db.usageCount();
        BigDecimal costBefore = db.totalCost();
        List<String> ids =
                IntStream.range(0, runs)
                        .mapToObj(
                                i ->
                                        api.execute(
                                                key,
                                                i % 2 == 0 ? "python" : "javascript",
                                                i % 2 == 0
                                                        ? "print(" + i + ")"
                                                        : "console.log(" + i + ")"))
                        .peek(reply -> assertEquals(200, reply.status(), reply.body()))
                        .map(reply -> reply.json().getString("executionId"))
                        .toList();
        assertEquals(runs, ids.stream().distinct().count());
        assertEquals(rowsBefore + runs, db.usageCount());
        assertEquals(
                0,
                costBefore.add(PRICE.multiply(BigDecimal.valueOf(runs))).compareTo(db.totalCost()));
    }

    private void usageRowContents() {
        String code = "import sys; print('out'); print('error!', file=sys.stderr); sys.exit(3)";
        Api.Reply reply = api.execute(key, "python", code);
        assertEquals(200, reply.status(), reply.body());
        JsonObject run = reply.json();
        Map<String, Object> row = db.usageRecord(UUID.fromString(run.getString("executionId")));
        assertEquals("python", row.get("language"));
        assertEquals("failed", row.get("status"));
        assertEquals(3, row.get("exit_code"));
        assertEquals(false, row.get("timed_out"));
        assertEquals(code.length(), row.get("code_bytes"));
        assertEquals(4, row.get("stdout_bytes"));
        assertEquals(7, row.get("stderr_bytes"));
        assertEquals(0, PRICE.compareTo((BigDecimal) row.get("cost_usd")));
        assertEquals(
                run.getJsonNumber("executionTimeMs")
                        .bigDecimalValue()
                        .compareTo((BigDecimal) row.get("execution_time_ms")),
                0);
        assertNotNull(row.get("created_at"));
        assertNotNull(row.get("api_key_id"));
    }

    /**
     * More simultaneous runs than the bulkhead admits (SANDBOX_MAX_CONCURRENT_RUNS, 4 by default).
     */
    private void saturation() {
        int parallel =
                Integer.parseInt(System.getenv().getOrDefault("SANDBOX_MAX_CONCURRENT_RUNS", "4"))
                        + 3;
        long rowsBefore = db.usageCount();
        ExecutorService clients = Executors.newFixedThreadPool(parallel);
        List<Api.Reply> replies;
        try {
            replies =
                    IntStream.range(0, parallel)
                            .mapToObj(
                                    i ->
                                            CompletableFuture.supplyAsync(
                                                    () ->
                                                            api.execute(
                                                                    key,
                                                                    "python",
                                                                    "import time; time.sleep(3)"),
                                                    clients))
                            .toList()
                            .stream()
                            .map(CompletableFuture::join)
                            .toList();
        } finally {
            clients.shutdown();
        }
        List<Api.Reply> refused = replies.stream().filter(r -> r.status() == 503).toList();
        long served = replies.stream().filter(r -> r.status() == 200).count();
        assertEquals(parallel, served + refused.size(), "only 200s and 503s");
        assertFalse(refused.isEmpty(), "some runs beyond the bulkhead were refused");
        for (Api.Reply reply : refused) {
            assertNotNull(reply.header("Retry-After"));
            assertEquals(0, reply.json().getJsonNumber("cost").intValueExact());
            assertFalse(reply.json().getString("error").isBlank());
        }
        assertEquals(rowsBefore + served, db.usageCount(), "only served runs are billed");
    }

    /** Takes the agent's socket away (the service connects per run), then puts it back. */
    private void agentDown() throws IOException {
        Path socket = Path.of(System.getenv("SANDBOX_AGENT_SOCKET"));
        Path away = socket.resolveSibling(socket.getFileName() + ".away");
        long rowsBefore = db.usageCount();
        Files.move(socket, away);
        try {
            Api.Reply reply = api.execute(key, "python", "print(1)");
            assertEquals(503, reply.status(), reply.body());
            assertNotNull(reply.header("Retry-After"));
            JsonObject body = reply.json();
            assertFalse(body.getString("error").isBlank());
            assertEquals(0, body.getJsonNumber("cost").intValueExact());
            assertFalse(body.containsKey("executionId"));
            assertEquals(rowsBefore, db.usageCount(), "nothing billed");
            assertEquals(
                    503, api.get("health/ready", null).status(), "not ready without the agent");
        } finally {
            Files.move(away, socket);
        }
        assertRun(api.execute(key, "python", "print('back')"), "back\n");
    }

    /**
     * The service's role loses the right to insert usage records (owners may revoke their own),
     * then gets it back.
     */
    private void billingDown() {
        long rowsBefore = db.usageCount();
        db.execute("REVOKE INSERT ON usage_record FROM CURRENT_USER");
        try {
            Api.Reply reply = api.execute(key, "python", "print('ran but unbilled')");
            assertEquals(503, reply.status(), reply.body());
            assertNotNull(reply.header("Retry-After"));
            JsonObject body = reply.json();
            assertFalse(body.getString("error").isBlank());
            assertEquals("", body.getString("stdout"), "no result without a bill");
            assertEquals(0, body.getJsonNumber("cost").intValueExact());
            assertEquals(rowsBefore, db.usageCount());
        } finally {
            db.execute("GRANT INSERT ON usage_record TO CURRENT_USER");
        }
        assertRun(api.execute(key, "python", "print('billed again')"), "billed again\n");
    }

    /**
     * The service's role loses the right to read API keys, so a key it has not seen yet cannot be
     * checked: authentication answers 503 before any endpoint runs, in the execute endpoint's own
     * shape there and as a plain error elsewhere.
     */
    private void keyLookupDown() {
        String unseenKey = "uc-" + UUID.randomUUID().toString().replace("-", "");
        long rowsBefore = db.usageCount();
        db.execute("REVOKE SELECT ON api_key FROM CURRENT_USER");
        try {
            Api.Reply run = api.execute(unseenKey, "python", "print(1)");
            assertEquals(503, run.status(), run.body());
            assertEquals("5", run.header("Retry-After"));
            assertEquals("infra_error", run.json().getString("status"));
            assertEquals(0, run.json().getJsonNumber("cost").intValueExact());
            assertFalse(run.json().getString("error").isBlank());
            Api.Reply usage = api.get("v1/usage", unseenKey);
            assertEquals(503, usage.status(), usage.body());
            assertEquals("5", usage.header("Retry-After"));
            assertFalse(
                    usage.json().containsKey("status"),
                    "not the execute endpoint's shape: " + usage.body());
            assertFalse(usage.json().getString("error").isBlank());
            assertEquals(rowsBefore, db.usageCount());
        } finally {
            db.execute("GRANT SELECT ON api_key TO CURRENT_USER");
        }
    }

    /** Health and API description, which need no key. */
    public Stream<DynamicTest> platform() {
        return Stream.of(
                dynamicTest(
                        "ready: database and agent up",
                        () -> {
                            Api.Reply reply = api.get("health/ready", null);
                            assertEquals(200, reply.status(), reply.body());
                            assertEquals(
                                    Set.of("database", "agent"),
                                    reply.json().getJsonArray("checks").stream()
                                            .map(c -> c.asJsonObject().getString("name"))
                                            .collect(java.util.stream.Collectors.toSet()));
                        }),
                dynamicTest("live", () -> assertEquals(200, api.get("health/live", null).status())),
                dynamicTest(
                        "OpenAPI describes the execute endpoint, its new fields and its event stream",
                        () -> {
                            Api.Reply reply =
                                    api.send(
                                            api.request("openapi")
                                                    .header("Accept", "application/json")
                                                    .GET()
                                                    .build());
                            assertEquals(200, reply.status(), reply.body());
                            JsonObject document = reply.json();
                            JsonObject execute =
                                    document.getJsonObject("paths")
                                            .getJsonObject("/v1/code-sandbox/execute")
                                            .getJsonObject("post");
                            assertEquals(
                                    Set.of("application/json", "text/event-stream"),
                                    execute.getJsonObject("responses")
                                            .getJsonObject("200")
                                            .getJsonObject("content")
                                            .keySet());
                            JsonObject schemas =
                                    document.getJsonObject("components").getJsonObject("schemas");
                            assertTrue(
                                    schemas.getJsonObject("ExecutionRequest")
                                            .getJsonObject("properties")
                                            .keySet()
                                            .containsAll(
                                                    Set.of(
                                                            "files",
                                                            "env",
                                                            "args",
                                                            "timeoutMs",
                                                            "memoryMb")));
                            assertTrue(
                                    schemas.getJsonObject("ExecutionResponse")
                                            .getJsonObject("properties")
                                            .keySet()
                                            .containsAll(Set.of("files", "filesTruncated")));
                        }),
                dynamicTest(
                        "unknown path -> 404 with a JSON body",
                        () -> {
                            Api.Reply reply = api.get("v1/nothing-here", null);
                            assertEquals(404, reply.status());
                            assertTrue(
                                    Json.createReader(new java.io.StringReader(reply.body()))
                                            .readObject()
                                            .containsKey("error"));
                        }));
    }
}
