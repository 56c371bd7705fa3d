package com.builde2e.sandbox.executions.boundary;

import jakarta.ws.rs.core.StreamingOutput;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Writes a {@link LiveRun} as Server-Sent Events: {@code stdout} and {@code stderr} events as the
 * chunks come, each flushed at once, then one {@code result} event. While the program is silent a
 * comment line goes out every {@value #HEARTBEAT_MS} ms: a write is the only way to learn that the
 * caller hung up, and a caller that did has the run killed.
 */
final class EventStream implements StreamingOutput {

    static final long HEARTBEAT_MS = 500;

    private static final Logger LOG = Logger.getLogger(EventStream.class.getName());
    private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.UTF_8);

    /**
     * Jersey holds back the first bytes of a response (jersey.config.server.contentLength.buffer,
     * 8192 by default) to give it a Content-Length, and ignores flush() until more than that was
     * written. An opening comment longer than that sends the headers at once and switches the
     * response to direct writes, so that each event's flush reaches the caller.
     */
    private static final byte[] OPENING =
            (":" + " ".repeat(16 << 10) + "\n\n").getBytes(StandardCharsets.UTF_8);

    private final LiveRun run;

    EventStream(LiveRun run) {
        this.run = run;
    }

    @Override
    public void write(OutputStream out) {
        try {
            relay(out);
        } catch (IOException e) {
            LOG.log(Level.FINE, "the caller left a streamed run; it is killed", e);
            run.abandon();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            run.abandon();
        }
    }

    private void relay(OutputStream out) throws IOException, InterruptedException {
        out.write(OPENING);
        out.flush();
        while (true) {
            LiveRun.Event event = run.next(HEARTBEAT_MS);
            if (event == null) {
                out.write(HEARTBEAT);
            } else {
                out.write(
                        ("event: " + event.name() + "\ndata: " + event.data() + "\n\n")
                                .getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            if (event != null && event.last()) {
                return;
            }
        }
    }
}
