package com.builde2e.sandbox.mcp.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.builde2e.sandbox.executions.boundary.ExecutionJsonSchemas;
import com.builde2e.sandbox.executions.boundary.ExecutionResponse;
import com.builde2e.sandbox.executions.boundary.OutputFile;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.json.jackson3.JacksonMcpJsonMapper;
import io.modelcontextprotocol.json.schema.jackson3.DefaultJsonSchemaValidator;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ImageContent;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.math.BigDecimal;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** What an MCP client gets for each kind of run. */
class RunCodeResultTest {

    private static final UUID ID = UUID.fromString("c1083eaa-ce51-471d-802e-03a9dcc03b2c");

    private final Jsonb jsonb = JsonbBuilder.create();
    private final McpJsonMapper mcpJson = new JacksonMcpJsonMapper(JsonMapper.shared());
    private final RunCodeResult results = new RunCodeResult(jsonb, mcpJson);

    @Test
    void aCompletedRunIsNoErrorAndItsStructuredContentIsTheExecuteResponse() throws Exception {
        ExecutionResponse response = response("completed", 0, null, "42\n", "", false);

        CallToolResult result = results.of(response);

        assertFalse(result.isError());
        assertEquals(
                mcpJson.readValue(jsonb.toJson(response), new TypeRef<Map<String, Object>>() {}),
                result.structuredContent());
        assertEquals(
                List.copyOf(
                        ((Map<?, ?>)
                                        mcpJson.readValue(
                                                jsonb.toJson(response),
                                                new TypeRef<Map<String, Object>>() {}))
                                .keySet()),
                List.copyOf(((Map<?, ?>) result.structuredContent()).keySet()),
                "the execute response's field order");
        assertEquals(
                "status: completed, exit code: 0, time: 12.5 ms, peak memory: 3.25 MB\n"
                        + "--- stdout ---\n"
                        + "42\n"
                        + "--- stderr: (empty)\n",
                text(result));
        assertEquals(1, result.content().size(), "no image: the run wrote no file");
    }

    @Test
    void everyOtherStatusIsAnErrorResult() {
        for (String status :
                List.of("failed", "timed_out", "memory_limit", "output_limit", "killed")) {
            CallToolResult result = results.of(response(status, 1, null, "", "boom\n", false));
            assertTrue(result.isError(), status);
            assertTrue(text(result).startsWith("status: " + status + ", exit code: 1"), status);
        }
    }

    @Test
    void aKilledRunNamesItsSignalAndSaysItsOutputIsIncomplete() {
        CallToolResult result =
                results.of(response("output_limit", 137, "SIGKILL", "yyyy", "", true));

        assertTrue(
                text(result).startsWith("status: output_limit, exit code: 137, signal: SIGKILL,"));
        assertTrue(text(result).contains("(the run was stopped at the output limit"));
        assertEquals("SIGKILL", ((Map<?, ?>) result.structuredContent()).get("signal"), "as sent");
    }

    @Test
    void longOutputIsCutInTheTextBlockWithAVisibleNoteButKeptWholeInStructuredContent() {
        String stdout = "x".repeat(RunCodeResult.MAX_STREAM_CHARS + 500);

        CallToolResult result = results.of(response("completed", 0, null, stdout, "", false));

        String text = text(result);
        assertTrue(
                text.contains("x".repeat(RunCodeResult.MAX_STREAM_CHARS) + "\n[stdout cut here"));
        assertFalse(text.contains("x".repeat(RunCodeResult.MAX_STREAM_CHARS + 1)));
        assertTrue(
                text.contains(
                        "the first 8000 of 8500 characters are shown; structuredContent.stdout has"
                                + " all of it]"));
        assertEquals(stdout, ((Map<?, ?>) result.structuredContent()).get("stdout"));
    }

    @Test
    void theCutNeverSplitsASurrogatePair() {
        String stdout = "x".repeat(RunCodeResult.MAX_STREAM_CHARS - 1) + "😀" + "tail";

        String text = text(results.of(response("completed", 0, null, stdout, "", false)));

        assertTrue(text.contains("x\n[stdout cut here: the first 7999 of"), text.substring(7990));
    }

