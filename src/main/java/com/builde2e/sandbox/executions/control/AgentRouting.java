package com.builde2e.sandbox.executions.control;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The order in which a run tries the agents: the agents that answered their last ping first, those
 * with an idle warm member of the run's language before the rest, each group by the fewest runs in
 * flight (the agents' capacities are taken as equal: a ping does not report one); on a tie, the
 * order of configuration, so a lone agent or the first of equals is the default. Agents that did
 * not answer come last, in case the view is older than their recovery: a run tries them only when
 * every agent that answered has refused it.
 */
final class AgentRouting {

    private AgentRouting() {}

    static List<AgentEndpoint> order(List<AgentState> agents, String language) {
        Comparator<AgentState> byPreference =
                Comparator.comparing((AgentState a) -> !a.hasIdleWarm(language))
                        .thenComparingInt(AgentState::load);
        Stream<AgentState> up = agents.stream().filter(AgentState::up).sorted(byPreference);
        Stream<AgentState> down = agents.stream().filter(a -> !a.up());
        return Stream.concat(up, down).map(AgentState::endpoint).toList();
    }
}
