package com.builde2e.sandbox.health;

import com.builde2e.sandbox.executions.control.AgentClient;
import com.builde2e.sandbox.executions.control.AgentUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the kata-agent answers a ping with status ok; reports the transport it was reached
 * over ({@code unix}, {@code tcp}, {@code vsock}), its runs in flight and, per language, its warm
 * pool: size, idle members, hits, misses and the last and mean refill (warm-up) time in ms.
 */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {

    @Inject AgentClient agent;

    @Override
    public HealthCheckResponse call() {
        try {
            JsonObject pong = agent.ping();
            HealthCheckResponseBuilder health =
                    HealthCheckResponse.named("agent")
                            .status("ok".equals(pong.getString("status", null)))
                            .withData("transport", pong.getString("transport", "unknown"))
                            .withData("runsInFlight", pong.getInt("runsInFlight", -1));
            JsonObject pools = pong.getJsonObject("pools");
            if (pools != null) {
                pools.forEach((language, pool) -> withPool(health, language, pool.asJsonObject()));
            }
            return health.build();
        } catch (AgentUnavailableException | TimeoutException e) {
            return HealthCheckResponse.named("agent")
                    .down()
                    .withData("error", e.getMessage())
                    .build();
        }
    }

    private static void withPool(
            HealthCheckResponseBuilder health, String language, JsonObject pool) {
        for (String counter : new String[] {"size", "idle", "hits", "misses"}) {
            health.withData(
                    "pool." + language + "." + counter, pool.getJsonNumber(counter).longValue());
        }
        for (String millis : new String[] {"refillMsLast", "refillMsAvg"}) {
            health.withData(
                    "pool." + language + "." + millis,
                    Math.round(pool.getJsonNumber(millis).doubleValue()));
        }
    }
}
