package com.builde2e.sandbox.apikeys.boundary;

import com.builde2e.sandbox.platform.ApiError;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Answers a request that authentication turns away with a JSON body instead of the container's HTML
 * page: 401 for a refused credential, 403 for a caller who may not use the endpoint, 503 with
 * Retry-After when credentials cannot be checked at all.
 */
final class FailureResponse {

    private static final Jsonb JSON = JsonbBuilder.create();

    private FailureResponse() {}

    static AuthenticationStatus unauthorized(HttpMessageContext context, String reason) {
        unauthorized(context.getResponse(), reason);
        return AuthenticationStatus.SEND_FAILURE;
    }

    static void unauthorized(HttpServletResponse response, String reason) {
        response.setHeader("WWW-Authenticate", "Bearer realm=\"code-sandbox\"");
        send(response, HttpServletResponse.SC_UNAUTHORIZED, ApiError.of(reason));
    }

    static void forbidden(HttpServletResponse response, String reason) {
        send(response, HttpServletResponse.SC_FORBIDDEN, ApiError.of(reason));
    }

    /**
     * @param body the error in the shape the requested endpoint answers errors with
     */
    static AuthenticationStatus unavailable(
            HttpMessageContext context, Object body, int retryAfterSeconds) {
        HttpServletResponse response = context.getResponse();
        response.setHeader("Retry-After", Integer.toString(retryAfterSeconds));
        send(response, HttpServletResponse.SC_SERVICE_UNAVAILABLE, body);
        return AuthenticationStatus.SEND_FAILURE;
    }

    private static void send(HttpServletResponse response, int status, Object body) {
        try {
            response.setStatus(status);
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(JSON.toJson(body));
            // committed now, so the container cannot replace the body with its own error page
            response.flushBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException("could not send " + status, e);
        }
    }
}
