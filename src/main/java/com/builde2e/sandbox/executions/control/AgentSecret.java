package com.builde2e.sandbox.executions.control;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;

/**
 * The shared secret a network connection to the agent proves (kata-agent/PROTOCOL.md,
 * "Authentication"): the file's bytes without trailing whitespace, read at each connection so that
 * a replaced secret applies without a restart, and refused unless only its owner, this process's
 * user, may read it, as the agent refuses its own copy.
 */
public record AgentSecret(Path file) {

    static final int MIN_BYTES = 32;
    static final int MAX_BYTES = 1024;

    private static final Set<PosixFilePermission> GROUP_OR_OTHER =
            EnumSet.of(
                    PosixFilePermission.GROUP_READ,
                    PosixFilePermission.GROUP_WRITE,
                    PosixFilePermission.GROUP_EXECUTE,
                    PosixFilePermission.OTHERS_READ,
                    PosixFilePermission.OTHERS_WRITE,
                    PosixFilePermission.OTHERS_EXECUTE);

    byte[] read() throws IOException {
        PosixFileAttributes attributes =
                Files.readAttributes(file, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        String user = System.getProperty("user.name");
        if (!attributes.isRegularFile()
                || !attributes.owner().getName().equals(user)
                || attributes.permissions().stream().anyMatch(GROUP_OR_OTHER::contains)) {
            throw new IOException(
                    "the agent's secret file "
                            + file
                            + " must be a regular file owned by "
                            + user
                            + " and readable by nobody else (chmod 600)");
        }
        if (attributes.size() > MAX_BYTES) {
            throw new IOException(
                    "the agent's secret file " + file + " is larger than " + MAX_BYTES + " bytes");
        }
        byte[] bytes = Files.readAllBytes(file);
        int length = bytes.length;
        while (length > 0 && isTrailingSpace(bytes[length - 1])) {
            length--;
        }
        if (length < MIN_BYTES) {
            throw new IOException(
                    "the agent's secret in " + file + " is shorter than " + MIN_BYTES + " bytes");
        }
        return Arrays.copyOf(bytes, length);
    }

    private static boolean isTrailingSpace(byte b) {
        return b == '\n' || b == '\r' || b == ' ' || b == '\t';
    }
}
