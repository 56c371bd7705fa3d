package com.builde2e.sandbox.executions.boundary;

import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;

/** 503 with Retry-After and the execution response shape (cost 0, error set). */
@Provider
public class ExecutionUnavailableMapper implements ExceptionMapper<ExecutionUnavailableException> {

    @Override
    public Response toResponse(ExecutionUnavailableException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, e.retryAfterSeconds())
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(ExecutionResponse.unavailable(e.getMessage()))
                .build();
    }
}
