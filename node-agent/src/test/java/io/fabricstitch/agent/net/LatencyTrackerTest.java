package io.fabricstitch.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class LatencyTrackerTest {
    private static final UUID PEER = UUID.randomUUID();

    private static final Instant AT = Instant.parse("2025-06-01T12:00:00Z");

    @Test
    void warmUpKeepsTheLowestSample_thenHigherOnesMoveItByAnEighth_lowerOnesByHalf_andJitterByASixteenth() {
        LatencyTracker t = new LatencyTracker();
        t.sample(900_000);
        PeerLatency first = t.snapshot(PEER, AT);
        assertEquals(900, first.rttMicros(), "the first sample, a cold one");
        assertEquals(0, first.jitterMicros());
        t.sample(100_000);
        assertEquals(100, t.snapshot(PEER, AT).rttMicros(), "warm-up: the lowest so far");
        assertEquals(50, t.snapshot(PEER, AT).jitterMicros(), "(|100 - 900| - 0) / 16 = 50");
        t.sample(300_000);
        t.sample(200_000);
        PeerLatency warm = t.snapshot(PEER, AT);
        assertEquals(100, warm.rttMicros(), "still the lowest of the first " + LatencyTracker.WARM_UP_SAMPLES);
        assertEquals(4, warm.samples());
        t.sample(200_000);
        assertEquals(113, t.snapshot(PEER, AT).rttMicros(), "100 + (200 - 100) / 8 = 112.5");
        assertEquals(200, t.snapshot(PEER, AT).lastSampleMicros());
        t.sample(50_000);
        assertEquals(81, t.snapshot(PEER, AT).rttMicros(), "a lower sample pulls by half: 112.5 + (50 - 112.5) / 2");
    }

    @Test
    void samplesOnlyAPongMatchingAnOutstandingPing() {
        LatencyTracker t = new LatencyTracker();
        t.sent(1, 1_000_000);
        assertFalse(t.answered(2, 1_000_000, 3_000_000), "unknown seq");
        assertFalse(t.answered(1, 999, 3_000_000), "another send time");
        assertTrue(t.answered(1, 1_000_000, 3_000_000));
        assertFalse(t.answered(1, 1_000_000, 4_000_000), "duplicate");
        PeerLatency l = t.snapshot(PEER, AT);
        assertEquals(2000, l.rttMicros());
        assertEquals(1, l.samples());
        assertEquals(0, t.outstanding());
    }

    @Test
    void countsPingsOutstandingPastTheDeadlineAsLost() {
        LatencyTracker t = new LatencyTracker();
        t.sent(1, 0);
        t.sent(2, 500);
        assertEquals(0, t.expire(1_000, 1_000));
        assertEquals(1, t.expire(1_001, 1_000));
        assertEquals(1, t.expire(1_501, 1_000));
        assertFalse(t.answered(1, 0, 2_000), "a lost ping's late pong gives no sample");
        assertEquals(2, t.snapshot(PEER, AT).lost());
    }
}
