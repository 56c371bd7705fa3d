package com.builde2e.sandbox.apikeys.boundary;

import com.builde2e.sandbox.apikeys.control.KeyFormat;
import jakarta.annotation.PostConstruct;
import jakarta.ejb.DependsOn;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.inject.Inject;
import java.util.Optional;
import java.util.logging.Logger;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * First use without an admin token: when {@code SANDBOX_BOOTSTRAP_API_KEY} is set, a key with
 * exactly that value exists once the service has started (only its hash is stored; restarting with
 * the same value changes nothing). A value that is not a well-formed key stops the deployment
 * rather than leave a key nobody could use.
 */
@Singleton
@Startup
@DependsOn("SchemaMigration")
public class BootstrapKey {

    static final String NAME = "bootstrap";

    private static final Logger LOG = Logger.getLogger(BootstrapKey.class.getName());

    @Inject
    @ConfigProperty(name = "sandbox.bootstrap.api.key")
    Optional<String> key;

    @Inject ApiKeys apiKeys;

    @PostConstruct
    void ensureKey() {
        key.map(String::strip).ifPresent(this::ensure);
    }

    private void ensure(String value) {
        if (!KeyFormat.isWellFormed(value)) {
            throw new IllegalStateException(
                    "SANDBOX_BOOTSTRAP_API_KEY must be " + KeyFormat.DESCRIPTION);
        }
        ApiKeyView stored = apiKeys.ensureExists(NAME, value);
        // the prefix is what listings show anyway; the key itself is never logged
        if (stored.revokedAt() != null) {
            LOG.warning(
                    "the bootstrap API key "
                            + stored.prefix()
                            + "... was revoked and stays revoked");
        } else {
            LOG.info(
                    "bootstrap API key "
                            + stored.prefix()
                            + "... is ready (id "
                            + stored.id()
                            + ")");
        }
    }
}
