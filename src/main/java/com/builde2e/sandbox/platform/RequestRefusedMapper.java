package com.builde2e.sandbox.platform;

import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/**
 * Sends a {@link RequestRefusedException} as the status its reason stands for, with the JSON error
 * body.
 */
@Provider
public class RequestRefusedMapper implements ExceptionMapper<RequestRefusedException> {

    @Override
    public Response toResponse(RequestRefusedException e) {
        return Response.status(status(e.reason()))
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(e.body())
                .build();
    }

    static Response.Status status(RequestRefusedException.Reason reason) {
        return switch (reason) {
            case INVALID -> Response.Status.BAD_REQUEST;
            case TOO_LARGE -> Response.Status.REQUEST_ENTITY_TOO_LARGE;
            case UNKNOWN -> Response.Status.NOT_FOUND;
            case NOT_PERMITTED -> Response.Status.FORBIDDEN;
        };
    }
}
