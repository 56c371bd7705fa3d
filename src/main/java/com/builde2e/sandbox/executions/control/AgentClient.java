package com.builde2e.sandbox.executions.control;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonArrayBuilder;
import jakarta.json.JsonBuilderFactory;
import jakarta.json.JsonException;
import jakarta.json.JsonObject;
import jakarta.json.JsonObjectBuilder;
import jakarta.json.JsonReader;
import jakarta.json.JsonReaderFactory;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.AsynchronousCloseException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.eclipse.microprofile.faulttolerance.Timeout;

/**
 * Talks to the kata-agent, one connection per request ({@link AgentEndpoint}: its Unix socket or an
 * authenticated network stream), in length-prefixed JSON frames (kata-agent/PROTOCOL.md). A run
 * whose agent does not answer in time has its connection closed by {@link AgentDeadlines}, and the
 * agent kills the run it was serving; a ping's channel is interruptible, which its timeout uses.
 */
@ApplicationScoped
public class AgentClient {

    /**
     * Two 1 MiB streams escaped as JSON (up to 6 bytes per byte for control characters) and 10 MiB
     * of output files in base64 fit below this.
     */
    static final int MAX_RESPONSE_BYTES = 32 << 20;

    /**
     * Made once: each {@code Json.create...} call looks the JSON-P provider up again (a
     * ServiceLoader scan).
     */
    private static final JsonBuilderFactory BUILDERS = Json.createBuilderFactory(Map.of());

    private static final JsonReaderFactory READERS = Json.createReaderFactory(Map.of());

    private AgentFleet agents;
    private AgentDeadlines deadlines;
    private RunSlots slots;

    protected AgentClient() {
        // for the CDI proxy
    }

    @Inject
    public AgentClient(AgentFleet agents, AgentDeadlines deadlines, RunSlots slots) {
        this.agents = agents;
        this.deadlines = deadlines;
        this.slots = slots;
    }

    /**
     * A client of one agent, without the container (and so without a run timeout or a limit on runs
     * at once).
     */
    public AgentClient(AgentEndpoint endpoint) {
        this(AgentFleet.of(endpoint));
    }

    /** A client of these agents, without the container (see above). */
    AgentClient(AgentFleet agents) {
        this(agents, new AgentDeadlines(), RunSlots.unlimited());
    }

    /**
     * Runs a snippet in the jail and waits for the result, at most {@link
     * AgentDeadlines#runTimeoutMs()}, which only runs out when the agent itself hangs; {@link
     * RunSlots} (sandbox.max-concurrent-runs) refuses runs beyond what the machine can serve at
     * once rather than queueing them. Streamed and plain runs go through this one method so that
     * they share those slots.
     *
     * @param listener null for a plain run; otherwise the agent streams the program's output as it
     *     comes, and the listener hears of it (and of the request reaching the agent)
     * @throws SandboxesBusyException when every slot is taken (nothing was sent)
     */
    public AgentResult run(AgentRequest request, RunListener listener)
            throws AgentUnavailableException {
        if (!slots.tryTake()) {
            throw new SandboxesBusyException();
        }
        try {
            JsonObject frame = runRequest(request, listener != null);
            return agents.run(request.language(), agent -> result(runOn(agent, frame, listener)));
        } finally {
            slots.giveBack();
        }
    }

    /** One try of the run on one agent, its connection watched by the deadlines. */
    private JsonObject runOn(AgentEndpoint agent, JsonObject frame, RunListener listener)
            throws AgentUnavailableException {
        try (SocketChannel channel = open(agent);
                AgentDeadlines.Watch watch = deadlines.watch(channel)) {
            try {
                return exchange(channel, frame, listener);
            } catch (AsynchronousCloseException e) {
                if (watch.expired()) {
                    throw new AgentUnavailableException("the agent did not answer in time", e);
                }
                throw e;
            }
        } catch (IOException e) {
            throw failed(agent, e);
        }
    }

    private static AgentResult result(JsonObject response) throws AgentUnavailableException {
        try {
            return AgentResult.from(response);
        } catch (IllegalArgumentException
                | ClassCastException
                | NullPointerException
                | ArithmeticException e) {
            throw new AgentUnavailableException(
                    "the agent sent an invalid run response: " + e.getMessage(), e);
        }
    }

