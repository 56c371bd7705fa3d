package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AgentRoutingTest {

    private static final AgentEndpoint A = new AgentEndpoint.Unix(Path.of("/a"));
    private static final AgentEndpoint B = new AgentEndpoint.Unix(Path.of("/b"));
    private static final AgentEndpoint C = new AgentEndpoint.Unix(Path.of("/c"));

    private static AgentState up(AgentEndpoint agent, int runsInFlight, int idlePython) {
        return new AgentState(
                agent,
                true,
                runsInFlight,
                Map.of("python", new AgentState.Pool(8, idlePython, 0, 0)),
                null,
                0,
                Map.of());
    }

    @Test
    void anIdleWarmMemberOfTheLanguageComesFirstThenTheLeastLoaded() {
        List<AgentState> agents = List.of(up(A, 1, 0), up(B, 3, 2), up(C, 0, 0));
        assertEquals(List.of(B, C, A), AgentRouting.order(agents, "python"));
        // no pool of that language anywhere: by load alone
        assertEquals(List.of(C, A, B), AgentRouting.order(agents, "javascript"));
    }

    @Test
    void equalAgentsKeepTheirConfiguredOrderAndDownAgentsComeLast() {
        List<AgentState> agents = List.of(AgentState.down(A, "refused"), up(B, 0, 0), up(C, 0, 0));
        assertEquals(List.of(B, C, A), AgentRouting.order(agents, "python"));
    }

    @Test
    void runsSentSinceThePingCountAsLoadAndUseUpIdleMembers() {
        AgentState b = up(B, 0, 1).withSent("python");
        // B's one idle member went to that run, so C (idle member, same load) wins the next
        assertEquals(List.of(C, B), AgentRouting.order(List.of(b, up(C, 1, 1)), "python"));
        assertEquals(List.of(B, C), AgentRouting.order(List.of(b, up(C, 2, 0)), "python"));
    }
}
