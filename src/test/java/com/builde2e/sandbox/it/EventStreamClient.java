package com.builde2e.sandbox.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Stream;

/** Reads the execute endpoint's Server-Sent Events, noting when each event arrived. */
final class EventStreamClient {

    /** One event as received; {@code atNanos} is System.nanoTime() when its blank line came. */
    record Event(String name, String data, long atNanos) {}

    /** The answer: status, content type, and the events when it is a stream (else its body). */
    record Answer(int status, String contentType, List<Event> events, String body) {}

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    EventStreamClient(URI base) {
        this.base = base;
    }

    Answer post(String apiKey, String json) {
        HttpRequest request =
                Api.withKey(
                                HttpRequest.newBuilder(base.resolve(Api.EXECUTE))
                                        .timeout(Duration.ofSeconds(60)),
                                apiKey)
                        .header("Content-Type", "application/json")
                        .header("Accept", "text/event-stream")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build();
        try {
            HttpResponse<Stream<String>> response =
                    http.send(request, HttpResponse.BodyHandlers.ofLines());
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("text/event-stream")) {
                return new Answer(
                        response.statusCode(),
                        type,
                        List.of(),
                        String.join("\n", response.body().toList()));
            }
            return new Answer(response.statusCode(), type, events(response.body()), null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static List<Event> events(Stream<String> lines) {
        List<Event> events = new ArrayList<>();
        String name = null;
        StringBuilder data = new StringBuilder();
        for (Iterator<String> it = lines.iterator(); it.hasNext(); ) {
            String line = it.next();
            if (line.isEmpty()) {
                if (name != null) {
                    events.add(new Event(name, data.toString(), System.nanoTime()));
                }
                name = null;
                data.setLength(0);
            } else if (line.startsWith("event: ")) {
                name = line.substring("event: ".length());
            } else if (line.startsWith("data: ")) {
                data.append(line.substring("data: ".length()));
            }
        }
        return events;
    }

    /**
     * Posts by hand, reads until a line containing {@code until} arrives, then closes the
     * connection: a caller that hangs up mid-run.
     */
    void postAndHangUp(String apiKey, String json, String until) throws IOException {
        URI target = base.resolve(Api.EXECUTE);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        try (Socket socket = new Socket(target.getHost(), target.getPort())) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream()
                    .write(
                            Api.postHead(
                                    target,
                                    apiKey,
                                    "Accept: text/event-stream\r\nContent-Length: "
                                            + body.length
                                            + "\r\n"));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            BufferedReader in =
                    new BufferedReader(
                            new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                if (line.contains(until)) {
                    return;
                }
            }
            throw new IOException("the stream ended before " + until);
        }
    }
}