    /** The run request frame; what the caller left out stays out. */
    static JsonObject runRequest(AgentRequest request, boolean stream) {
        JsonObjectBuilder frame =
                BUILDERS.createObjectBuilder()
                        .add("op", "run")
                        .add("language", request.language().wireName())
                        .add("code", request.code());
        if (request.stdin() != null) {
            frame.add("stdin", request.stdin());
        }
        if (request.files() != null) {
            JsonArrayBuilder files = BUILDERS.createArrayBuilder();
            request.files()
                    .forEach(
                            f ->
                                    files.add(
                                            BUILDERS.createObjectBuilder()
                                                    .add("path", f.path())
                                                    .add("content", f.content())));
            frame.add("files", files);
        }
        if (request.env() != null) {
            JsonObjectBuilder env = BUILDERS.createObjectBuilder();
            request.env().forEach(env::add);
            frame.add("env", env);
        }
        if (request.args() != null) {
            frame.add("args", BUILDERS.createArrayBuilder(request.args()));
        }
        if (request.wallTimeMs() != null || request.memoryBytes() != null) {
            JsonObjectBuilder limits = BUILDERS.createObjectBuilder();
            if (request.wallTimeMs() != null) {
                limits.add("wallTimeMs", request.wallTimeMs());
            }
            if (request.memoryBytes() != null) {
                limits.add("memoryBytes", request.memoryBytes());
            }
            frame.add("limits", limits);
        }
        if (stream) {
            frame.add("stream", true);
        }
        return frame.build();
    }

    /** The default agent's liveness answer ({@code {"status":"ok",...}}). */
    @Timeout(2_000)
    public JsonObject ping() throws AgentUnavailableException {
        return exchange(
                agents.defaultEndpoint(), BUILDERS.createObjectBuilder().add("op", "ping").build());
    }

    /**
     * One request and its response on a connection of its own.
     *
     * @throws AgentUnreachableException when no connection could be opened (nothing was sent)
     */
    static JsonObject exchange(AgentEndpoint endpoint, JsonObject request)
            throws AgentUnavailableException {
        return exchange(endpoint, request, null);
    }

    private static JsonObject exchange(
            AgentEndpoint endpoint, JsonObject request, RunListener listener)
            throws AgentUnavailableException {
        try (SocketChannel channel = open(endpoint)) {
            return exchange(channel, request, listener);
        } catch (IOException e) {
            throw failed(endpoint, e);
        }
    }

    private static JsonObject exchange(
            SocketChannel channel, JsonObject request, RunListener listener)
            throws IOException, AgentUnavailableException {
        writeFrame(channel, request.toString().getBytes(StandardCharsets.UTF_8));
        if (listener == null) {
            return parse(readFrame(channel));
        }
        listener.sent(channel);
        return readStream(channel, listener);
    }

    private static AgentUnavailableException failed(AgentEndpoint endpoint, IOException e) {
        if (e instanceof ClosedByInterruptException) {
            return new AgentUnavailableException("the agent did not answer in time", e);
        }
        if (e instanceof AsynchronousCloseException) {
            return new AgentUnavailableException("the connection to the agent was closed", e);
        }
        return new AgentUnavailableException(
                "the agent at " + endpoint + " is unreachable: " + e.getMessage(), e);
    }

    private static SocketChannel open(AgentEndpoint endpoint) throws AgentUnavailableException {
        try {
            return endpoint.open();
        } catch (ClosedByInterruptException e) {
            throw new AgentUnavailableException("the agent did not answer in time", e);
        } catch (IOException e) {
            throw new AgentUnreachableException(
                    "the agent at " + endpoint + " is unreachable: " + e.getMessage(), e);
        }
    }

    /**
     * Hands each chunk frame ({@code {"event": "stdout", "data": "..."}}) to the listener until the
     * frame without an {@code event}: the response.
     */
    private static JsonObject readStream(SocketChannel channel, RunListener listener)
            throws IOException, AgentUnavailableException {
        while (true) {
            JsonObject frame = parse(readFrame(channel));
            JsonValue event = frame.get("event");
            if (event == null) {
                return frame;
            }
            if (!(event instanceof JsonString name)
                    || !(frame.get("data") instanceof JsonString data)) {
                throw new AgentUnavailableException("the agent sent an invalid chunk frame");
            }
            listener.output(name.getString(), data.getString());
        }
    }

    private static void writeFrame(SocketChannel channel, byte[] payload) throws IOException {
        ByteBuffer frame =
                ByteBuffer.allocate(4 + payload.length).putInt(payload.length).put(payload).flip();
        while (frame.hasRemaining()) {
            channel.write(frame);
        }
    }

    private static byte[] readFrame(SocketChannel channel)
            throws IOException, AgentUnavailableException {
        ByteBuffer header = readFully(channel, ByteBuffer.allocate(4));
        long length = Integer.toUnsignedLong(header.getInt(0));
        if (length > MAX_RESPONSE_BYTES) {
            throw new AgentUnavailableException(
                    "the agent announced a " + length + "-byte response");
        }
        return readFully(channel, ByteBuffer.allocate((int) length)).array();
    }

    static ByteBuffer readFully(SocketChannel channel, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new IOException("the agent closed the connection mid-frame");
            }
        }
        return buffer;
    }

    private static JsonObject parse(byte[] payload) throws AgentUnavailableException {
        try (JsonReader reader = READERS.createReader(new ByteArrayInputStream(payload))) {
            return reader.readObject();
        } catch (JsonException e) {
            throw new AgentUnavailableException("the agent sent malformed JSON", e);
        }
    }
}
