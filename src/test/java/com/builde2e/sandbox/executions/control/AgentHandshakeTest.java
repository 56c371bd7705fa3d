package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The caller's side of the hand-shake through Firecracker's hybrid vsock, against a peer on a real
 * Unix socket that plays Firecracker's CONNECT line and then the agent, as PROTOCOL.md describes
 * them: the cases the real agent never produces (a wrong proof from the agent, a refused port, a
 * stranger's greeting). The real agent's side is tested over TCP by the agent's suite and
 * scripts/test-transport.sh.
 */
class AgentHandshakeTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    @TempDir Path dir;

    private ServerSocketChannel firecracker;
    private AgentEndpoint endpoint;

    @BeforeEach
    void listen() throws IOException {
        Path socket = dir.resolve("v.sock");
        firecracker = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        firecracker.bind(UnixDomainSocketAddress.of(socket));
        Path secretFile = dir.resolve("agent.secret");
        Files.write(secretFile, (new String(SECRET) + "\n").getBytes());
        Files.setPosixFilePermissions(secretFile, PosixFilePermissions.fromString("rw-------"));
        endpoint = new AgentEndpoint.HybridVsock(socket, 1024, new AgentSecret(secretFile));
    }

    @AfterEach
    void close() throws IOException {
        firecracker.close();
    }

    /** What the peer saw: the CONNECT line and the caller's answer (nonce, proof). */
    record Seen(String connectLine, byte[] agentNonce, byte[] answer) {}

    /**
     * Accepts one connection; answers CONNECT with {@code reply}; if that is an OK, greets with
     * {@code greeting} and a nonce, reads the 64-byte answer and sends {@code agentProof(nonces)}.
     */
    private CompletableFuture<Seen> peer(
            String reply,
            byte[] greeting,
            java.util.function.BiFunction<byte[], byte[], byte[]> agentProof) {
        return CompletableFuture.supplyAsync(
                () -> {
                    try (SocketChannel caller = firecracker.accept()) {
                        StringBuilder line = new StringBuilder();
                        ByteBuffer one = ByteBuffer.allocate(1);
                        while (line.isEmpty() || line.charAt(line.length() - 1) != '\n') {
                            one.clear();
                            AgentClient.readFully(caller, one);
                            line.append((char) one.get(0));
                        }
                        caller.write(ByteBuffer.wrap(reply.getBytes(StandardCharsets.US_ASCII)));
                        if (!reply.startsWith("OK ")) {
                            return new Seen(line.toString(), null, null);
                        }
                        byte[] nonce = new byte[AgentHandshake.NONCE_BYTES];
                        Arrays.fill(nonce, (byte) 7);
                        caller.write(
                                ByteBuffer.allocate(greeting.length + nonce.length)
                                        .put(greeting)
                                        .put(nonce)
                                        .flip());
                        ByteBuffer answer =
                                AgentClient.readFully(
                                        caller,
                                        ByteBuffer.allocate(
                                                AgentHandshake.NONCE_BYTES
                                                        + AgentHandshake.PROOF_BYTES));
                        byte[] clientNonce =
                                Arrays.copyOf(answer.array(), AgentHandshake.NONCE_BYTES);
                        caller.write(ByteBuffer.wrap(agentProof.apply(nonce, clientNonce)));
                        // the caller's first frame, or the end of the stream if it gave up
                        caller.read(ByteBuffer.allocate(1));
                        return new Seen(line.toString(), nonce, answer.array());
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private static byte[] realAgentProof(byte[] agentNonce, byte[] clientNonce) {
        return AgentHandshake.hmac(SECRET, AgentHandshake.AGENT_LABEL, agentNonce, clientNonce);
    }

    @Test
    void connectsToTheGuestPortThenProvesTheSecret() throws Exception {
        CompletableFuture<Seen> seen =
                peer(
                        "OK 1073741824\n",
                        AgentHandshake.GREETING,
                        AgentHandshakeTest::realAgentProof);

        try (SocketChannel channel = endpoint.open()) {
            channel.write(ByteBuffer.wrap(new byte[] {0}));
        }

        Seen peer = seen.get();
        assertEquals("CONNECT 1024\n", peer.connectLine());
        byte[] clientNonce = Arrays.copyOf(peer.answer(), AgentHandshake.NONCE_BYTES);
        byte[] expected =
                AgentHandshake.hmac(
                        SECRET, AgentHandshake.CLIENT_LABEL, peer.agentNonce(), clientNonce);
        assertArrayEquals(
                expected,
                Arrays.copyOfRange(peer.answer(), AgentHandshake.NONCE_BYTES, peer.answer().length),
                "the caller's proof is HMAC(secret, client label, agent nonce, client nonce)");
    }

    @Test
    void anAgentThatCannotProveTheSecretIsRefused() {
        peer("OK 1\n", AgentHandshake.GREETING, (agent, client) -> new byte[32]);

        IOException e = assertThrows(IOException.class, endpoint::open);
        assertTrue(e.getMessage().contains("not the agent this secret is for"), e.getMessage());
    }

    @Test
    void aProofForTheOtherDirectionIsNoProof() {
        peer(
                "OK 1\n",
                AgentHandshake.GREETING,
                (agent, client) ->
                        AgentHandshake.hmac(SECRET, AgentHandshake.CLIENT_LABEL, agent, client));

        assertThrows(IOException.class, endpoint::open);
    }

    @Test
    void aStrangersGreetingIsRefused() {
        peer(
                "OK 1\n",
                "SSH-2.0-".getBytes(StandardCharsets.US_ASCII),
                AgentHandshakeTest::realAgentProof);

        IOException e = assertThrows(IOException.class, endpoint::open);
        assertTrue(e.getMessage().contains("not a kata-agent"), e.getMessage());
    }

    @Test
    void aGuestPortNobodyListensOnIsAnError() {
        peer("", AgentHandshake.GREETING, AgentHandshakeTest::realAgentProof);

        assertThrows(IOException.class, endpoint::open);
    }
}
