package com.builde2e.sandbox.apikeys.control;

import java.util.UUID;

/** What {@link BearerAuthenticator} decided about one request's {@code Authorization} header. */
public sealed interface Authentication {

    /** No API key offered (no header, or a JWT): MicroProfile JWT decides. */
    record NotAnApiKey() implements Authentication {}

    /** A known, unrevoked key: the caller is that key. */
    record Accepted(UUID keyId) implements Authentication {}

    /**
     * A credential was offered and is not acceptable; {@code reason} is safe to show the caller.
     */
    record Rejected(String reason) implements Authentication {}

    /**
     * An API key was offered but could not be looked up (the database is down): no fault of the
     * caller's, so not a rejection; {@code reason} is safe to show the caller.
     */
    record Unavailable(String reason) implements Authentication {}
}
