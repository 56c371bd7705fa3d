package com.builde2e.sandbox.mcp.boundary;

import com.builde2e.sandbox.executions.boundary.ExecutionJsonSchemas;
import com.builde2e.sandbox.executions.boundary.ExecutionRequest;
import com.builde2e.sandbox.executions.boundary.ExecutionRequestReader;
import com.builde2e.sandbox.executions.boundary.ExecutionUnavailableException;
import com.builde2e.sandbox.executions.boundary.Executions;
import com.builde2e.sandbox.platform.ApiError;
import com.builde2e.sandbox.platform.RequestRefusedException;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpStatelessServerFeatures.SyncToolSpecification;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The {@code run_code} tool: its arguments are read by the execute endpoint's own reader, the run
 * goes through the same facade (so the same checks, the same agent path and exactly one usage
 * record per run), and the outcome is told the MCP way: a result for a run that ended (an error
 * result unless it completed), an error result naming the field for a request the endpoint would
 * answer 400 or 413, and a JSON-RPC error, with the delay to wait, where the endpoint would answer
 * 503.
 */
@ApplicationScoped
public class RunCodeTool {

    static final String NAME = "run_code";

    private static final Logger LOG = Logger.getLogger(RunCodeTool.class.getName());

    /** The transport context's entry for the caller's API key id (a {@link UUID}). */
    static final String CALLER_KEY_ID = "apiKeyId";

    @Inject Executions executions;

    private final ExecutionRequestReader requests = new ExecutionRequestReader();
    private final Jsonb jsonb = JsonbBuilder.create();

    SyncToolSpecification specification(McpJsonMapper json) {
        McpSchema.Tool tool =
                McpSchema.Tool.builder()
                        .name(NAME)
                        .title("Run code")
                        .description(
                                "Runs a Python 3 or JavaScript (Node.js) program in a fresh, isolated"
                                        + " sandbox without network access and returns its stdout,"
                                        + " stderr, exit code, time, peak memory and cost. Python has"
                                        + " numpy, pandas, sympy, python-dateutil and Pillow;"
                                        + " JavaScript (CommonJS) has lodash, dayjs and mathjs. Every"
                                        + " call is billed like a call to the execute endpoint.")
                        .inputSchema(ExecutionJsonSchemas.request())
                        .outputSchema(ExecutionJsonSchemas.billedResponse())
                        .annotations(
                                McpSchema.ToolAnnotations.builder()
                                        .title("Run code")
                                        .readOnlyHint(false)
                                        .destructiveHint(false)
                                        .idempotentHint(false)
                                        .openWorldHint(false)
                                        .build())
                        .build();
        RunCodeResult results = new RunCodeResult(jsonb, json);
        return SyncToolSpecification.builder()
                .tool(tool)
                .callHandler((context, call) -> call(context, call, json, results))
                .build();
    }

    private CallToolResult call(
            McpTransportContext context,
            CallToolRequest call,
            McpJsonMapper json,
            RunCodeResult results) {
        UUID caller = (UUID) context.get(CALLER_KEY_ID);
        try {
            ExecutionRequest request = requests.parse(asJson(call.arguments(), json));
            return results.of(executions.execute(caller, request));
        } catch (RequestRefusedException e) {
            return refused(e.body());
        } catch (ExecutionUnavailableException e) {
            throw unavailable(e);
        } catch (RuntimeException e) {
            // a bug of ours: the caller gets a reference to quote, the log the rest
            String reference = UUID.randomUUID().toString();
            LOG.log(Level.SEVERE, "run_code failed unexpectedly, reference " + reference, e);
            throw McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                    .message("internal error, reference " + reference)
                    .build();
        }
    }

    /** The arguments as the JSON body the execute endpoint would have received. */
    private static ByteArrayInputStream asJson(Map<String, Object> arguments, McpJsonMapper json) {
        try {
            return new ByteArrayInputStream(
                    json.writeValueAsBytes(arguments == null ? Map.of() : arguments));
        } catch (IOException e) {
            throw new UncheckedIOException("the tool's arguments cannot be written as JSON", e);
        }
    }

    /** What the execute endpoint answers 400 or 413: not run, not billed, the field named. */
    static CallToolResult refused(ApiError error) {
        String field = error.field() == null ? "" : " (field: " + error.field() + ")";
        return CallToolResult.builder()
                .addTextContent("not run: " + error.error() + field)
                .isError(true)
                .build();
    }

    /**
     * What the execute endpoint answers 503: nothing ran, nothing was billed; the caller may retry
     * after the delay in the error's data.
     */
    static McpError unavailable(ExecutionUnavailableException e) {
        return McpError.builder(McpSchema.ErrorCodes.INTERNAL_ERROR)
                .message(e.getMessage())
                .data(Map.of("retryAfterSeconds", e.retryAfterSeconds()))
                .build();
    }
}
