package com.builde2e.sandbox.apikeys.boundary;

import com.builde2e.sandbox.apikeys.entity.ApiKey;
import jakarta.json.bind.annotation.JsonbNillable;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A key as the admin listing shows it: everything but the secret, which is not stored anywhere. */
@JsonbNillable // revokedAt: null says "active" in so many words
public record ApiKeyView(
        UUID id, String name, String prefix, OffsetDateTime createdAt, OffsetDateTime revokedAt) {

    public static ApiKeyView of(ApiKey key) {
        return new ApiKeyView(
                key.getId(),
                key.getName(),
                key.getPrefix(),
                key.getCreatedAt(),
                key.getRevokedAt());
    }
}
