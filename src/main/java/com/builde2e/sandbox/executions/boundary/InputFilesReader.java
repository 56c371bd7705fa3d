package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.platform.RequestRefusedException;
import jakarta.json.JsonObject;
import jakarta.json.JsonString;
import jakarta.json.JsonValue;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reads the request's {@code files}: normalises each path (empty and {@code .} segments dropped)
 * and refuses, naming the field, what could not be written safely inside the run's working
 * directory: an absolute path, a {@code ..} segment, an empty or over-long path, a NUL, the same
 * path twice, a path under another file. The agent checks all of it again; refusing here keeps the
 * mistake unbilled and away from the agent.
 */
final class InputFilesReader {

    static final String FIELD = "files";
    static final int MAX_FILES = 32;

    /** 10 MiB of decoded content, all files together. */
    static final int MAX_TOTAL_BYTES = 10 << 20;

    static final int MAX_PATH_BYTES = 4096;
    static final int MAX_SEGMENT_BYTES = 255;

    private static final String UTF_8 = "utf-8";
    private static final String BASE64 = "base64";

    private InputFilesReader() {}

    /**
     * @return the files with normalised paths and base64 content, or null when {@code value} is
     *     absent or null
     */
    static List<InputFile> read(JsonValue value) {
        if (value == null || value.getValueType() == JsonValue.ValueType.NULL) {
            return null;
        }
        if (value.getValueType() != JsonValue.ValueType.ARRAY) {
            throw refused("files must be an array of {path, content, encoding}");
        }
        List<JsonValue> entries = value.asJsonArray();
        if (entries.size() > MAX_FILES) {
            throw refused("files has " + entries.size() + " entries, the limit is " + MAX_FILES);
        }
        List<InputFile> files = new ArrayList<>(entries.size());
        long total = 0;
        for (int i = 0; i < entries.size(); i++) {
            InputFile file = readOne(entries.get(i), "files[" + i + "]");
            total += file.sizeBytes();
            if (total > MAX_TOTAL_BYTES) {
                throw refused(
                        "files hold more than "
                                + MAX_TOTAL_BYTES
                                + " bytes decoded, the limit for all files together");
            }
            files.add(file);
        }
        refuseClashes(files);
        return List.copyOf(files);
    }

    private static InputFile readOne(JsonValue value, String where) {
        if (value.getValueType() != JsonValue.ValueType.OBJECT) {
            throw refused(where + " must be an object with path and content");
        }
        JsonObject entry = value.asJsonObject();
        String path = normalise(string(entry, "path", where), where);
        String content = string(entry, "content", where);
        String encoding = entry.containsKey("encoding") ? string(entry, "encoding", where) : UTF_8;
        return new InputFile(path, base64(content, encoding, where), BASE64);
    }

    private static String string(JsonObject entry, String name, String where) {
        JsonValue value = entry.get(name);
        if (!(value instanceof JsonString text)) {
            throw refused(where + "." + name + " must be a string");
        }
        return text.getString();
    }

    private static String base64(String content, String encoding, String where) {
        switch (encoding) {
            case UTF_8:
                return Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
            case BASE64:
                try {
                    return Base64.getEncoder().encodeToString(Base64.getDecoder().decode(content));
                } catch (IllegalArgumentException e) {
                    throw refused(where + ".content is not valid base64: " + e.getMessage());
                }
            default:
                throw refused(where + ".encoding must be utf-8 or base64");
        }
    }

    /** The path with empty and {@code .} segments dropped, or a refusal saying what is wrong. */
    static String normalise(String path, String where) {
        if (path.indexOf('\0') >= 0) {
            throw refused(where + ".path contains a NUL character");
        }
        if (path.startsWith("/")) {
            throw refused(where + ".path must be relative, not " + path);
        }
        List<String> segments = new ArrayList<>();
        for (String segment : path.split("/")) {
            if (segment.equals("..")) {
                throw refused(where + ".path must not contain a .. segment");
            }
            if (ExecutionRequestReader.utf8Length(segment) > MAX_SEGMENT_BYTES) {
                throw refused(where + ".path has a segment over " + MAX_SEGMENT_BYTES + " bytes");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        if (segments.isEmpty()) {
            throw refused(where + ".path names no file");
        }
        String normalised = String.join("/", segments);
        if (ExecutionRequestReader.utf8Length(normalised) > MAX_PATH_BYTES) {
            throw refused(where + ".path is over " + MAX_PATH_BYTES + " bytes");
        }
        return normalised;
    }

    /** Two files at one path, or a file where another's path needs a directory. */
    private static void refuseClashes(List<InputFile> files) {
        Set<String> paths = new HashSet<>();
        for (InputFile file : files) {
            if (!paths.add(file.path())) {
                throw refused("files lists " + file.path() + " twice");
            }
        }
        for (InputFile file : files) {
            for (int slash = file.path().indexOf('/');
                    slash >= 0;
                    slash = file.path().indexOf('/', slash + 1)) {
                String directory = file.path().substring(0, slash);
                if (paths.contains(directory)) {
                    throw refused(
                            "files has "
                                    + directory
                                    + " as a file and as the directory of "
                                    + file.path());
                }
            }
        }
    }

    private static RequestRefusedException refused(String message) {
        return RequestRefusedException.invalid(FIELD, message);
    }
}
