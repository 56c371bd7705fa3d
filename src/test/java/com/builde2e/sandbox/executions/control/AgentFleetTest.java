package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.builde2e.sandbox.executions.entity.RunStatus;
import com.builde2e.sandbox.runtimes.entity.Language;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Several agents behind real Unix sockets whose other ends answer as an agent would. */
class AgentFleetTest {

    private static final String COMPLETED =
            """
            {"status":"completed","exitCode":0,"signal":null,"timedOut":false,"stdout":"1\\n",
             "stderr":"","stdoutBytes":2,"stderrBytes":0,"outputTruncated":false,
             "executionTimeMs":1.5,"memoryUsageMb":2.5,"cpuTimeMs":1.0}""";

    private static final String INFRA_ERROR =
            """
            {"status":"infra_error","exitCode":-1,"signal":null,"timedOut":false,"stdout":"",
             "stderr":"","stdoutBytes":0,"stderrBytes":0,"outputTruncated":false,
             "executionTimeMs":0,"memoryUsageMb":0,"cpuTimeMs":0,"error":"clone: EAGAIN"}""";

    @TempDir Path dir;

    private final List<ServerSocketChannel> servers = new java.util.ArrayList<>();

    @AfterEach
    void close() throws IOException {
        for (ServerSocketChannel server : servers) {
            server.close();
        }
    }

    /** An agent that answers each request with {@code reply}, or hangs up when it is null. */
    private AgentEndpoint agent(String name, String reply, AtomicInteger requests)
            throws IOException {
        Path socket = dir.resolve(name + ".sock");
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        servers.add(server);
        CompletableFuture.runAsync(() -> serve(server, reply, requests));
        return new AgentEndpoint.Unix(socket);
    }

    private static void serve(ServerSocketChannel server, String reply, AtomicInteger requests) {
        while (server.isOpen()) {
            try (SocketChannel peer = server.accept()) {
                ByteBuffer header = AgentClient.readFully(peer, ByteBuffer.allocate(4));
                byte[] body =
                        AgentClient.readFully(peer, ByteBuffer.allocate(header.getInt(0))).array();
                String request = new String(body, StandardCharsets.UTF_8);
                if (request.contains("\"ping\"")) {
                    peer.write(frame("{\"status\":\"ok\",\"runsInFlight\":0,\"pools\":{}}"));
                    continue;
                }
                requests.incrementAndGet();
                if (reply != null) {
                    peer.write(frame(reply));
                }
            } catch (IOException e) {
                return;
            }
        }
    }

    private static ByteBuffer frame(String json) {
        byte[] payload = json.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
    }

    private static AgentResult run(AgentFleet fleet) throws AgentUnavailableException {
        return new AgentClient(fleet).run(AgentRequest.of(Language.PYTHON, "print(1)", null), null);
    }

    private static AgentFleet fleetOf(AgentEndpoint... agents) {
        return new AgentFleet(java.util.Arrays.stream(agents).map(AgentAddress::fixed).toList(), 0);
    }

    @Test
    void aRunGoesPastAnAgentThatCannotBeReached() throws Exception {
        AtomicInteger served = new AtomicInteger();
        AgentEndpoint missing = new AgentEndpoint.Unix(dir.resolve("missing.sock"));
        AgentFleet fleet = fleetOf(missing, agent("b", COMPLETED, served));

        assertEquals(RunStatus.COMPLETED, run(fleet).status());
        assertEquals(1, served.get());
        assertFalse(fleet.view().get(0).up(), "the unreachable agent is marked down");
    }

    @Test
    void aRunThatAnAgentCouldNotStartIsTriedOnTheNext() throws Exception {
        AtomicInteger failing = new AtomicInteger();
        AtomicInteger served = new AtomicInteger();
        AgentFleet fleet = fleetOf(agent("a", INFRA_ERROR, failing), agent("b", COMPLETED, served));

        assertEquals(RunStatus.COMPLETED, run(fleet).status());
        assertEquals(1, failing.get());
        assertEquals(1, served.get());
    }

    @Test
    void aRunThatLostItsAgentIsNotTriedAgain() throws Exception {
        AtomicInteger lost = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        AgentFleet fleet = fleetOf(agent("a", null, lost), agent("b", COMPLETED, other));

        AgentUnavailableException e =
                assertThrows(AgentUnavailableException.class, () -> run(fleet));
        assertFalse(e instanceof AgentUnreachableException);
        assertEquals(1, lost.get());
        assertEquals(0, other.get(), "a run that may have started never runs twice");
    }

    @Test
    void pingsMakeTheViewAndRunsGoToTheLeastLoadedAgent() throws Exception {
        AtomicInteger a = new AtomicInteger();
        AtomicInteger b = new AtomicInteger();
        AgentFleet fleet = fleetOf(agent("a", COMPLETED, a), agent("b", COMPLETED, b));
        assertTrue(fleet.pingAll().stream().allMatch(AgentState::up));

        // nothing finishes between pings as far as the view knows: the runs alternate
        for (int i = 0; i < 4; i++) {
            run(fleet);
        }
        assertEquals(2, a.get());
        assertEquals(2, b.get());
    }

    @Test
    void whenEveryAgentIsDownTheyAreStillTriedAndTheRunFailsUnbilled() {
        AgentFleet fleet =
                fleetOf(
                        new AgentEndpoint.Unix(dir.resolve("x.sock")),
                        new AgentEndpoint.Unix(dir.resolve("y.sock")));
        assertThrows(AgentUnreachableException.class, () -> run(fleet));
    }
}
