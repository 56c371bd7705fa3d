package com.builde2e.sandbox.apikeys.control;

import com.builde2e.sandbox.apikeys.entity.ApiKeyRevoked;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The API keys this process found valid in the database during the last
 * sandbox.api-key-cache-seconds, by their hash, so that a busy key costs one database lookup per
 * period instead of one per request. Only accepted keys are kept (an unknown or revoked key is
 * looked up every time), and only their hash and id: never the key.
 *
 * <p>A revocation committed by this process takes effect at once (the revoked key's entry is
 * dropped after the commit); one made by another instance, or in the database directly, once the
 * entry has expired. A lookup that began before a revocation cannot put its now stale answer back:
 * {@link #remember} refuses an answer read before the latest {@link #forget}.
 */
@ApplicationScoped
public class VerifiedKeyCache {

    private record Entry(UUID keyId, long expiresAtNanos) {}

    private final Map<String, Entry> byHash = new ConcurrentHashMap<>();
    private long ttlNanos;
    private LongSupplier clock;
    private long revocations;

    protected VerifiedKeyCache() {
        // for the CDI proxy
    }

    @Inject
    public VerifiedKeyCache(
            @ConfigProperty(name = "sandbox.api-key-cache-seconds") int ttlSeconds) {
        this(TimeUnit.SECONDS.toNanos(ttlSeconds), System::nanoTime);
    }

    VerifiedKeyCache(long ttlNanos, LongSupplier clock) {
        this.ttlNanos = ttlNanos;
        this.clock = clock;
    }

    /** The id of the key with this hash, if it was found valid less than the period ago. */
    public Optional<UUID> find(String keyHash) {
        Entry entry = byHash.get(keyHash);
        if (entry == null) {
            return Optional.empty();
        }
        if (clock.getAsLong() - entry.expiresAtNanos() >= 0) {
            byHash.remove(keyHash, entry);
            return Optional.empty();
        }
        return Optional.of(entry.keyId());
    }

    /** To be taken before the database lookup whose answer is then given to {@link #remember}. */
    public synchronized long revocationsSoFar() {
        return revocations;
    }

    /**
     * Keeps a key found valid, unless a revocation was committed since {@code
     * revocationsBeforeLookup} was taken (the lookup may have read the key before that revocation).
     */
    public synchronized void remember(String keyHash, UUID keyId, long revocationsBeforeLookup) {
        if (revocations == revocationsBeforeLookup) {
            byHash.put(keyHash, new Entry(keyId, clock.getAsLong() + ttlNanos));
        }
    }

    public synchronized void forget(UUID keyId) {
        revocations++;
        byHash.values().removeIf(entry -> entry.keyId().equals(keyId));
    }

    void forgetOnceCommitted(
            @Observes(during = TransactionPhase.AFTER_SUCCESS) ApiKeyRevoked revoked) {
        forget(revoked.keyId());
    }
}
