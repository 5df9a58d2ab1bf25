package io.fabricstitch.agent.net;

import java.time.Duration;

/** Durations as people read them in messages: {@code 40 ms}, {@code 3 s}, {@code 250 us}. */
final class Durations {
    private Durations() {
    }

    /** {@code d} in the largest unit that shows it exactly (s, ms, us or ns); {@code null} for null. */
    static String text(Duration d) {
        if (d == null)
            return "null";
        if (Math.abs(d.getSeconds()) > 1_000_000_000L)
            return d.getSeconds() + " s";
        return text(d.toNanos());
    }

    /** {@code nanos} in the largest unit that shows it exactly (s, ms, us or ns). */
    static String text(long nanos) {
        if (nanos % 1_000_000_000L == 0)
            return nanos / 1_000_000_000L + " s";
        if (nanos % 1_000_000L == 0)
            return nanos / 1_000_000L + " ms";
        if (nanos % 1_000L == 0)
            return nanos / 1_000L + " us";
        return nanos + " ns";
    }
}
