package com.builde2e.sandbox.platform;

/**
 * The body of every error response: what went wrong in words a caller can act on, and the request
 * field at fault when there is one ({@code field} is left out of the JSON when null).
 */
public record ApiError(String error, String field) {

    public static ApiError of(String error) {
        return new ApiError(error, null);
    }
}
