package com.builde2e.sandbox.apikeys.boundary;

/**
 * The body of {@code POST /v1/admin/api-keys}: what the key is for (read and checked by {@link
 * NewApiKeyReader}).
 */
public record NewApiKey(String name) {}
