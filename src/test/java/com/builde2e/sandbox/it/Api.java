package com.builde2e.sandbox.it;

import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small HTTP client for the service under test: requests by path relative to the base URL, JSON
 * replies.
 */
public final class Api {

    /** The execute endpoint, relative to the base URL. */
    public static final String EXECUTE = "v1/code-sandbox/execute";

    private final URI base;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public Api(URI base) {
        this.base = base;
    }

    /** An HTTP reply; {@link #json()} parses the body. */
    public record Reply(int status, HttpHeaders headers, String body) {

        public JsonObject json() {
            return Json.createReader(new StringReader(body)).readObject();
        }

        public String header(String name) {
            return headers.firstValue(name).orElse(null);
        }
    }

    public HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
    }

    public static HttpRequest.Builder withKey(HttpRequest.Builder request, String apiKey) {
        return apiKey == null ? request : request.header("Authorization", "Bearer " + apiKey);
    }

    public Reply send(HttpRequest request) {
        try {
            HttpResponse<String> response =
                    http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public Reply get(String path, String apiKey) {
        return send(withKey(request(path), apiKey).GET().build());
    }

    public Reply postJson(String path, String apiKey, String json) {
        return send(
                withKey(request(path), apiKey)
                        .header("Content-Type", "application/json")
                        .POST(HttpRequest.BodyPublishers.ofString(json))
                        .build());
    }

    /**
     * The head of a JSON POST to {@code target} written by hand, ending in the blank line: {@code
     * headers} are more header lines, each ending in CRLF.
     */
    static byte[] postHead(URI target, String apiKey, String headers) {
        return ("POST "
                        + target.getRawPath()
                        + " HTTP/1.1\r\nHost: "
                        + target.getHost()
                        + "\r\n"
                        + (apiKey == null ? "" : "Authorization: Bearer " + apiKey + "\r\n")
                        + "Content-Type: application/json\r\n"
                        + headers
                        + "\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * Writes a POST by hand: its head with {@code framing} (a Content-Length or Transfer-Encoding
     * header line), then {@code body} bytes, which may be fewer than announced, and returns the
     * status line the server answers with. For refusals that must come before the server has read
     * the whole body, which a regular client would insist on sending first.
     */
    public String rawPost(String path, String apiKey, String framing, byte[] body)
            throws IOException {
        URI target = base.resolve(path);
        try (Socket socket = new Socket(target.getHost(), target.getPort())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(postHead(target, apiKey, framing + "\r\n"));
            out.write(body);
            out.flush();
            return new BufferedReader(
                            new InputStreamReader(
                                    socket.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    /** Posts an execute request. */
    public Reply execute(String apiKey, JsonObject request) {
        return postJson(EXECUTE, apiKey, request.toString());
    }

    /** Runs a snippet: {@code {"code": code, "language": language}}. */
    public Reply execute(String apiKey, String language, String code) {
        return postJson(
                EXECUTE,
                apiKey,
                Json.createObjectBuilder()
                        .add("code", code)
                        .add("language", language)
                        .build()
                        .toString());
    }
}
