package com.builde2e.sandbox.apikeys.boundary;

import com.builde2e.sandbox.apikeys.entity.IssuedApiKey;
import com.builde2e.sandbox.platform.ApiError;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.UUID;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/**
 * Key administration; only an admin JWT (group {@code admin}) gets in, an API key gets 403.
 * Declares the API's two security schemes for OpenAPI, since the keys and tokens they describe are
 * this component's.
 */
@Path("v1/admin/api-keys")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
@SecurityScheme(
        securitySchemeName = "apiKey",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        description = "an API key: Authorization: Bearer uc-...")
@SecurityScheme(
        securitySchemeName = "adminJwt",
        type = SecuritySchemeType.HTTP,
        scheme = "bearer",
        bearerFormat = "JWT",
        description = "a MicroProfile JWT (RS256) with group admin; see make admin-token")
@SecurityRequirement(name = "adminJwt")
@APIResponse(
        responseCode = "401",
        description = "no, invalid or expired admin token",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
@APIResponse(
        responseCode = "403",
        description = "an API key, which cannot administer keys",
        content = @Content(schema = @Schema(implementation = ApiError.class)))
public class ApiKeysResource {

    @Inject ApiKeys apiKeys;

    /** Issues a key: 201 with {@code key}, shown this once and never again. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Issue an API key; the response is the only place the key is ever shown")
    @APIResponse(
            responseCode = "201",
            description = "the new key, with its secret in key",
            content = @Content(schema = @Schema(implementation = IssuedApiKey.class)))
    @APIResponse(
            responseCode = "400",
            description = "no JSON object, or name missing, blank or over 200 characters",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public Response issue(NewApiKey request) {
        IssuedApiKey issued = apiKeys.issue(request.name());
        return Response.status(Response.Status.CREATED).entity(issued).build();
    }

    /** Every key with id, name, visible prefix, creation and revocation times; never a secret. */
    @GET
    @Operation(
            summary =
                    "List every key (id, name, visible prefix, createdAt, revokedAt), never a secret")
    public List<ApiKeyView> list() {
        return apiKeys.list();
    }

    /** Revokes a key at once; 404 for an unknown id, and revoking again changes nothing. */
    @DELETE
    @Path("{id}")
    @Operation(
            summary =
                    "Revoke a key: refused from the next request on; revoking again keeps the first time")
    @APIResponse(
            responseCode = "200",
            description = "the revoked key",
            content = @Content(schema = @Schema(implementation = ApiKeyView.class)))
    @APIResponse(
            responseCode = "404",
            description = "no key with this id",
            content = @Content(schema = @Schema(implementation = ApiError.class)))
    public ApiKeyView revoke(@PathParam("id") UUID id) {
        return apiKeys.revoke(id);
    }
}
