package com.builde2e.sandbox.executions.control;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunSlotsTest {

    @Test
    void takesAsManySlotsAsConfiguredThenRefuses() {
        RunSlots slots = new RunSlots(2);
        assertTrue(slots.tryTake());
        assertTrue(slots.tryTake());
        assertFalse(slots.tryTake());
    }

    @Test
    void aSlotGivenBackCanBeTakenAgain() {
        RunSlots slots = new RunSlots(1);
        assertTrue(slots.tryTake());
        slots.giveBack();
        assertTrue(slots.tryTake());
    }

    @Test
    void fewerThanOneSlotIsAConfigurationError() {
        assertThrows(IllegalArgumentException.class, () -> new RunSlots(0));
    }
}
