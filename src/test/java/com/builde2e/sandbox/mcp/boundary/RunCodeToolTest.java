package com.builde2e.sandbox.mcp.boundary;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.builde2e.sandbox.executions.boundary.ExecutionUnavailableException;
import com.builde2e.sandbox.platform.ApiError;
import com.builde2e.sandbox.platform.RetryDelays;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How the tool tells what the execute endpoint answers with a 4xx or a 503. */
class RunCodeToolTest {

    @Test
    void aRefusedRequestIsAnErrorResultNamingTheFieldWithNoStructuredContent() {
        CallToolResult result =
                RunCodeTool.refused(
                        new ApiError("language must be one of: python, javascript", "language"));

        assertTrue(result.isError());
        assertNull(result.structuredContent(), "nothing ran: there is no response to show");
        assertEquals(
                "not run: language must be one of: python, javascript (field: language)",
                ((TextContent) result.content().get(0)).text());
    }

    @Test
    void anUnavailableServiceIsAnMcpErrorWithTheDelayToWait() {
        McpError error =
                RunCodeTool.unavailable(
                        new ExecutionUnavailableException(
                                "all sandboxes are busy, retry shortly", RetryDelays.BUSY_SECONDS));

        assertEquals(McpSchema.ErrorCodes.INTERNAL_ERROR, error.getJsonRpcError().code());
        assertEquals("all sandboxes are busy, retry shortly", error.getJsonRpcError().message());
        assertEquals(
                Map.of("retryAfterSeconds", RetryDelays.BUSY_SECONDS),
                error.getJsonRpcError().data());
    }
}
