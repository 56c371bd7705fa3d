package com.builde2e.sandbox.executions.control;

import java.util.Arrays;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;

/**
 * The media type of a file a run wrote: from its first bytes for the formats that carry a signature
 * (images, PDF, archives), whatever its name says, else from its extension, else {@code
 * application/octet-stream}. Judged by the service, never by the run, so that a caller that shows
 * images can trust that an {@code image/png} starts like one.
 */
public final class MimeTypes {

    public static final String UNKNOWN = "application/octet-stream";

    private record Signature(byte[] prefix, String type) {}

    private static final Signature[] SIGNATURES = {
        new Signature(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, "image/png"),
        new Signature(new byte[] {(byte) 0xff, (byte) 0xd8, (byte) 0xff}, "image/jpeg"),
        new Signature("GIF87a".getBytes(), "image/gif"),
        new Signature("GIF89a".getBytes(), "image/gif"),
        new Signature("%PDF-".getBytes(), "application/pdf"),
        new Signature(new byte[] {'P', 'K', 3, 4}, "application/zip"),
        new Signature(new byte[] {0x1f, (byte) 0x8b}, "application/gzip"),
    };

    /** Formats without a signature, by extension. */
    private static final Map<String, String> BY_EXTENSION =
            Map.ofEntries(
                    Map.entry("txt", "text/plain"),
                    Map.entry("log", "text/plain"),
                    Map.entry("md", "text/markdown"),
                    Map.entry("csv", "text/csv"),
                    Map.entry("tsv", "text/tab-separated-values"),
                    Map.entry("json", "application/json"),
                    Map.entry("xml", "application/xml"),
                    Map.entry("html", "text/html"),
                    Map.entry("htm", "text/html"),
                    Map.entry("svg", "image/svg+xml"),
                    Map.entry("py", "text/x-python"),
                    Map.entry("js", "text/javascript"),
                    Map.entry("yaml", "application/yaml"),
                    Map.entry("yml", "application/yaml"),
                    Map.entry("webp", "image/webp"),
                    Map.entry("bmp", "image/bmp"));

    /** Enough base64 for the longest signature (12 bytes). */
    private static final int HEAD_CHARS = 16;

    private MimeTypes() {}

    /**
     * @param path the file's path, for its extension
     * @param base64 the file's content in base64
     */
    public static String of(String path, String base64) {
        byte[] head = head(base64);
        for (Signature signature : SIGNATURES) {
            if (head.length >= signature.prefix().length
                    && Arrays.equals(
                            head,
                            0,
                            signature.prefix().length,
                            signature.prefix(),
                            0,
                            signature.prefix().length)) {
                return signature.type();
            }
        }
        int dot = path.lastIndexOf('.');
        if (dot < 0 || dot < path.lastIndexOf('/')) {
            return UNKNOWN;
        }
        return BY_EXTENSION.getOrDefault(path.substring(dot + 1).toLowerCase(Locale.ROOT), UNKNOWN);
    }

    private static byte[] head(String base64) {
        try {
            return Base64.getDecoder()
                    .decode(base64.substring(0, Math.min(HEAD_CHARS, base64.length())));
        } catch (IllegalArgumentException e) {
            return new byte[0];
        }
    }
}
