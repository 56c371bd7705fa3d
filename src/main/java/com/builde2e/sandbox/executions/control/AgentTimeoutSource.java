package com.builde2e.sandbox.executions.control;

import java.util.Map;
import java.util.Set;
import org.eclipse.microprofile.config.spi.ConfigSource;

/**
 * Follows a raised wall limit ({@link WallLimit}) with the agent timeout: the Fault Tolerance
 * {@code @Timeout} of {@link AgentClient#run} would otherwise cut off every run that outlives the
 * contract's limit. Ordinal 150: above the application's properties file, below the environment and
 * system properties, so an operator can still set the timeout itself.
 */
public class AgentTimeoutSource implements ConfigSource {

    static final String RUN_TIMEOUT_KEY = AgentClient.class.getName() + "/run/Timeout/value";

    private final Map<String, String> properties;

    public AgentTimeoutSource() {
        properties =
                WallLimit.raisedMs().stream()
                        .mapToObj(
                                ms ->
                                        Map.of(
                                                RUN_TIMEOUT_KEY,
                                                Long.toString(WallLimit.agentTimeoutMs(ms))))
                        .findFirst()
                        .orElse(Map.of());
    }

    @Override
    public Set<String> getPropertyNames() {
        return properties.keySet();
    }

    @Override
    public String getValue(String propertyName) {
        return properties.get(propertyName);
    }

    @Override
    public String getName() {
        return "sandbox wall limit (" + WallLimit.ENVIRONMENT + ")";
    }

    @Override
    public int getOrdinal() {
        return 150;
    }
}
