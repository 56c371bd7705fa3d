package com.builde2e.sandbox.apikeys.boundary;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpFilter;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/**
 * Lets through only callers that {@link ApiKeyAuthenticationMechanism} logged in with an API key,
 * for endpoints that are plain servlets rather than JAX-RS resources (whose {@code
 * RolesAllowed("user")} does the same). A bad key never gets this far: the mechanism has already
 * answered 401. Without any credential the answer is 401, for an admin token 403, both with the
 * JSON error body of every other endpoint and before the servlet reads a byte of the request.
 */
public class ApiKeyRequired extends HttpFilter {

    @Override
    protected void doFilter(
            HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws IOException, ServletException {
        if (request.isUserInRole(ApiKeyAuthenticationMechanism.USER_GROUP)) {
            chain.doFilter(request, response);
        } else if (request.getUserPrincipal() == null) {
            FailureResponse.unauthorized(
                    response, "an API key is required: 'Authorization: Bearer <API key>'");
        } else {
            FailureResponse.forbidden(response, "this endpoint needs an API key, not a token");
        }
    }

    /**
     * The caller's key id, as the mechanism logged it in (only valid behind this filter).
     *
     * @return the principal name of an API-key caller: the key's id
     */
    public static String callerKeyId(HttpServletRequest request) {
        return request.getUserPrincipal().getName();
    }
}
