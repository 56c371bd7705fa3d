package com.builde2e.sandbox.health;

import com.builde2e.sandbox.executions.control.AgentClient;
import com.builde2e.sandbox.executions.control.AgentUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the kata-agent answers a ping with status ok; reports its runs in flight. */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {

    @Inject
    AgentClient agent;

    @Override
    public HealthCheckResponse call() {
        try {
            JsonObject pong = agent.ping();
            return HealthCheckResponse.named("agent")
                    .status("ok".equals(pong.getString("status", null)))
                    .withData("runsInFlight", pong.getInt("runsInFlight", -1))
                    .build();
        } catch (AgentUnavailableException | TimeoutException e) {
            return HealthCheckResponse.named("agent").down().withData("error", e.getMessage()).build();
        }
    }
}
