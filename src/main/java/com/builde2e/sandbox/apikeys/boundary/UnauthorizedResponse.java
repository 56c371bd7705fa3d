package com.builde2e.sandbox.apikeys.boundary;

import com.builde2e.sandbox.platform.ApiError;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.security.enterprise.AuthenticationStatus;
import jakarta.security.enterprise.authentication.mechanism.http.HttpMessageContext;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Answers a refused credential with 401 and the service's JSON error body instead of the container's HTML page. */
final class UnauthorizedResponse {

    private static final Jsonb JSON = JsonbBuilder.create();

    private UnauthorizedResponse() {
    }

    static AuthenticationStatus send(HttpMessageContext context, String reason) {
        HttpServletResponse response = context.getResponse();
        try {
            response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
            response.setHeader("WWW-Authenticate", "Bearer realm=\"code-sandbox\"");
            response.setContentType("application/json");
            response.setCharacterEncoding("UTF-8");
            response.getWriter().write(JSON.toJson(ApiError.of(reason)));
            // committed now, so the container cannot replace the body with its own error page
            response.flushBuffer();
        } catch (IOException e) {
            throw new UncheckedIOException("could not send 401", e);
        }
        return AuthenticationStatus.SEND_FAILURE;
    }
}
