package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.executions.control.AgentResult;
import com.builde2e.sandbox.executions.control.RunListener;
import com.builde2e.sandbox.executions.entity.RunStatus;
import jakarta.json.Json;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.Closeable;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A streamed run, between the thread that runs it (which hears the agent's chunks and finally the
 * billed result) and the request thread that relays them to the caller as events. The request
 * thread waits until the run has reached the agent, so that whatever stops a run before it starts
 * (shutting down, all sandboxes busy, the agent unreachable) is still a plain JSON error.
 */
public final class LiveRun implements RunListener {

    /** One server-sent event: its name and its data, already JSON. */
    record Event(String name, String data) {

        static final String RESULT = "result";

        boolean last() {
            return name.equals(RESULT);
        }
    }

    private static final Jsonb JSON = JsonbBuilder.create();

    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final CompletableFuture<Void> started = new CompletableFuture<>();
    private final AtomicLong stdoutBytes = new AtomicLong();
    private final AtomicLong stderrBytes = new AtomicLong();
    private volatile Closeable connection;
    private volatile long sentAtNanos;
    private volatile boolean abandoned;

    @Override
    public void sent(Closeable connection) {
        this.connection = connection;
        sentAtNanos = System.nanoTime();
        started.complete(null);
        if (abandoned) {
            closeConnection();
        }
    }

    @Override
    public void output(String stream, String chunk) {
        long bytes = chunk.getBytes(StandardCharsets.UTF_8).length;
        (stream.equals("stderr") ? stderrBytes : stdoutBytes).addAndGet(bytes);
        events.add(new Event(stream, Json.createValue(chunk).toString()));
    }

    /** The run was answered (billed, or found unavailable after it reached the agent). */
    void finish(ExecutionResponse response) {
        events.add(new Event(Event.RESULT, JSON.toJson(response)));
    }

    /**
     * The run ended without a result: before it reached the agent, {@link #awaitStart()} throws
     * {@code e} (a plain error response); after, the result event says why, in the shape of an
     * unavailable run's body.
     */
    void fail(RuntimeException e) {
        if (!started.completeExceptionally(e)) {
            events.add(
                    new Event(
                            Event.RESULT,
                            JSON.toJson(ExecutionResponse.unavailable(e.getMessage()))));
        }
    }

    /**
     * Waits until the request has reached the agent or failed before it could.
     *
     * @throws RuntimeException what stopped the run before it started
     */
    void awaitStart() {
        try {
            started.get();
        } catch (ExecutionException e) {
            throw (RuntimeException) e.getCause();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            abandon();
            throw new IllegalStateException("interrupted while the run was starting", e);
        }
    }

    /**
     * @return the next event, or null when none came within {@code timeoutMs}
     */
    Event next(long timeoutMs) throws InterruptedException {
        return events.poll(timeoutMs, TimeUnit.MILLISECONDS);
    }

    /** The caller went away: closing the agent connection makes the agent kill the run. */
    void abandon() {
        abandoned = true;
        closeConnection();
    }

    boolean abandoned() {
        return abandoned;
    }

    /**
     * What a run the caller abandoned is billed as: killed by us, after the time it ran and with
     * the output it had sent; its peak memory is unknown, since the agent kills it without
     * answering.
     */
    AgentResult abandonedResult() {
        BigDecimal ms =
                BigDecimal.valueOf(System.nanoTime() - sentAtNanos)
                        .divide(BigDecimal.valueOf(1_000_000), 2, RoundingMode.HALF_UP);
        return new AgentResult(
                RunStatus.KILLED,
                137,
                "SIGKILL",
                false,
                "",
                "",
                stdoutBytes.get(),
                stderrBytes.get(),
                false,
                ms,
                BigDecimal.ZERO,
                null,
                null,
                null,
                null);
    }

    private void closeConnection() {
        Closeable open = connection;
        if (open == null) {
            return;
        }
        try {
            open.close();
        } catch (IOException e) {
            // already closed: the run is being torn down either way
        }
    }
}
