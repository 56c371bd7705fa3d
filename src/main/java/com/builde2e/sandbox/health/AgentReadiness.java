package com.builde2e.sandbox.health;

import com.builde2e.sandbox.executions.control.AgentClient;
import com.builde2e.sandbox.executions.control.AgentFleet;
import com.builde2e.sandbox.executions.control.AgentState;
import com.builde2e.sandbox.executions.control.AgentUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.json.JsonObject;
import java.util.List;
import org.eclipse.microprofile.faulttolerance.exceptions.TimeoutException;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready when the kata-agent answers a ping with status ok; reports the transport it was reached
 * over ({@code unix}, {@code tcp}, {@code vsock}), its runs in flight and, per language, its warm
 * pool: size, idle members, hits, misses and the last and mean refill (warm-up) time in ms. With
 * several agents (sandbox.agents), ready while at least one answers; reports how many do and, per
 * agent, whether it answers, its runs in flight and its idle warm members.
 */
@Readiness
@ApplicationScoped
public class AgentReadiness implements HealthCheck {

    @Inject AgentClient agent;

    @Inject AgentFleet fleet;

    @Override
    public HealthCheckResponse call() {
        return fleet.view().size() > 1 ? several(fleet.pingAll()) : one();
    }

    private static HealthCheckResponse several(List<AgentState> agents) {
        HealthCheckResponseBuilder health =
                HealthCheckResponse.named("agents")
                        .withData("agentsUp", agents.stream().filter(AgentState::up).count());
        for (AgentState state : agents) {
            String name = "agent " + state.endpoint() + ".";
            health.withData(name + "up", state.up())
                    .withData(name + "runsInFlight", state.runsInFlight());
            state.pools()
                    .forEach(
                            (language, pool) ->
                                    health.withData(
                                            name + "pool." + language + ".idle", pool.idle()));
            if (state.error() != null) {
                health.withData(name + "error", state.error());
            }
        }
        return health.status(agents.stream().anyMatch(AgentState::up)).build();
    }

    private HealthCheckResponse one() {
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
