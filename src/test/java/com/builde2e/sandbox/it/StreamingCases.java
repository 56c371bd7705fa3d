package com.builde2e.sandbox.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import java.io.IOException;
import java.io.StringReader;
import java.math.BigDecimal;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;

/**
 * The execute endpoint as Server-Sent Events: output arrives while the run goes on, one result
 * event ends it, errors before the run stay plain JSON, every streamed run is billed once, and a
 * caller that hangs up has its run killed.
 */
public final class StreamingCases {

    private final Api api;
    private final EventStreamClient events;
    private final TestDatabase db;
    private final String key;

    public StreamingCases(Api api, EventStreamClient events, TestDatabase db, String key) {
        this.api = api;
        this.events = events;
        this.db = db;
        this.key = key;
    }

    public Stream<DynamicTest> tests() {
        return Stream.of(
                dynamicTest("output arrives before the run ends", this::outputArrivesLive),
                dynamicTest("stderr and stdout events, one usage row per run", this::bothStreams),
                dynamicTest("a bad request is a plain 400", this::badRequestIsPlain),
                dynamicTest("no key is a plain 401", this::noKeyIsPlain),
                dynamicTest(
                        "a caller that hangs up has the run killed, billed once", this::hangUp));
    }

    private static String request(String language, String code) {
        return Json.createObjectBuilder()
                .add("code", code)
                .add("language", language)
                .build()
                .toString();
    }

    private static JsonObject json(String data) {
        return Json.createReader(new StringReader(data)).readObject();
    }

    private static String chunk(EventStreamClient.Event event) {
        return ((JsonString) Json.createReader(new StringReader(event.data())).readValue())
                .getString();
    }

    /** A stream's chunks in order, joined. */
    private static String joined(EventStreamClient.Answer answer, String stream) {
        return answer.events().stream()
                .filter(e -> e.name().equals(stream))
                .map(StreamingCases::chunk)
                .reduce("", String::concat);
    }

    private void outputArrivesLive() {
        long rowsBefore = db.usageCount();
        EventStreamClient.Answer answer =
                events.post(
                        key,
                        request(
                                "python",
                                "import time\nprint('a', flush=True)\ntime.sleep(1)\nprint('b')"));
        assertEquals(200, answer.status(), answer.body());
        List<EventStreamClient.Event> received = answer.events();
        EventStreamClient.Event first = received.get(0);
        assertEquals("stdout", first.name(), received.toString());
        assertEquals("a\n", chunk(first));
        EventStreamClient.Event last = received.get(received.size() - 1);
        assertEquals("result", last.name());
        assertEquals(
                1, received.stream().filter(e -> e.name().equals("result")).count(), "one result");
        double gapMs = (last.atNanos() - first.atNanos()) / 1e6;
        assertTrue(gapMs >= 700, "a came " + gapMs + " ms before the result");
        JsonObject result = json(last.data());
        assertEquals("a\nb\n", result.getString("stdout"));
        assertEquals("completed", result.getString("status"));
        assertEquals(new BigDecimal("0.002"), result.getJsonNumber("cost").bigDecimalValue());
        Map<String, Object> row = db.usageRecord(UUID.fromString(result.getString("executionId")));
        assertEquals("completed", row.get("status"));
        assertEquals(rowsBefore + 1, db.usageCount());
    }

    private void bothStreams() {
        long rowsBefore = db.usageCount();
        for (int i = 0; i < 2; i++) {
            EventStreamClient.Answer answer =
                    events.post(
                            key,
                            request(
                                    "javascript",
                                    "console.error('oops'); console.log('fine'); process.exit(3)"));
            assertEquals(200, answer.status(), answer.body());
            String stdout = joined(answer, "stdout");
            String stderr = joined(answer, "stderr");
            JsonObject result = json(answer.events().get(answer.events().size() - 1).data());
            assertEquals(result.getString("stdout"), stdout);
            assertEquals(result.getString("stderr"), stderr);
            assertEquals("fine\n", stdout);
            assertEquals("failed", result.getString("status"));
            assertEquals(3, result.getInt("exitCode"));
        }
        assertEquals(rowsBefore + 2, db.usageCount(), "one usage row per streamed run");
    }

    private void badRequestIsPlain() {
        long rowsBefore = db.usageCount();
        EventStreamClient.Answer answer =
                events.post(key, "{\"code\":\"print(1)\",\"language\":\"python\",\"timeoutMs\":0}");
        assertEquals(400, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
        assertEquals("timeoutMs", json(answer.body()).getString("field"));
        assertEquals(rowsBefore, db.usageCount());
    }

    private void noKeyIsPlain() {
        EventStreamClient.Answer answer = events.post(null, request("python", "print(1)"));
        assertEquals(401, answer.status(), answer.body());
        assertTrue(answer.contentType().startsWith("application/json"), answer.contentType());
    }

    /**
     * The program would sleep 8 s after its first line; the caller leaves after that line. The run
     * must end well before, billed once as killed, and leave no run in the agent.
     */
    private void hangUp() throws Exception {
        long rowsBefore = db.usageCount();
        events.postAndHangUp(
                key,
                request(
                        "python",
                        "import time\nprint('started', flush=True)\ntime.sleep(8)\nprint('end')"),
                "started");
        long deadline = System.nanoTime() + 6_000_000_000L;
        while (db.usageCount() == rowsBefore && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(rowsBefore + 1, db.usageCount(), "billed once, before the program ended");
        while (runsInFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertEquals(0, runsInFlight(), "the agent killed the run");
        Thread.sleep(2_000);
        assertEquals(rowsBefore + 1, db.usageCount(), "billed once, still");
        Map<String, Object> row = db.latestUsageRecord();
        assertEquals("killed", row.get("status"));
        assertTrue(
                ((BigDecimal) row.get("execution_time_ms")).doubleValue() < 8_000,
                "ran " + row.get("execution_time_ms") + " ms");
    }

    /** Asks the agent itself, over its socket, how many runs it is serving. */
    private static int runsInFlight() throws IOException {
        Path socket = Path.of(System.getenv("SANDBOX_AGENT_SOCKET"));
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            byte[] ping = "{\"op\":\"ping\"}".getBytes(StandardCharsets.UTF_8);
            channel.write(
                    ByteBuffer.allocate(4 + ping.length).putInt(ping.length).put(ping).flip());
            ByteBuffer header = ByteBuffer.allocate(4);
            while (header.hasRemaining() && channel.read(header) >= 0) {}
            ByteBuffer body = ByteBuffer.allocate(header.getInt(0));
            while (body.hasRemaining() && channel.read(body) >= 0) {}
            return json(new String(body.array(), StandardCharsets.UTF_8)).getInt("runsInFlight");
        }
    }
}
