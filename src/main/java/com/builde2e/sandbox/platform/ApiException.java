package com.builde2e.sandbox.platform;

import jakarta.ejb.ApplicationException;
import jakarta.ws.rs.core.Response;

/**
 * A failure the caller caused or must know about, carrying the HTTP status and the {@link ApiError} to send.
 * An EJB application exception so that it reaches the mapper as itself, not wrapped in an EJBException.
 */
@ApplicationException(rollback = true)
public class ApiException extends RuntimeException {

    private final Response.Status status;
    private final String field;

    public ApiException(Response.Status status, String message, String field) {
        super(message);
        this.status = status;
        this.field = field;
    }

    public static ApiException badRequest(String field, String message) {
        return new ApiException(Response.Status.BAD_REQUEST, message, field);
    }

    public static ApiException tooLarge(String field, String message) {
        return new ApiException(Response.Status.REQUEST_ENTITY_TOO_LARGE, message, field);
    }

    public Response.Status status() {
        return status;
    }

    public ApiError body() {
        return new ApiError(getMessage(), field);
    }
}
