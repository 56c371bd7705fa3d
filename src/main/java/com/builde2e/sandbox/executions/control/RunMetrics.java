package com.builde2e.sandbox.executions.control;

import com.builde2e.sandbox.executions.entity.RunStatus;
import com.builde2e.sandbox.runtimes.entity.Language;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.ToLongFunction;
import org.eclipse.microprofile.metrics.Counter;
import org.eclipse.microprofile.metrics.Metadata;
import org.eclipse.microprofile.metrics.MetricRegistry;
import org.eclipse.microprofile.metrics.Tag;
import org.eclipse.microprofile.metrics.Timer;

/**
 * The service's metrics (MicroProfile Metrics, served by Payara at {@code /metrics} in Prometheus
 * format): runs by status and language, run time, runs in flight, refusals (503) by reason, and per
 * agent whether it answers and its warm pools' hits and misses, as its last ping reported them.
 * What an autoscaler or an operator watches; never billing (usage records are the bill).
 */
@ApplicationScoped
public class RunMetrics {

    /** Why a run was refused with 503 (the {@code reason} label). */
    public enum Refusal {
        /** every sandbox this instance may use is taken */
        BUSY,
        SHUTTING_DOWN,
        /** no agent could be reached, or the agent failed the run */
        AGENT_UNAVAILABLE,
        /** the agents answered that they could not start the run */
        NOT_STARTED,
        NOT_BILLED;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    @Inject MetricRegistry registry;

    @Inject InFlightRuns inFlight;

    @Inject AgentFleet fleet;

    private final Set<AgentEndpoint> agentsWithMetrics = ConcurrentHashMap.newKeySet();

    /**
     * Every counter and timer, made at start-up: Payara's registry is not safe for two requests
     * creating the same metric at once (a timer's creation failed a run), and the series exist, at
     * 0, before the first run.
     */
    private final Map<Language, Map<RunStatus, Counter>> runs = new EnumMap<>(Language.class);

    private final Map<Language, Timer> durations = new EnumMap<>(Language.class);
    private final Map<Refusal, Counter> refusals = new EnumMap<>(Refusal.class);

    void register(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        for (Language language : Language.values()) {
            Tag languageTag = new Tag("language", language.wireName());
            Map<RunStatus, Counter> byStatus = new EnumMap<>(RunStatus.class);
            for (RunStatus status : RunStatus.values()) {
                byStatus.put(
                        status,
                        registry.counter(
                                describe("sandbox_runs", "runs the agents answered"),
                                languageTag,
                                new Tag("status", status.wireName())));
            }
            runs.put(language, byStatus);
            durations.put(
                    language,
                    registry.timer(
                            describe(
                                    "sandbox_run_duration",
                                    "time from request to the agent's answer"),
                            languageTag));
        }
        for (Refusal reason : Refusal.values()) {
            refusals.put(
                    reason,
                    registry.counter(
                            describe("sandbox_unavailable", "runs refused with 503, by reason"),
                            new Tag("reason", reason.label())));
        }
        registry.gauge(
                describe("sandbox_runs_in_flight", "runs this instance is serving now"),
                inFlight,
                InFlightRuns::running);
        registry.gauge(
                describe("sandbox_agents_up", "agents that answered their last ping"),
                fleet,
                f -> f.view().stream().filter(AgentState::up).count());
        registry.gauge(
                describe("sandbox_agents", "agents configured (names resolved)"),
                fleet,
                f -> f.view().size());
        registerAgents();
    }

    /** A run the agent answered, whatever its status, and how long the agent took. */
    public void ran(Language language, RunStatus status, Duration took) {
        runs.get(language).get(status).inc();
        durations.get(language).update(took);
        registerAgents();
    }

    public void refused(Refusal reason) {
        refusals.get(reason).inc();
    }

    /** Gauges for agents not seen before (names may resolve to new agents at any ping). */
    private synchronized void registerAgents() {
        for (AgentState state : fleet.view()) {
            AgentEndpoint agent = state.endpoint();
            if (!agentsWithMetrics.add(agent)) {
                continue;
            }
            Tag agentTag = new Tag("agent", agent.toString());
            registry.gauge(
                    describe("sandbox_agent_up", "1 when the agent answered its last ping"),
                    () -> current(agent).filter(AgentState::up).isPresent() ? 1 : 0,
                    agentTag);
            for (Language language : Language.values()) {
                Tag languageTag = new Tag("language", language.wireName());
                registry.gauge(
                        describe(
                                "sandbox_agent_pool_hits",
                                "runs a warm member took (agent's count)"),
                        () -> poolCount(agent, language, AgentState.Pool::hits),
                        agentTag,
                        languageTag);
                registry.gauge(
                        describe(
                                "sandbox_agent_pool_misses",
                                "runs that went cold with the pool on"),
                        () -> poolCount(agent, language, AgentState.Pool::misses),
                        agentTag,
                        languageTag);
            }
        }
    }

    private Optional<AgentState> current(AgentEndpoint agent) {
        return fleet.view().stream().filter(s -> s.endpoint().equals(agent)).findFirst();
    }

    private long poolCount(
            AgentEndpoint agent, Language language, ToLongFunction<AgentState.Pool> count) {
        return current(agent)
                .map(s -> s.pools().get(language.wireName()))
                .map(count::applyAsLong)
                .orElse(0L);
    }

    private static Metadata describe(String name, String description) {
        return Metadata.builder().withName(name).withDescription(description).build();
    }
}
