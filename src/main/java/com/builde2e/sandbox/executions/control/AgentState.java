package com.builde2e.sandbox.executions.control;

import jakarta.json.JsonObject;
import jakarta.json.JsonValue;
import java.util.Map;
import java.util.TreeMap;

/**
 * What the last ping of one agent said: whether it answered, its runs in flight and, per language,
 * its warm pool's idle members and its hit and miss counters; plus the runs this instance has sent
 * it since (which the next ping counts).
 *
 * @param error why the agent is down, or null
 */
public record AgentState(
        AgentEndpoint endpoint,
        boolean up,
        int runsInFlight,
        Map<String, Pool> pools,
        String error,
        int sentSincePing,
        Map<String, Integer> warmSentSincePing) {

    /** One language's pool as the agent reported it. */
    public record Pool(int size, int idle, long hits, long misses) {}

    static AgentState down(AgentEndpoint endpoint, String error) {
        return new AgentState(endpoint, false, 0, Map.of(), error, 0, Map.of());
    }

    /** The state a ping answer describes; an answer without status ok is a down agent. */
    static AgentState fromPing(AgentEndpoint endpoint, JsonObject pong) {
        if (!"ok".equals(pong.getString("status", null))) {
            return down(endpoint, "the agent's status is " + pong.get("status"));
        }
        Map<String, Pool> pools = new TreeMap<>();
        JsonObject reported = pong.getJsonObject("pools");
        if (reported != null) {
            reported.forEach((language, pool) -> pools.put(language, pool(pool)));
        }
        return new AgentState(
                endpoint, true, pong.getInt("runsInFlight", 0), pools, null, 0, Map.of());
    }

    private static Pool pool(JsonValue value) {
        JsonObject pool = value.asJsonObject();
        return new Pool(
                pool.getInt("size", 0),
                pool.getInt("idle", 0),
                pool.getJsonNumber("hits").longValue(),
                pool.getJsonNumber("misses").longValue());
    }

    /** Runs the agent is serving as far as this instance knows: its last count and ours since. */
    int load() {
        return runsInFlight + sentSincePing;
    }

    /** Whether a warm member of the language should still be idle after what we sent it. */
    boolean hasIdleWarm(String language) {
        Pool pool = pools.get(language);
        return pool != null && pool.idle() > warmSentSincePing.getOrDefault(language, 0);
    }

    /** The same state with one more run of the language sent to the agent. */
    AgentState withSent(String language) {
        Map<String, Integer> warm = new TreeMap<>(warmSentSincePing);
        if (hasIdleWarm(language)) {
            warm.merge(language, 1, Integer::sum);
        }
        return new AgentState(endpoint, up, runsInFlight, pools, error, sentSincePing + 1, warm);
    }
}
