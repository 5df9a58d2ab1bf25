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
    void estimateIsTheLowestSampleWhileFew_andJitterMovesByASixteenth() {
        LatencyTracker t = new LatencyTracker();
        t.sample(900_000);
        PeerLatency first = t.snapshot(PEER, AT);
        assertEquals(900, first.rttMicros(), "the first sample, a cold one");
        assertEquals(0, first.jitterMicros());
        t.sample(100_000);
        assertEquals(100, t.snapshot(PEER, AT).rttMicros(), "the lowest so far");
        assertEquals(50, t.snapshot(PEER, AT).jitterMicros(), "(|100 - 900| - 0) / 16 = 50");
        t.sample(300_000);
        t.sample(200_000);
        assertEquals(100, t.snapshot(PEER, AT).rttMicros());
        assertEquals(200, t.snapshot(PEER, AT).lastSampleMicros());
        assertEquals(4, t.snapshot(PEER, AT).samples());
    }

    @Test
    void estimateIsTheTenthPercentileOfTheWindow_soSchedulingSpikesAreNotDistance() {
        LatencyTracker t = new LatencyTracker();
        for (int i = 0; i < LatencyTracker.WINDOW; i++)
            t.sample(i % 2 == 0 ? 40_000 : 1_000_000); // half the probes delayed by a busy core: 1 ms
        assertEquals(40, t.snapshot(PEER, AT).rttMicros(), "the floor, not the 520 us mean");
        for (int i = 1; i <= LatencyTracker.WINDOW; i++)
            t.sample(i * 1_000); // 1..32 us
        assertEquals(4, t.snapshot(PEER, AT).rttMicros(), "sorted[floor(0.1 x 31)] = sorted[3] = 4 us");
    }

    @Test
    void lastingRiseComesThrough_onceItFillsNinetyPercentOfTheWindow_aFallAfterFourSamples() {
        LatencyTracker t = new LatencyTracker();
        for (int i = 0; i < LatencyTracker.WINDOW; i++)
            t.sample(50_000);
        for (int i = 0; i < 28; i++)
            t.sample(5_000_000);
        assertEquals(50, t.snapshot(PEER, AT).rttMicros(), "4 old samples left: still the old floor");
        t.sample(5_000_000);
        assertEquals(5_000, t.snapshot(PEER, AT).rttMicros(), "29 of 32 at 5 ms: the path got longer");
        for (int i = 0; i < 3; i++)
            t.sample(60_000);
        assertEquals(5_000, t.snapshot(PEER, AT).rttMicros());
        t.sample(60_000);
        assertEquals(60, t.snapshot(PEER, AT).rttMicros(), "a shorter path shows after 4 samples");
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
