package com.builde2e.sandbox.apikeys.boundary;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /v1/admin/api-keys}. */
public record NewApiKey(
        @NotBlank(message = "name is required: say who or what the key is for")
        @Size(max = 200, message = "name must be at most 200 characters")
        String name) {
}
