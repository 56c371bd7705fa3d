package com.builde2e.sandbox.apikeys.entity;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * A caller's credential. Only the SHA-256 of the key is kept, plus its first characters so that a
 * listing can tell keys apart; the key itself exists only in the response that issued it. A revoked
 * key stays (usage rows refer to it) but no longer authenticates.
 */
@Entity
@Table(name = "api_key")
@NamedQuery(name = ApiKey.FIND_BY_HASH, query = "SELECT k FROM ApiKey k WHERE k.keyHash = :keyHash")
@NamedQuery(name = ApiKey.FIND_ALL, query = "SELECT k FROM ApiKey k ORDER BY k.createdAt, k.id")
public class ApiKey {

    public static final String FIND_BY_HASH = "ApiKey.findByHash";
    public static final String FIND_ALL = "ApiKey.findAll";

    @Id private UUID id;

    @Column(nullable = false, length = 200)
    private String name;

    @Column(nullable = false, length = 16)
    private String prefix;

    @Column(name = "key_hash", nullable = false, length = 64, unique = true)
    private String keyHash;

    @Column(name = "created_at", nullable = false)
    private OffsetDateTime createdAt;

    @Column(name = "revoked_at")
    private OffsetDateTime revokedAt;

    protected ApiKey() {
        // for JPA
    }

    public ApiKey(String name, String prefix, String keyHash, OffsetDateTime createdAt) {
        this.id = UUID.randomUUID();
        this.name = name;
        this.prefix = prefix;
        this.keyHash = keyHash;
        this.createdAt = createdAt;
    }

    /**
     * Revokes the key from {@code when} on; a key already revoked keeps its first revocation time.
     */
    public void revoke(OffsetDateTime when) {
        if (revokedAt == null) {
            revokedAt = when;
        }
    }

    public boolean isRevoked() {
        return revokedAt != null;
    }

    public UUID getId() {
        return id;
    }

    public String getName() {
        return name;
    }

    public String getPrefix() {
        return prefix;
    }

    public String getKeyHash() {
        return keyHash;
    }

    public OffsetDateTime getCreatedAt() {
        return createdAt;
    }

    public OffsetDateTime getRevokedAt() {
        return revokedAt;
    }
}
