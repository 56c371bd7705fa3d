package com.builde2e.sandbox.apikeys.control;

import jakarta.enterprise.context.ApplicationScoped;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Makes new keys: {@code uc-} and 256 bits from {@link SecureRandom}, base64url without padding (43
 * characters).
 */
@ApplicationScoped
public class KeyGenerator {

    private static final int RANDOM_BYTES = 32;

    private final SecureRandom random = new SecureRandom();

    public String newKey() {
        byte[] bytes = new byte[RANDOM_BYTES];
        random.nextBytes(bytes);
        return KeyFormat.PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
