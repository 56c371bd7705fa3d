package com.builde2e.sandbox.apikeys;

import jakarta.json.Json;
import jakarta.json.JsonArray;
import jakarta.json.JsonObject;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The integration cases' view of the running service: plain HTTP calls with an API key, an admin token or nothing.
 * Admin tokens come from {@code scripts/admin-token.sh}, so the cases also prove that what {@code make admin-token}
 * prints is accepted.
 */
public final class ApiClient {

    /** No {@code Authorization} header. */
    public static final String ANONYMOUS = null;

    private static String adminToken;

    private final URI base;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    /** @param base the service root, e.g. {@code http://localhost:8080/} */
    public ApiClient(URI base) {
        this.base = base;
    }

    public HttpResponse<String> get(String path, String bearer, String accept) {
        return send(request(path, bearer).header("Accept", accept).GET());
    }

    public HttpResponse<String> get(String path, String bearer) {
        return get(path, bearer, "application/json");
    }

    public HttpResponse<String> post(String path, String bearer, String json) {
        return send(request(path, bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)));
    }

    public HttpResponse<String> delete(String path, String bearer) {
        return send(request(path, bearer).DELETE());
    }

    /** Issues a fresh key through the admin API. */
    public IssuedKey issueKey(String name) {
        HttpResponse<String> response = post("v1/admin/api-keys", adminToken(), "{\"name\": \"" + name + "\"}");
        if (response.statusCode() != 201) {
            throw new IllegalStateException("could not issue a key: " + response.statusCode() + " " + response.body());
        }
        JsonObject key = object(response);
        return new IssuedKey(key.getString("id"), key.getString("key"));
    }

    /** Runs Python code with {@code key} and returns the execute response, which must be a 200. */
    public JsonObject runPython(String key, String code) {
        JsonObject body = Json.createObjectBuilder().add("code", code).add("language", "python").build();
        HttpResponse<String> response = post("v1/code-sandbox/execute", key, body.toString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException("run failed: " + response.statusCode() + " " + response.body());
        }
        return object(response);
    }

    /** A valid admin JWT for the local key pair (valid an hour; made once per test run). */
    public static synchronized String adminToken() {
        if (adminToken == null) {
            adminToken = mintAdminToken(3600);
        }
        return adminToken;
    }

    /** An admin token from {@code scripts/admin-token.sh}; a negative lifetime gives one that has already expired. */
    public static String mintAdminToken(int ttlSeconds) {
        Path script = Path.of(System.getProperty("basedir", "."), "scripts", "admin-token.sh");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString()).redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("ADMIN_TOKEN_TTL_SECONDS", Integer.toString(ttlSeconds));
        try {
            Process process = builder.start();
            List<String> lines = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                    .lines().toList();
            if (process.waitFor() != 0 || lines.isEmpty()) {
                throw new IllegalStateException(script + " failed with status " + process.exitValue());
            }
            return lines.get(lines.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public static JsonObject object(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readObject();
    }

    public static JsonArray array(HttpResponse<String> response) {
        return Json.createReader(new StringReader(response.body())).readArray();
    }

    private HttpRequest.Builder request(String path, String bearer) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60));
        if (bearer != null) {
            builder.header("Authorization", "Bearer " + bearer);
        }
        return builder;
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        try {
            return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A key just issued: its id and the secret itself. */
    public record IssuedKey(String id, String key) {
    }
}
