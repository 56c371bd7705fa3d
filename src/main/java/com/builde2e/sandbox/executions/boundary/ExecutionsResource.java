package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.platform.ApiError;
import com.builde2e.sandbox.platform.RequestRefusedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.SecurityContext;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/** The execute endpoint ({@code /v1/code-sandbox/execute}, also under {@code /api}). */
@Path(ExecutionsResource.PATH)
public class ExecutionsResource {

    static final String PATH = "v1/code-sandbox";
    static final String EXECUTE = "execute";

    @Inject Executions executions;

    @Context SecurityContext security;

    /**
     * Runs the snippet in a fresh jail without network and returns its output, exit code, time,
     * peak memory and cost. Billed $0.002 whether the code succeeds or fails.
     */
    @POST
    @Path(EXECUTE)
    @RolesAllowed("user")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Execute code in an isolated code sandbox environment")
    @SecurityRequirement(name = "apiKey")
    @APIResponse(
            responseCode = "200",
            description = "the run ended (whatever the program did)",
            content = @Content(schema = @Schema(implementation = ExecutionResponse.class)))
    @APIResponse(
            responseCode = "400",
            description = "a field is missing, of the wrong type or invalid",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(responseCode = "401", description = "missing, unknown or revoked API key")
    @APIResponse(
            responseCode = "413",
            description =
                    "code over "
                            + ExecutionRequestReader.MAX_CODE_BYTES
                            + " bytes or body over 1 MiB",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "503",
            description = "busy or unavailable: retry after Retry-After; not billed",
            content = @Content(schema = @Schema(implementation = ExecutionResponse.class)))
    public ExecutionResponse execute(ExecutionRequest request) {
        if (request == null) {
            throw RequestRefusedException.invalid(
                    null, "a JSON body with code and language is required");
        }
        return executions.execute(callerKeyId(), request);
    }

    /** An API key caller's principal name is the key's id (see the apikeys component). */
    private UUID callerKeyId() {
        try {
            return UUID.fromString(security.getUserPrincipal().getName());
        } catch (IllegalArgumentException e) {
            throw new RequestRefusedException(
                    RequestRefusedException.Reason.NOT_PERMITTED,
                    "code runs need an API key",
                    null);
        }
    }
}
