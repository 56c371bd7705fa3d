package com.builde2e.sandbox.apikeys.entity;

import java.time.OffsetDateTime;
import java.util.UUID;

/** A key just created: the only response that ever carries the secret {@code key}. */
public record IssuedApiKey(
        UUID id, String name, String prefix, OffsetDateTime createdAt, String key) {

    public static IssuedApiKey of(ApiKey stored, String key) {
        return new IssuedApiKey(
                stored.getId(), stored.getName(), stored.getPrefix(), stored.getCreatedAt(), key);
    }
}
