package com.builde2e.sandbox.apikeys;

import com.builde2e.sandbox.it.Api;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

/**
 * Admin credentials for the integration cases. Tokens come from {@code scripts/admin-token.sh}
 * itself, so the cases also prove that what {@code make admin-token} prints is accepted; keys come
 * from the admin API.
 */
public final class AdminTokens {

    private static String token;

    private AdminTokens() {}

    /** A valid admin JWT for the local key pair (an hour long; made once per test run). */
    public static synchronized String token() {
        if (token == null) {
            token = mint(3600);
        }
        return token;
    }

    /**
     * An admin token from {@code scripts/admin-token.sh}; a negative lifetime gives one that has
     * already expired.
     */
    public static String mint(int ttlSeconds) {
        Path script = Path.of(System.getProperty("basedir", "."), "scripts", "admin-token.sh");
        ProcessBuilder builder =
                new ProcessBuilder("bash", script.toString())
                        .redirectError(ProcessBuilder.Redirect.DISCARD);
        builder.environment().put("ADMIN_TOKEN_TTL_SECONDS", Integer.toString(ttlSeconds));
        try {
            Process process = builder.start();
            List<String> lines =
                    new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8)
                            .lines()
                            .toList();
            if (process.waitFor() != 0 || lines.isEmpty()) {
                throw new IllegalStateException(
                        script + " failed with status " + process.exitValue());
            }
            return lines.get(lines.size() - 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Issues a fresh key named {@code name} through the admin API. */
    public static IssuedKey issueKey(Api api, String name) {
        Api.Reply reply =
                api.postJson("v1/admin/api-keys", token(), "{\"name\": \"" + name + "\"}");
        if (reply.status() != 201) {
            throw new IllegalStateException(
                    "could not issue a key: " + reply.status() + " " + reply.body());
        }
        return new IssuedKey(reply.json().getString("id"), reply.json().getString("key"));
    }

    /** A key just issued: its id and the secret itself. */
    public record IssuedKey(String id, String key) {

        /** The part of the key that listings and reports show. */
        public String prefix() {
            return key.substring(0, 11);
        }
    }
}
