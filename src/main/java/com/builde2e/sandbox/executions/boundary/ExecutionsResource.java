package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.platform.ApiError;
import com.builde2e.sandbox.platform.RequestRefusedException;
import jakarta.annotation.security.RolesAllowed;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.SecurityContext;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;

/**
 * The execute endpoint ({@code /v1/code-sandbox/execute}, also under {@code /api}). One instance
 * serves every request, whose own state arrives as parameters: a resource made per request cost a
 * CDI bean, its injection and an EJB proxy on every run.
 */
@ApplicationScoped
@Path(ExecutionsResource.PATH)
public class ExecutionsResource {

    static final String PATH = "v1/code-sandbox";
    static final String EXECUTE = "execute";

    @Inject Executions executions;

    /**
     * Runs the snippet in a fresh jail without network and returns its output, exit code, time,
     * peak memory and cost. Billed $0.002 whether the code succeeds or fails. With {@code Accept:
     * text/event-stream} the answer is a stream of events: the output as it comes, then the result.
     */
    @POST
    @Path(EXECUTE)
    @RolesAllowed("user")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, MediaType.SERVER_SENT_EVENTS})
    @Operation(summary = "Execute code in an isolated code sandbox environment")
    @SecurityRequirement(name = "apiKey")
    @APIResponse(
            responseCode = "200",
            description =
                    "the run ended (whatever the program did). With Accept: text/event-stream:"
                            + " Server-Sent Events, `stdout` and `stderr` events whose data is the"
                            + " next chunk of that stream as a JSON string, in order, then exactly"
                            + " one `result` event whose data is the response below (a run that"
                            + " failed on our side after it started ends with the 503 body"
                            + " instead); comment lines keep the stream alive",
            content = {
                @Content(
                        mediaType = MediaType.APPLICATION_JSON,
                        schema = @Schema(implementation = ExecutionResponse.class)),
                @Content(
                        mediaType = MediaType.SERVER_SENT_EVENTS,
                        schema =
                                @Schema(
                                        type = SchemaType.STRING,
                                        example =
                                                "event: stdout\ndata: \"a\\n\"\n\n"
                                                        + "event: result\ndata: {\"stdout\":"
                                                        + "\"a\\n\",...}\n\n"))
            })
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
                            + " bytes or body over 16 MiB",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    @APIResponse(
            responseCode = "503",
            description = "busy or unavailable: retry after Retry-After; not billed",
            content = @Content(schema = @Schema(implementation = ExecutionResponse.class)))
    public Response execute(
            ExecutionRequest request,
            @Context HttpHeaders headers,
            @Context SecurityContext security) {
        if (request == null) {
            throw RequestRefusedException.invalid(
                    null, "a JSON body with code and language is required");
        }
        if (wantsEvents(headers)) {
            LiveRun run = executions.stream(callerKeyId(security), request);
            return Response.ok(new EventStream(run), MediaType.SERVER_SENT_EVENTS_TYPE)
                    .header(HttpHeaders.CACHE_CONTROL, "no-cache")
                    .build();
        }
        return Response.ok(
                        executions.execute(callerKeyId(security), request),
                        MediaType.APPLICATION_JSON_TYPE)
                .build();
    }

    /**
     * Events only when the caller asks for them first: a client that accepts anything gets JSON.
     */
    private static boolean wantsEvents(HttpHeaders headers) {
        List<MediaType> accepted = headers.getAcceptableMediaTypes();
        return !accepted.isEmpty()
                && !accepted.get(0).isWildcardType()
                && accepted.get(0).isCompatible(MediaType.SERVER_SENT_EVENTS_TYPE);
    }

    /** An API key caller's principal name is the key's id (see the apikeys component). */
    private static UUID callerKeyId(SecurityContext security) {
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
