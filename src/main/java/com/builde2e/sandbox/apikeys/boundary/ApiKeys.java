package com.builde2e.sandbox.apikeys.boundary;

import com.builde2e.sandbox.apikeys.control.KeyFormat;
import com.builde2e.sandbox.apikeys.control.KeyGenerator;
import com.builde2e.sandbox.apikeys.control.KeyHasher;
import com.builde2e.sandbox.apikeys.entity.ApiKey;
import com.builde2e.sandbox.apikeys.entity.ApiKeyRevoked;
import com.builde2e.sandbox.apikeys.entity.IssuedApiKey;
import com.builde2e.sandbox.platform.RequestRefusedException;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Issuing, listing, revoking and looking up API keys; every change is committed before the method
 * returns.
 */
@Stateless
public class ApiKeys {

    @PersistenceContext(unitName = "sandbox")
    EntityManager em;

    @Inject KeyHasher hasher;

    @Inject KeyGenerator generator;

    @Inject Event<ApiKeyRevoked> revocations;

    /**
     * Creates a key named {@code name}; the returned value is the only place the key itself ever
     * appears.
     */
    public IssuedApiKey issue(String name) {
        String key = generator.newKey();
        return IssuedApiKey.of(store(name, key), key);
    }

    /** Every key, oldest first, without secrets. */
    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public List<ApiKeyView> list() {
        return em.createNamedQuery(ApiKey.FIND_ALL, ApiKey.class)
                .getResultStream()
                .map(ApiKeyView::of)
                .toList();
    }

    /**
     * Revokes the key at once (this process refuses the next request with it; other instances once
     * their {@link com.builde2e.sandbox.apikeys.control.VerifiedKeyCache} entry expires); revoking
     * twice keeps the first time.
     */
    public ApiKeyView revoke(UUID id) {
        ApiKey key = em.find(ApiKey.class, id);
        if (key == null) {
            throw new RequestRefusedException(
                    RequestRefusedException.Reason.UNKNOWN, "no API key with id " + id, "id");
        }
        key.revoke(now());
        revocations.fire(new ApiKeyRevoked(id));
        return ApiKeyView.of(key);
    }

    @TransactionAttribute(TransactionAttributeType.SUPPORTS)
    public Optional<ApiKey> findByHash(String keyHash) {
        return em.createNamedQuery(ApiKey.FIND_BY_HASH, ApiKey.class)
                .setParameter("keyHash", keyHash)
                .getResultStream()
                .findFirst();
    }

    /**
     * Makes sure a key with exactly this value exists, creating it under {@code name} if needed; a
     * stored key is left as it is, revoked or not, so an operator's revocation survives restarts.
     *
     * @return the stored key
     */
    public ApiKeyView ensureExists(String name, String key) {
        String hash = hasher.hash(key);
        // instances started together race to create it: the insert that loses finds the key there
        // (it waits for the winner's commit) and does nothing, where a plain insert would fail
        em.createNativeQuery(
                        "INSERT INTO api_key (id, name, prefix, key_hash, created_at)"
                                + " VALUES (gen_random_uuid(), ?1, ?2, ?3, now())"
                                + " ON CONFLICT (key_hash) DO NOTHING")
                .setParameter(1, name)
                .setParameter(2, KeyFormat.visiblePrefix(key))
                .setParameter(3, hash)
                .executeUpdate();
        return ApiKeyView.of(findByHash(hash).orElseThrow());
    }

    private ApiKey store(String name, String key) {
        ApiKey stored = new ApiKey(name, KeyFormat.visiblePrefix(key), hasher.hash(key), now());
        em.persist(stored);
        return stored;
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }
}
