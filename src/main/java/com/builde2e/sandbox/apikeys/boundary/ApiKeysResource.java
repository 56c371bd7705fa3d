package com.builde2e.sandbox.apikeys.boundary;

import com.builde2e.sandbox.apikeys.entity.ApiKeyView;
import com.builde2e.sandbox.apikeys.entity.IssuedApiKey;
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

/** Key administration; only an admin JWT (group {@code admin}) gets in, an API key gets 403. */
@Path("v1/admin/api-keys")
@RolesAllowed("admin")
@Produces(MediaType.APPLICATION_JSON)
public class ApiKeysResource {

    @Inject
    ApiKeys apiKeys;

    /** Issues a key: 201 with {@code key}, shown this once and never again. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response issue(NewApiKey request) {
        IssuedApiKey issued = apiKeys.issue(request.name());
        return Response.status(Response.Status.CREATED).entity(issued).build();
    }

    /** Every key with id, name, visible prefix, creation and revocation times; never a secret. */
    @GET
    public List<ApiKeyView> list() {
        return apiKeys.list();
    }

    /** Revokes a key at once; 404 for an unknown id, and revoking again changes nothing. */
    @DELETE
    @Path("{id}")
    public ApiKeyView revoke(@PathParam("id") UUID id) {
        return apiKeys.revoke(id);
    }
}
