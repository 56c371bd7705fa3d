package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The agent's address as the settings give it. */
class AgentEndpointTest {

    private static final Optional<String> SECRET = Optional.of("/etc/sandbox/agent.secret");

    @Test
    void withoutAUrlTheSocketSettingIsUsed() {
        AgentEndpoint endpoint =
                AgentEndpoint.configured(Optional.empty(), "/run/a.sock", Optional.empty());

        assertEquals(new AgentEndpoint.Unix(Path.of("/run/a.sock")), endpoint);
    }

    @Test
    void aUnixUrlNeedsNoSecret() {
        AgentEndpoint endpoint =
                AgentEndpoint.configured(
                        Optional.of("unix:///run/b.sock"), "/run/a.sock", Optional.empty());

        assertEquals(new AgentEndpoint.Unix(Path.of("/run/b.sock")), endpoint);
    }

    @Test
    void aTcpUrlCarriesHostPortAndSecret() {
        AgentEndpoint endpoint =
                AgentEndpoint.configured(Optional.of("tcp://127.0.0.1:7000"), "/x", SECRET);

        assertEquals(
                new AgentEndpoint.Tcp(
                        "127.0.0.1", 7000, new AgentSecret(Path.of("/etc/sandbox/agent.secret"))),
                endpoint);
        assertEquals("tcp://127.0.0.1:7000", endpoint.toString());
    }

    @Test
    void anIpv6HostIsBracketed() {
        AgentEndpoint endpoint =
                AgentEndpoint.configured(Optional.of("tcp://[::1]:7000"), "/x", SECRET);

        assertEquals("tcp://[::1]:7000", endpoint.toString());
    }

    @Test
    void aFirecrackerUrlNamesTheVmSocketAndTheGuestPort() {
        AgentEndpoint endpoint =
                AgentEndpoint.configured(Optional.of("hvsock:///run/fc/v.sock:1024"), "/x", SECRET);

        AgentEndpoint.HybridVsock vsock =
                assertInstanceOf(AgentEndpoint.HybridVsock.class, endpoint);
        assertEquals(Path.of("/run/fc/v.sock"), vsock.socket());
        assertEquals(1024, vsock.port());
    }

    @Test
    void aNetworkUrlWithoutASecretIsRefusedNamingTheSetting() {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () ->
                                AgentEndpoint.configured(
                                        Optional.of("tcp://127.0.0.1:7000"),
                                        "/x",
                                        Optional.empty()));

        assertTrue(e.getMessage().contains("SANDBOX_AGENT_SECRET_FILE"), e.getMessage());
    }

    @Test
    void malformedUrlsAreRefusedNamingTheSetting() {
        for (String url :
                new String[] {
                    "tcp://127.0.0.1",
                    "http://127.0.0.1:80",
                    "vsock://3:1024",
                    "hvsock:///v.sock",
                    "unix://",
                    "tcp://[::1:7000"
                }) {
            IllegalArgumentException e =
                    assertThrows(
                            IllegalArgumentException.class,
                            () -> AgentEndpoint.configured(Optional.of(url), "/x", SECRET),
                            url);
            assertTrue(e.getMessage().contains("SANDBOX_AGENT_URL"), e.getMessage());
        }
    }
}