    @Test
    void everyPngJpegOrGifFileIsAnImageBlockAndOtherFilesAreNot() {
        List<OutputFile> files =
                List.of(
                        file("chart.png", "image/png", "iVBORw0KGgo="),
                        file("data.json", "application/json", "e30="),
                        file("photo.jpg", "image/jpeg", "/9j/4A=="),
                        file("anim.gif", "image/gif", "R0lGODlh"),
                        file("vector.svg", "image/svg+xml", "PHN2Zz4="));

        CallToolResult result = results.of(withFiles(files));

        assertEquals(
                List.of("image/png:iVBORw0KGgo=", "image/jpeg:/9j/4A==", "image/gif:R0lGODlh"),
                result.content().stream()
                        .skip(1)
                        .map(image -> (ImageContent) image)
                        .map(image -> image.mimeType() + ":" + image.data())
                        .toList());
        assertTrue(
                text(result)
                        .endsWith(
                                "--- files written (contents in structuredContent.files) ---\n"
                                        + "chart.png (image/png, 8 bytes)\n"
                                        + "data.json (application/json, 2 bytes)\n"
                                        + "photo.jpg (image/jpeg, 4 bytes)\n"
                                        + "anim.gif (image/gif, 6 bytes)\n"
                                        + "vector.svg (image/svg+xml, 5 bytes)\n"),
                text(result));
        List<?> structuredFiles = (List<?>) ((Map<?, ?>) result.structuredContent()).get("files");
        assertEquals(5, structuredFiles.size(), "every file, in structuredContent");
        assertEquals(
                Map.of(
                        "path",
                        "chart.png",
                        "sizeBytes",
                        8,
                        "mimeType",
                        "image/png",
                        "encoding",
                        "base64",
                        "content",
                        "iVBORw0KGgo="),
                structuredFiles.get(0));
    }

    @Test
    void theStructuredContentOfAnyBilledRunConformsToTheOutputSchema() {
        DefaultJsonSchemaValidator validator = new DefaultJsonSchemaValidator(JsonMapper.shared());
        for (ExecutionResponse response :
                List.of(
                        response("completed", 0, null, "42\n", "", false),
                        response("output_limit", 137, "SIGKILL", "yyyy", "", true),
                        withFiles(List.of(file("chart.png", "image/png", "iVBORw0KGgo="))))) {
            var validation =
                    validator.validate(
                            ExecutionJsonSchemas.billedResponse(),
                            results.of(response).structuredContent());
            assertTrue(validation.valid(), validation.errorMessage());
        }
    }

    private static OutputFile file(String path, String mimeType, String base64) {
        return new OutputFile(
                path, Base64.getDecoder().decode(base64).length, mimeType, "base64", base64);
    }

    private static ExecutionResponse withFiles(List<OutputFile> files) {
        ExecutionResponse plain = response("completed", 0, null, "", "", false);
        return new ExecutionResponse(
                plain.stdout(),
                plain.stderr(),
                plain.exitCode(),
                plain.executionTimeMs(),
                plain.memoryUsageMb(),
                plain.timedOut(),
                plain.cost(),
                plain.error(),
                plain.status(),
                plain.signal(),
                plain.outputTruncated(),
                plain.executionId(),
                files,
                false);
    }

    private static String text(CallToolResult result) {
        return ((TextContent) result.content().get(0)).text();
    }

    private static ExecutionResponse response(
            String status,
            int exitCode,
            String signal,
            String stdout,
            String stderr,
            boolean truncated) {
        return new ExecutionResponse(
                stdout,
                stderr,
                exitCode,
                new BigDecimal("12.5"),
                new BigDecimal("3.25"),
                "timed_out".equals(status),
                new BigDecimal("0.002"),
                null,
                status,
                signal,
                truncated,
                ID,
                null,
                null);
    }
}
