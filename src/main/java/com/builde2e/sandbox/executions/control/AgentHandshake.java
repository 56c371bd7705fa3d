package com.builde2e.sandbox.executions.control;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The caller's side of the agent's network hand-shake (kata-agent/PROTOCOL.md, "Authentication"):
 * the agent sends a greeting and its nonce, we answer our nonce and an HMAC-SHA256 proof of the
 * secret over both, and the agent proves the secret back before any request is sent, so neither
 * side ever talks to an impostor and the secret never crosses the wire.
 */
final class AgentHandshake {

    static final byte[] GREETING = "KAAUTH1\n".getBytes(StandardCharsets.US_ASCII);
    static final int NONCE_BYTES = 32;
    static final int PROOF_BYTES = 32;
    static final byte[] CLIENT_LABEL =
            "kata-agent client proof".getBytes(StandardCharsets.US_ASCII);
    static final byte[] AGENT_LABEL = "kata-agent agent proof".getBytes(StandardCharsets.US_ASCII);

    /** Firecracker's answer to CONNECT is one short line. */
    private static final int HYBRID_VSOCK_LINE_MAX = 32;

    private static final SecureRandom RANDOM = new SecureRandom();

    private AgentHandshake() {}

    static void prove(SocketChannel channel, byte[] secret) throws IOException {
        ByteBuffer challenge =
                AgentClient.readFully(channel, ByteBuffer.allocate(GREETING.length + NONCE_BYTES));
        byte[] greeting = Arrays.copyOfRange(challenge.array(), 0, GREETING.length);
        if (!Arrays.equals(greeting, GREETING)) {
            throw new IOException("the peer is not a kata-agent network transport");
        }
        byte[] agentNonce =
                Arrays.copyOfRange(challenge.array(), GREETING.length, challenge.capacity());
        byte[] clientNonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(clientNonce);
        ByteBuffer answer =
                ByteBuffer.allocate(NONCE_BYTES + PROOF_BYTES)
                        .put(clientNonce)
                        .put(hmac(secret, CLIENT_LABEL, agentNonce, clientNonce))
                        .flip();
        while (answer.hasRemaining()) {
            channel.write(answer);
        }
        ByteBuffer theirs = ByteBuffer.allocate(PROOF_BYTES);
        try {
            AgentClient.readFully(channel, theirs);
        } catch (IOException e) {
            // the agent answers a wrong proof by closing the connection, without a word
            throw new IOException("the agent refused the connection: wrong secret?", e);
        }
        if (!MessageDigest.isEqual(
                theirs.array(), hmac(secret, AGENT_LABEL, agentNonce, clientNonce))) {
            throw new IOException(
                    "the agent's proof of the secret is wrong: not the agent this secret is for");
        }
    }

    /** "CONNECT port\n", answered "OK hostport\n"; read byte by byte so nothing past it is lost. */
    static void connectHybridVsock(SocketChannel channel, int port) throws IOException {
        channel.write(
                ByteBuffer.wrap(
                        ("CONNECT " + Integer.toUnsignedString(port) + "\n")
                                .getBytes(StandardCharsets.US_ASCII)));
        StringBuilder line = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (line.length() < HYBRID_VSOCK_LINE_MAX
                && (line.isEmpty() || line.charAt(line.length() - 1) != '\n')) {
            one.clear();
            AgentClient.readFully(channel, one);
            line.append((char) (one.get(0) & 0xff));
        }
        if (!line.toString().startsWith("OK ") || line.charAt(line.length() - 1) != '\n') {
            throw new IOException("CONNECT " + port + " was answered " + line.toString().strip());
        }
    }

    static byte[] hmac(byte[] secret, byte[] label, byte[] agentNonce, byte[] clientNonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
            mac.update(label);
            mac.update(agentNonce);
            return mac.doFinal(clientNonce);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every Java platform", e);
        }
    }
}
