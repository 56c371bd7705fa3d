package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.builde2e.sandbox.executions.entity.RunStatus;
import com.builde2e.sandbox.runtimes.entity.Language;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client against a real Unix socket whose other end answers canned frames, as the agent would.
 */
class AgentClientTest {

    @TempDir Path dir;

    private Path socket;
    private ServerSocketChannel server;
    private AgentClient client;

    @BeforeEach
    void listen() throws IOException {
        socket = dir.resolve("agent.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        client = new AgentClient(new AgentEndpoint.Unix(socket));
    }

    @AfterEach
    void close() throws IOException {
        server.close();
    }

    /**
     * Accepts one connection, reads its request frame, sends {@code reply} raw, and hands back the
     * request.
     */
    private CompletableFuture<JsonObject> answerOnce(byte[] reply) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (SocketChannel peer = server.accept()) {
                        ByteBuffer header = ByteBuffer.allocate(4);
                        while (header.hasRemaining()) {
                            peer.read(header);
                        }
                        ByteBuffer body = ByteBuffer.allocate(header.getInt(0));
                        while (body.hasRemaining()) {
                            peer.read(body);
                        }
                        peer.write(ByteBuffer.wrap(reply));
                        return Json.createReader(new ByteArrayInputStream(body.array()))
                                .readObject();
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private static byte[] frame(String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).array();
    }

    @Test
    void sendsARunRequestAndReadsTheResult() throws Exception {
        CompletableFuture<JsonObject> request =
                answerOnce(
                        frame(
                                """
                {"status":"completed","exitCode":0,"signal":null,"timedOut":false,"stdout":"5050\\n","stderr":"",
                 "stdoutBytes":5,"stderrBytes":0,"outputTruncated":false,"executionTimeMs":21.37,
                 "memoryUsageMb":8.45,"cpuTimeMs":18.2}"""));

        AgentResult result =
                client.run(
                        AgentRequest.of(Language.PYTHON, "print(sum(range(1, 101)))", "in\n"),
                        null);

        assertEquals(RunStatus.COMPLETED, result.status());
        assertEquals("5050\n", result.stdout());
        JsonObject sent = request.get();
        assertEquals("run", sent.getString("op"));
        assertEquals("python", sent.getString("language"));
        assertEquals("print(sum(range(1, 101)))", sent.getString("code"));
        assertEquals("in\n", sent.getString("stdin"));
    }

    @Test
    void leavesStdinOutWhenThereIsNone() throws Exception {
        CompletableFuture<JsonObject> request =
                answerOnce(frame("{\"status\":\"failed\",\"exitCode\":1}"));

        client.run(AgentRequest.of(Language.JAVASCRIPT, "process.exit(1)", null), null);

        assertFalse(request.get().containsKey("stdin"));
    }

    @Test
    void sendsFilesEnvArgsAndLimitsOnlyWhenGiven() throws Exception {
        CompletableFuture<JsonObject> request =
                answerOnce(frame("{\"status\":\"completed\",\"exitCode\":0,\"files\":[]}"));

        AgentResult result =
                client.run(
                        new AgentRequest(
                                Language.PYTHON,
                                "print(1)",
                                null,
                                List.of(new AgentFile("data/in.csv", 3, "YSxi")),
                                Map.of("A", "1"),
                                List.of("x"),
                                1500,
                                64L << 20),
                        null);

        JsonObject sent = request.get();
        assertEquals("data/in.csv", sent.getJsonArray("files").getJsonObject(0).getString("path"));
        assertEquals("YSxi", sent.getJsonArray("files").getJsonObject(0).getString("content"));
        assertEquals("1", sent.getJsonObject("env").getString("A"));
        assertEquals("x", sent.getJsonArray("args").getString(0));
        assertEquals(1500, sent.getJsonObject("limits").getInt("wallTimeMs"));
        assertEquals(
                64L << 20, sent.getJsonObject("limits").getJsonNumber("memoryBytes").longValue());
        assertFalse(sent.containsKey("stream"));
        assertEquals(List.of(), result.files());
        assertEquals(null, result.filesTruncated());
    }

    @Test
    void aPlainRunSendsNoneOfTheOptionalFields() throws Exception {
        CompletableFuture<JsonObject> request = answerOnce(frame("{\"status\":\"completed\"}"));

        AgentResult result = client.run(AgentRequest.of(Language.PYTHON, "1", null), null);

        assertEquals(java.util.Set.of("op", "language", "code"), request.get().keySet());
        assertEquals(null, result.files());
    }

    @Test
    void aStreamedRunHandsEveryChunkToTheListenerInOrder() throws Exception {
        byte[] chunks =
                concat(
                        frame("{\"event\":\"stdout\",\"data\":\"a\\n\"}"),
                        frame("{\"event\":\"stderr\",\"data\":\"oops\"}"),
                        frame("{\"event\":\"stdout\",\"data\":\"b\\n\"}"),
                        frame(
                                "{\"status\":\"completed\",\"exitCode\":0,\"stdout\":\"a\\nb\\n\","
                                        + "\"files\":[{\"path\":\"o.txt\",\"sizeBytes\":1,\"content\":\"eA==\"}],"
                                        + "\"filesTruncated\":true}"));
        CompletableFuture<JsonObject> request = answerOnce(chunks);
        List<String> heard = new java.util.ArrayList<>();

        AgentResult result =
                client.run(
                        AgentRequest.of(Language.PYTHON, "1", null),
                        new RunListener() {
                            @Override
                            public void sent(java.io.Closeable connection) {
                                heard.add("sent");
                            }

                            @Override
                            public void output(String stream, String chunk) {
                                heard.add(stream + ":" + chunk);
                            }
                        });

        assertEquals(List.of("sent", "stdout:a\n", "stderr:oops", "stdout:b\n"), heard);
        assertEquals(true, request.get().getBoolean("stream"));
        assertEquals("a\nb\n", result.stdout());
        assertEquals(new AgentFile("o.txt", 1, "eA=="), result.files().get(0));
        assertEquals(true, result.filesTruncated());
    }

    private static byte[] concat(byte[]... frames) {
        ByteBuffer all =
                ByteBuffer.allocate(java.util.Arrays.stream(frames).mapToInt(f -> f.length).sum());
        java.util.Arrays.stream(frames).forEach(all::put);
        return all.array();
    }

    @Test
    void pingsTheAgent() throws Exception {
        answerOnce(frame("{\"status\":\"ok\",\"version\":\"1\",\"runsInFlight\":2}"));

        assertEquals(2, client.ping().getInt("runsInFlight"));
    }

    @Test
    void anAbsentSocketIsAnUnavailableAgent() {
        AgentClient nowhere = new AgentClient(new AgentEndpoint.Unix(dir.resolve("missing.sock")));

        assertThrows(
                AgentUnavailableException.class,
                () -> nowhere.run(AgentRequest.of(Language.PYTHON, "1", null), null));
    }

    @Test
    void anAgentThatNeverAnswersIsCutOffAtTheDeadline() throws Exception {
        AgentDeadlines deadlines = new AgentDeadlines(200, System::nanoTime);
        AgentClient patient =
                new AgentClient(
                        AgentFleet.of(new AgentEndpoint.Unix(socket)),
                        deadlines,
                        RunSlots.unlimited());
        CompletableFuture<SocketChannel> silent =
                CompletableFuture.supplyAsync(
                        () -> {
                            try {
                                return server.accept();
                            } catch (IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        });
        Thread sweeper =
                new Thread(
                        () -> {
                            while (!Thread.currentThread().isInterrupted()) {
                                deadlines.sweep();
                                try {
                                    Thread.sleep(20);
                                } catch (InterruptedException e) {
                                    return;
                                }
                            }
                        });
        sweeper.start();
        try {
            AgentUnavailableException e =
                    assertThrows(
                            AgentUnavailableException.class,
                            () -> patient.run(AgentRequest.of(Language.PYTHON, "1", null), null));
            assertEquals("the agent did not answer in time", e.getMessage());
        } finally {
            sweeper.interrupt();
            silent.get().close();
        }
    }

    @Test
    void aConnectionClosedMidFrameIsAnUnavailableAgent() {
        byte[] whole = frame("{\"status\":\"completed\"}");
        byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 3);
        answerOnce(cut);

        assertThrows(
                AgentUnavailableException.class,
                () -> client.run(AgentRequest.of(Language.PYTHON, "1", null), null));
    }

    @Test
    void malformedJsonIsAnUnavailableAgent() {
        answerOnce(frame("{\"status\":"));

        assertThrows(
                AgentUnavailableException.class,
                () -> client.run(AgentRequest.of(Language.PYTHON, "1", null), null));
    }

    @Test
    void anUnknownStatusIsAnUnavailableAgent() {
        answerOnce(frame("{\"status\":\"exploded\"}"));

        assertThrows(
                AgentUnavailableException.class,
                () -> client.run(AgentRequest.of(Language.PYTHON, "1", null), null));
    }

    @Test
    void anOversizedFrameIsRefusedBeforeItIsRead() {
        answerOnce(ByteBuffer.allocate(4).putInt(AgentClient.MAX_RESPONSE_BYTES + 1).array());

        assertThrows(
                AgentUnavailableException.class,
                () -> client.run(AgentRequest.of(Language.PYTHON, "1", null), null));
    }
}
