package com.builde2e.sandbox.apikeys.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Base64;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class KeyGeneratorTest {

    private final KeyGenerator generator = new KeyGenerator();

    @Test
    void keyIsPrefixAndTwoHundredFiftySixRandomBitsUrlSafe() {
        String key = generator.newKey();

        assertTrue(key.startsWith("uc-"), key);
        byte[] random = Base64.getUrlDecoder().decode(key.substring(3));
        assertEquals(32, random.length);
        assertTrue(key.matches("uc-[A-Za-z0-9_-]{43}"), key);
    }

    @Test
    void everyKeyIsWellFormed() {
        for (int i = 0; i < 200; i++) {
            String key = generator.newKey();
            assertTrue(KeyFormat.isWellFormed(key), key);
        }
    }

    @Test
    void keysDoNotRepeat() {
        Set<String> keys = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            keys.add(generator.newKey());
        }
        assertEquals(1000, keys.size());
    }
}
