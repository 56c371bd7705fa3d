package com.builde2e.sandbox.apikeys.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The one way a key is turned into what the database keeps: SHA-256, lower-case hex. A plain fast
 * hash is enough because keys carry at least 128 random bits (nothing to brute-force, unlike
 * passwords); the comparison is constant-time so that a stored hash cannot be probed byte by byte
 * through response times.
 */
@ApplicationScoped
public class KeyHasher {

    public String hash(String key) {
        return HexFormat.of().formatHex(sha256().digest(key.getBytes(StandardCharsets.UTF_8)));
    }

    public boolean matches(String key, String storedHash) {
        byte[] expected = storedHash.getBytes(StandardCharsets.US_ASCII);
        byte[] actual = hash(key).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(actual, expected);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            // every Java platform must provide SHA-256
            throw new IllegalStateException(e);
        }
    }
}
