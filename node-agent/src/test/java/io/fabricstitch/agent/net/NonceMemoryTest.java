package io.fabricstitch.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NonceMemoryTest {
    private static final long WINDOW = 30_000;

    @Test
    void refusesANonceSeenWithinTheWindow() {
        NonceMemory m = new NonceMemory(16, WINDOW);
        assertTrue(m.add(1, 2, 1_000, 1_000));
        assertFalse(m.add(1, 2, 1_000, 1_500));
        assertTrue(m.add(1, 3, 1_000, 1_500), "another nonce");
    }

    @Test
    void forgetsANonce_onceItsTimestampIsOutOfTheWindow() {
        NonceMemory m = new NonceMemory(16, WINDOW);
        assertTrue(m.add(1, 2, 1_000, 1_000));
        assertFalse(m.add(1, 2, 1_000, 1_000 + WINDOW), "kept while the timestamp check would still pass");
        assertTrue(m.add(9, 9, 1_000 + WINDOW + 1, 1_000 + WINDOW + 1));
        assertEquals(1, m.size(), "the expired entry is gone");
    }

    @Test
    void keepsAtMostCapacityNonces_evictingTheOldest() {
        NonceMemory m = new NonceMemory(3, WINDOW);
        for (int i = 0; i < 5; i++)
            assertTrue(m.add(0, i, 1_000, 1_000));
        assertEquals(3, m.size());
        assertFalse(m.add(0, 4, 1_000, 1_000), "the newest is kept");
        assertTrue(m.add(0, 0, 1_000, 1_000), "the oldest was evicted");
    }
}
