package com.builde2e.sandbox.mcp.boundary;

import com.builde2e.sandbox.executions.boundary.ExecutionResponse;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import jakarta.json.bind.Jsonb;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns an execute response into a {@code run_code} result: a text block a model can read at a
 * glance (status, exit code, stdout and stderr, each cut with a visible note past {@value
 * #MAX_STREAM_CHARS} characters, and the names of the files the run wrote), an image block for
 * every PNG, JPEG or GIF file the run wrote, the whole response as {@code structuredContent} (in
 * exactly the JSON the execute endpoint answers with), and {@code isError} unless the run
 * completed.
 */
public class RunCodeResult {

    /**
     * How much of each stream the text block shows: enough for any ordinary result, while a run
     * that prints a megabyte does not flood the model's context (the full text is in {@code
     * structuredContent}).
     */
    static final int MAX_STREAM_CHARS = 8_000;

    /** The image types MCP clients show (the MCP specification's own examples). */
    static final Set<String> IMAGE_TYPES = Set.of("image/png", "image/jpeg", "image/gif");

    private static final TypeRef<Map<String, Object>> JSON_OBJECT = new TypeRef<>() {};

    private final Jsonb jsonb;
    private final McpJsonMapper mcpJson;

    /**
     * @param jsonb the binding the execute endpoint writes its responses with
     * @param mcpJson the MCP SDK's mapper, which writes the result
     */
    public RunCodeResult(Jsonb jsonb, McpJsonMapper mcpJson) {
        this.jsonb = jsonb;
        this.mcpJson = mcpJson;
    }

    public CallToolResult of(ExecutionResponse response) {
        Map<String, Object> structured = asJsonObject(response);
        CallToolResult.Builder result =
                CallToolResult.builder()
                        .addContent(TextContent.builder(summary(response)).build())
                        .structuredContent(structured)
                        .isError(!"completed".equals(response.status()));
        images(response).forEach(result::addContent);
        return result.build();
    }

    /** The response as the execute endpoint's JSON has it: same names, same order, same nulls. */
    private Map<String, Object> asJsonObject(ExecutionResponse response) {
        try {
            return mcpJson.readValue(jsonb.toJson(response), JSON_OBJECT);
        } catch (IOException e) {
            throw new UncheckedIOException("the execute response is not a JSON object", e);
        }
    }

    static String summary(ExecutionResponse response) {
        StringBuilder text = new StringBuilder();
        text.append("status: ").append(response.status());
        text.append(", exit code: ").append(response.exitCode());
        if (response.signal() != null) {
            text.append(", signal: ").append(response.signal());
        }
        text.append(", time: ").append(response.executionTimeMs()).append(" ms");
        text.append(", peak memory: ").append(response.memoryUsageMb()).append(" MB\n");
        if (response.outputTruncated()) {
            text.append("(the run was stopped at the output limit: its output is incomplete)\n");
        }
        stream(text, "stdout", response.stdout());
        stream(text, "stderr", response.stderr());
        files(text, response);
        return text.toString();
    }

    /** The files' names, types and sizes (their bytes are in structuredContent). */
    private static void files(StringBuilder text, ExecutionResponse response) {
        if (response.files() == null || response.files().isEmpty()) {
            return;
        }
        text.append("--- files written (contents in structuredContent.files) ---\n");
        response.files()
                .forEach(
                        file ->
                                text.append(file.path())
                                        .append(" (")
                                        .append(file.mimeType())
                                        .append(", ")
                                        .append(file.sizeBytes())
                                        .append(" bytes)\n"));
        if (Boolean.TRUE.equals(response.filesTruncated())) {
            text.append("(the run left more files than are returned)\n");
        }
    }

    private static void stream(StringBuilder text, String name, String content) {
        text.append("--- ").append(name);
        if (content.isEmpty()) {
            text.append(": (empty)\n");
            return;
        }
        text.append(" ---\n");
        int shown = cutPoint(content);
        text.append(content, 0, shown);
        if (shown < content.length()) {
            text.append("\n[")
                    .append(name)
                    .append(" cut here: the first ")
                    .append(shown)
                    .append(" of ")
                    .append(content.length())
                    .append(" characters are shown; structuredContent.")
                    .append(name)
                    .append(" has all of it]");
        }
        if (!text.isEmpty() && text.charAt(text.length() - 1) != '\n') {
            text.append('\n');
        }
    }

    /** Where to cut {@code content} for the text block, never between the halves of a pair. */
    private static int cutPoint(String content) {
        if (content.length() <= MAX_STREAM_CHARS) {
            return content.length();
        }
        return Character.isHighSurrogate(content.charAt(MAX_STREAM_CHARS - 1))
                ? MAX_STREAM_CHARS - 1
                : MAX_STREAM_CHARS;
    }

    /** An image block for every output file of an image type, in the response's order. */
    private static List<ImageContent> images(ExecutionResponse response) {
        if (response.files() == null) {
            return List.of();
        }
        return response.files().stream()
                .filter(file -> IMAGE_TYPES.contains(file.mimeType()))
                .map(file -> ImageContent.builder(file.content(), file.mimeType()).build())
                .toList();
    }
}
