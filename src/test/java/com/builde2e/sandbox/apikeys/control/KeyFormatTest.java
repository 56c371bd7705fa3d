package com.builde2e.sandbox.apikeys.control;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KeyFormatTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "uc-abcdefghijklmnopqrstuv",
                "uc-ABC_def-0123456789xyzABC",
                "uc-0000000000000000000000"
            })
    void acceptsPrefixAndAtLeastTwentyTwoUrlSafeCharacters(String key) {
        assertTrue(KeyFormat.isWellFormed(key));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "uc-",
                "uc-abcdefghijklmnopqrstu",
                "UC-abcdefghijklmnopqrstuv",
                "abcdefghijklmnopqrstuvwxyz",
                "uc-abcdefghijklmnopqrstuv ",
                "uc-abcdefghij+lmnopqrstuv",
                "uc-abcdefghij/lmnopqrstuv",
                "uc-abcdefghij.lmnopqrstuv",
                "uc-abcdefghijklmnopqrstuv\n"
            })
    void refusesAnythingElse(String key) {
        assertFalse(KeyFormat.isWellFormed(key));
    }

    @Test
    void refusesOverTwoHundredCharactersAfterThePrefix() {
        assertTrue(KeyFormat.isWellFormed("uc-" + "a".repeat(200)));
        assertFalse(KeyFormat.isWellFormed("uc-" + "a".repeat(201)));
        assertFalse(KeyFormat.isWellFormed(null));
    }

    @Test
    void visiblePrefixIsTheSchemeAndEightCharacters() {
        assertEquals("uc-abcdefgh", KeyFormat.visiblePrefix("uc-abcdefghijklmnopqrstuvwxyz"));
    }
}
