package com.builde2e.sandbox.platform;

import java.util.Optional;

/**
 * The body of a 503 on an endpoint that answers "unavailable" in a shape of its own rather than as
 * an {@link ApiError}. Implemented (as a CDI bean) by the component that owns such an endpoint, and
 * asked by code that answers before any endpoint runs, such as authentication, so that it needs to
 * know neither the path nor the shape.
 */
public interface UnavailableBody {

    /**
     * @param requestUri the request's path, as the servlet container gives it
     * @param reason what the caller is told
     * @return the body of a 503 for this request, or empty when the request is not for this
     *     endpoint
     */
    Optional<Object> forRequest(String requestUri, String reason);
}
