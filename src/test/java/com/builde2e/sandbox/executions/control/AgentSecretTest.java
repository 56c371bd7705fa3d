package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service's copy of the agent's secret: the same rules as the agent's. */
class AgentSecretTest {

    private static final String HEX64 = "a".repeat(64);

    @TempDir Path dir;

    private Path secretFile(String content, String mode) throws IOException {
        Path file = dir.resolve("agent.secret");
        Files.writeString(file, content, StandardCharsets.US_ASCII);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return file;
    }

    @Test
    void theFinalNewlineIsNotPartOfTheSecret() throws IOException {
        byte[] secret = new AgentSecret(secretFile(HEX64 + "\n", "rw-------")).read();

        assertArrayEquals(HEX64.getBytes(StandardCharsets.US_ASCII), secret);
    }

    @Test
    void aFileOthersMayReadIsRefused() throws IOException {
        AgentSecret secret = new AgentSecret(secretFile(HEX64, "rw-r-----"));

        IOException e = assertThrows(IOException.class, secret::read);
        assertTrue(e.getMessage().contains("chmod 600"), e.getMessage());
    }

    @Test
    void aShortSecretIsRefused() throws IOException {
        AgentSecret secret = new AgentSecret(secretFile("short\n", "rw-------"));

        IOException e = assertThrows(IOException.class, secret::read);
        assertTrue(e.getMessage().contains("shorter than 32 bytes"), e.getMessage());
    }
}
