package com.builde2e.sandbox.executions.boundary;

import com.builde2e.sandbox.platform.UnavailableBody;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * The execute endpoint answers every 503 in its own response shape (cost 0, status {@code
 * infra_error}), also when authentication turns the request away before the endpoint runs.
 */
@ApplicationScoped
public class ExecuteUnavailableBody implements UnavailableBody {

    /** The execute endpoint's path, which requests reach under /v1 and under /api/v1 alike. */
    private static final String EXECUTE_PATH =
            "/" + ExecutionsResource.PATH + "/" + ExecutionsResource.EXECUTE;

    @Override
    public Optional<Object> forRequest(String requestUri, String reason) {
        return requestUri.endsWith(EXECUTE_PATH)
                ? Optional.of(ExecutionResponse.unavailable(reason))
                : Optional.empty();
    }
}
