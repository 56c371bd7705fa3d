package com.builde2e.sandbox.executions.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * One entry of the agents' configuration and the agents it stands for now: an endpoint as written,
 * or a {@code tcp://} host name and every address it resolves to.
 */
sealed interface AgentAddress {

    /** The agents behind this entry at the moment (at least one: an unresolvable name is kept). */
    List<AgentEndpoint> endpoints();

    static AgentAddress fixed(AgentEndpoint endpoint) {
        return new Fixed(endpoint);
    }

    /**
     * sandbox.agents when set (comma-separated: Unix socket paths, {@code unix://}, {@code tcp://}
     * and {@code hvsock://} URLs, the network ones proving sandbox.agent.secret-file), else the one
     * agent of {@link AgentEndpoint#configured}.
     *
     * @throws IllegalArgumentException naming the entry that is wrong
     */
    static List<AgentAddress> configured(
            Optional<String> agents,
            Optional<String> url,
            String socket,
            Optional<String> secretFile) {
        if (agents.isEmpty() || agents.get().isBlank()) {
            return List.of(fixed(AgentEndpoint.configured(url, socket, secretFile)));
        }
        Optional<AgentSecret> secret = secretFile.map(file -> new AgentSecret(Path.of(file)));
        List<AgentAddress> addresses = new ArrayList<>();
        for (String entry : agents.get().split(",")) {
            addresses.add(parse(entry.strip(), secret));
        }
        return addresses;
    }

    private static AgentAddress parse(String entry, Optional<AgentSecret> secret) {
        if (entry.startsWith("/")) {
            return fixed(new AgentEndpoint.Unix(Path.of(entry)));
        }
        try {
            AgentEndpoint endpoint = AgentEndpoint.parse(entry, secret);
            return endpoint instanceof AgentEndpoint.Tcp tcp ? new Resolved(tcp) : fixed(endpoint);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("SANDBOX_AGENTS: " + e.getMessage(), e);
        }
    }

    record Fixed(AgentEndpoint endpoint) implements AgentAddress {
        @Override
        public List<AgentEndpoint> endpoints() {
            return List.of(endpoint);
        }
    }

    /** A TCP host name, looked up again each time. */
    record Resolved(AgentEndpoint.Tcp name) implements AgentAddress {
        @Override
        public List<AgentEndpoint> endpoints() {
            try {
                InetAddress[] all = InetAddress.getAllByName(name.host());
                // one family, the preferred one first: "localhost" is one agent, not two
                Class<?> family = all[0].getClass();
                return Arrays.stream(all)
                        .filter(family::isInstance)
                        .map(InetAddress::getHostAddress)
                        .distinct()
                        .sorted()
                        .<AgentEndpoint>map(
                                ip -> new AgentEndpoint.Tcp(ip, name.port(), name.secret()))
                        .toList();
            } catch (UnknownHostException e) {
                // tried as written: its failure shows in the agent's state
                return List.of(name);
            }
        }
    }
}
