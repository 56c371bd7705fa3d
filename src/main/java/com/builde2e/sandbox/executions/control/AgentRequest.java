package com.builde2e.sandbox.executions.control;

import com.builde2e.sandbox.runtimes.entity.Language;
import java.util.List;
import java.util.Map;

/**
 * A run as the agent receives it (kata-agent/PROTOCOL.md), already checked by the service. Optional
 * parts are null when the caller left them out, so that they are left out on the wire too: a
 * request that uses none of them is the same frame as a plain run's.
 *
 * @param stdin the program's standard input, or null for none
 * @param files input files written into the working directory, or null
 * @param env variables added to the run's environment, or null
 * @param args the program's arguments, or null
 * @param wallTimeMs a wall-time limit below the agent's default, or null for the default
 * @param memoryBytes a memory limit below the agent's default, or null for the default
 */
public record AgentRequest(
        Language language,
        String code,
        String stdin,
        List<AgentFile> files,
        Map<String, String> env,
        List<String> args,
        Integer wallTimeMs,
        Long memoryBytes) {

    /** A run of code with nothing but (optional) standard input. */
    public static AgentRequest of(Language language, String code, String stdin) {
        return new AgentRequest(language, code, stdin, null, null, null, null, null);
    }
}
