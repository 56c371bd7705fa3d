package com.builde2e.sandbox.apikeys.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class KeyHasherTest {

    private final KeyHasher hasher = new KeyHasher();

    @Test
    void hashIsLowerCaseHexSha256() {
        // SHA-256("abc") from FIPS 180-2, appendix B.1
        assertEquals(
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                hasher.hash("abc"));
    }

    @Test
    void hashFitsTheSixtyFourCharacterColumn() {
        assertEquals(64, hasher.hash("uc-" + "x".repeat(200)).length());
    }

    @Test
    void matchesOnlyTheKeyThatWasHashed() {
        String stored = hasher.hash("uc-first-key-aaaaaaaaaaaaaaaa");

        assertTrue(hasher.matches("uc-first-key-aaaaaaaaaaaaaaaa", stored));
        assertFalse(hasher.matches("uc-first-key-aaaaaaaaaaaaaaab", stored));
        assertFalse(hasher.matches("uc-first-key-aaaaaaaaaaaaaaaa", stored.toUpperCase()));
        assertFalse(hasher.matches("uc-first-key-aaaaaaaaaaaaaaaa", stored.substring(1)));
    }
}
