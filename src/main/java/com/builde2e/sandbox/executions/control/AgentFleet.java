package com.builde2e.sandbox.executions.control;

import com.builde2e.sandbox.executions.entity.RunStatus;
import com.builde2e.sandbox.runtimes.entity.Language;
import jakarta.annotation.PreDestroy;
import jakarta.annotation.Resource;
import jakarta.enterprise.concurrent.ManagedExecutorService;
import jakarta.enterprise.concurrent.ManagedScheduledExecutorService;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.json.Json;
import jakarta.json.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The agents this instance sends runs to, and a fresh view of each: a background task pings them
 * all every sandbox.agents.ping-interval-ms, so that choosing an agent for a run costs no ping.
 * Each run goes to the agents in {@link AgentRouting}'s order until one takes it: an agent that
 * cannot be connected to, or that could not start the run ({@code infra_error}), hands it to the
 * next; an agent that took the run and then failed fails it (the run may have started: it is not
 * tried twice).
 *
 * <p>The agents are sandbox.agents (a comma-separated list), else the one agent of {@link
 * AgentEndpoint#configured}. A {@code tcp://} host name stands for every address it resolves to,
 * looked up again at each ping round, so agents behind one DNS name (a Kubernetes headless Service)
 * come and go without a restart.
 */
@ApplicationScoped
public class AgentFleet {

    private static final Logger LOG = Logger.getLogger(AgentFleet.class.getName());

    private static final JsonObject PING = Json.createObjectBuilder().add("op", "ping").build();

    /** A ping that takes longer marks its agent down for this round. */
    static final long PING_TIMEOUT_MS = 2_000;

    private List<AgentAddress> configured;
    private long pingIntervalMs;

    /** Agents in configuration order (an address's agents in the order they resolved). */
    private final Map<AgentEndpoint, AgentState> states = new LinkedHashMap<>();

    @Resource ManagedScheduledExecutorService scheduler;

    /** Runs the pings of a round side by side (not the scheduler, whose task waits for them). */
    @Resource ManagedExecutorService pingers;

    private ScheduledFuture<?> pinging;

    protected AgentFleet() {
        // for the CDI proxy
    }

    @Inject
    public AgentFleet(
            @ConfigProperty(name = "sandbox.agents") Optional<String> agents,
            @ConfigProperty(name = "sandbox.agent.url") Optional<String> url,
            @ConfigProperty(name = "sandbox.agent.socket") String socket,
            @ConfigProperty(name = "sandbox.agent.secret-file") Optional<String> secretFile,
            @ConfigProperty(name = "sandbox.agents.ping-interval-ms") long pingIntervalMs) {
        this(AgentAddress.configured(agents, url, socket, secretFile), pingIntervalMs);
    }

    AgentFleet(List<AgentAddress> configured, long pingIntervalMs) {
        this.configured = List.copyOf(configured);
        this.pingIntervalMs = pingIntervalMs;
        for (AgentAddress address : configured) {
            address.endpoints().forEach(e -> states.put(e, AgentState.down(e, "not pinged yet")));
        }
    }

    /** One agent, used as it is: for a client made without the container. */
    static AgentFleet of(AgentEndpoint endpoint) {
        return new AgentFleet(List.of(AgentAddress.fixed(endpoint)), 0);
    }

    /** Starts the background pings with the application (and first ping at once). */
    void start(@Observes @Initialized(ApplicationScoped.class) Object applicationStarted) {
        pinging =
                scheduler.scheduleWithFixedDelay(
                        this::pingAllQuietly, 0, pingIntervalMs, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    void stop() {
        if (pinging != null) {
            pinging.cancel(true);
        }
    }

    /** The first configured agent, the one a single-agent service talks to. */
    public AgentEndpoint defaultEndpoint() {
        return configured.get(0).endpoints().get(0);
    }

    /** The latest view of every agent, in configuration order. */
    public synchronized List<AgentState> view() {
        return List.copyOf(states.values());
    }

    /** Pings every agent now (and resolves their names again); returns the view it made. */
    public List<AgentState> pingAll() {
        List<AgentEndpoint> endpoints = new ArrayList<>();
        for (AgentAddress address : configured) {
            endpoints.addAll(address.endpoints());
        }
        Map<AgentEndpoint, AgentState> fresh = new LinkedHashMap<>();
        if (pingers == null) {
            endpoints.forEach(e -> fresh.put(e, ping(e)));
        } else {
            // in parallel: an agent that hangs must not hold up the others' view
            Map<AgentEndpoint, Future<AgentState>> pings = new LinkedHashMap<>();
            endpoints.forEach(e -> pings.put(e, pingers.submit(() -> ping(e))));
            pings.forEach((e, ping) -> fresh.put(e, await(e, ping)));
        }
        synchronized (this) {
            states.clear();
            states.putAll(fresh);
            return List.copyOf(states.values());
        }
    }

    private void pingAllQuietly() {
        try {
            pingAll();
        } catch (RuntimeException e) {
            LOG.warning(() -> "pinging the agents failed: " + e);
        }
    }

    private static AgentState ping(AgentEndpoint endpoint) {
        try {
            return AgentState.fromPing(endpoint, AgentClient.exchange(endpoint, PING));
        } catch (AgentUnavailableException e) {
            return AgentState.down(endpoint, e.getMessage());
        }
    }

    private static AgentState await(AgentEndpoint endpoint, Future<AgentState> ping) {
        try {
            return ping.get(PING_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            // the interrupt closes the ping's connection
            ping.cancel(true);
            return AgentState.down(endpoint, "no answer to a ping in " + PING_TIMEOUT_MS + " ms");
        } catch (ExecutionException e) {
            return AgentState.down(endpoint, String.valueOf(e.getCause()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            ping.cancel(true);
            return AgentState.down(endpoint, "interrupted");
        }
    }

    /** One try of a run on one agent. */
    @FunctionalInterface
    public interface Attempt {
        AgentResult on(AgentEndpoint agent) throws AgentUnavailableException;
    }

    /**
     * Tries the run on the agents in routing order until one starts it (or refuses it as invalid).
     *
     * @throws AgentUnavailableException when no agent could be reached, or the agent that took the
     *     run failed it
     */
    public AgentResult run(Language language, Attempt attempt) throws AgentUnavailableException {
        List<AgentEndpoint> order = AgentRouting.order(view(), language.wireName());
        AgentUnavailableException unreachable = null;
        AgentResult notStarted = null;
        for (AgentEndpoint agent : order) {
            sent(agent, language);
            try {
                AgentResult result = attempt.on(agent);
                if (result.status() != RunStatus.INFRA_ERROR) {
                    return result;
                }
                notStarted = result;
            } catch (AgentUnreachableException e) {
                markDown(agent, e.getMessage());
                unreachable = e;
            }
        }
        if (notStarted != null) {
            return notStarted;
        }
        throw unreachable != null
                ? unreachable
                : new AgentUnavailableException("no agent is configured");
    }

    private synchronized void sent(AgentEndpoint agent, Language language) {
        states.computeIfPresent(agent, (e, state) -> state.withSent(language.wireName()));
    }

    private synchronized void markDown(AgentEndpoint agent, String error) {
        states.computeIfPresent(agent, (e, state) -> AgentState.down(e, error));
    }
}
