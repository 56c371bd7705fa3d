package com.builde2e.sandbox.platform;

import jakarta.ejb.ApplicationException;

/**
 * A request refused for a reason the caller can act on: what is wrong, in words, the request field
 * at fault (or null), and why it was refused. Free of HTTP types, so control classes can throw it;
 * {@link RequestRefusedMapper} turns the reason into a status. An EJB application exception so that
 * it reaches the mapper as itself, not wrapped in an EJBException.
 */
@ApplicationException(rollback = true)
public class RequestRefusedException extends RuntimeException {

    /** Why a request was refused. */
    public enum Reason {
        /** a value is missing, of the wrong type or not one the service accepts */
        INVALID,
        /** a value is larger than the service accepts */
        TOO_LARGE,
        /** the request names something that does not exist */
        UNKNOWN,
        /** the caller is who they say, but may not do this */
        NOT_PERMITTED
    }

    private final Reason reason;
    private final String field;

    public RequestRefusedException(Reason reason, String message, String field) {
        super(message);
        this.reason = reason;
        this.field = field;
    }

    public static RequestRefusedException invalid(String field, String message) {
        return new RequestRefusedException(Reason.INVALID, message, field);
    }

    public static RequestRefusedException tooLarge(String field, String message) {
        return new RequestRefusedException(Reason.TOO_LARGE, message, field);
    }

    public Reason reason() {
        return reason;
    }

    public ApiError body() {
        return new ApiError(getMessage(), field);
    }
}
