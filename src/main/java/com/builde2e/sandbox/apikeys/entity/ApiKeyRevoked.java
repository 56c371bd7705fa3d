package com.builde2e.sandbox.apikeys.entity;

import java.util.UUID;

/** A CDI event: the key with this id has been revoked, in the transaction that fired it. */
public record ApiKeyRevoked(UUID keyId) {}
