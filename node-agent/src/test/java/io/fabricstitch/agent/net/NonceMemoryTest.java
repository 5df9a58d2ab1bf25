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
    void keepsAtMostCapacityNonces_andRefusesWhatAnEvictionCouldLetThrough() {
        NonceMemory m = new NonceMemory(3, WINDOW);
        for (int i = 0; i < 5; i++)
            assertTrue(m.add(0, i, 1_000 + i, 1_000));
        assertEquals(3, m.size());
        assertFalse(m.add(0, 4, 1_004, 1_000), "the newest is kept");
        assertFalse(m.add(0, 0, 1_000, 1_000), "evicted, but its timestamp is at or below the floor: a replay is refused");
        assertFalse(m.add(7, 7, 1_001, 1_000), "a datagram stamped at the floor is refused too");
        assertTrue(m.add(0, 5, 1_005, 1_000), "newer datagrams still pass");
    }

    @Test
    void forgetsNoncesInTheOrderTheyExpire_notTheOrderTheyCame() {
        NonceMemory m = new NonceMemory(16, WINDOW);
        assertTrue(m.add(1, 1, 20_000, 1_000), "a sender whose clock is ahead");
        assertTrue(m.add(1, 2, 1_000, 1_000), "a sender on time, behind it in arrival order");
        assertTrue(m.add(9, 9, 31_001, 31_001));
        assertEquals(2, m.size(), "the on-time entry expired although it came second");
        assertFalse(m.add(1, 1, 20_000, 31_001), "the early-stamped one is still remembered");
    }
}
