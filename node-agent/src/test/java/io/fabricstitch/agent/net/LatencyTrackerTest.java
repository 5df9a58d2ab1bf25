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
    void firstSampleSetsTheRtt_higherOnesMoveItByAnEighth_lowerOnesByHalf_andJitterByASixteenth() {
        LatencyTracker t = new LatencyTracker();
        t.sample(100_000);
        PeerLatency first = t.snapshot(PEER, AT);
        assertEquals(100, first.rttMicros());
        assertEquals(0, first.jitterMicros());
        t.sample(200_000);
        PeerLatency second = t.snapshot(PEER, AT);
        assertEquals(113, second.rttMicros(), "100 + (200 - 100) / 8 = 112.5");
        assertEquals(6, second.jitterMicros(), "(|200 - 100| - 0) / 16 = 6.25");
        assertEquals(200, second.lastSampleMicros());
        t.sample(200_000);
        PeerLatency third = t.snapshot(PEER, AT);
        assertEquals(123, third.rttMicros(), "112.5 + (200 - 112.5) / 8 = 123.4");
        assertEquals(6, third.jitterMicros(), "6.25 + (0 - 6.25) / 16 = 5.86");
        assertEquals(3, third.samples());
        t.sample(50_000);
        assertEquals(87, t.snapshot(PEER, AT).rttMicros(), "a lower sample pulls by half: 123.4 + (50 - 123.4) / 2");
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
