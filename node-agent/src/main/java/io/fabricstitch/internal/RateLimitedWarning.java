package io.fabricstitch.internal;

import java.util.concurrent.TimeUnit;

/**
 * Counts occurrences of one condition and lets one warning through per period, summarising those since the last:
 * the first occurrence warns at once, later ones wait for the period to end. Shared by the beacons' drop log and the
 * data path's failure log. Not API.
 */
public final class RateLimitedWarning {
    /** One warning per minute. */
    public static final long PERIOD_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** Receives a due warning. */
    public interface Sink {
        /**
         * @param count occurrences since the last warning
         * @param last the latest one, e.g. its source address
         */
        void warn(long count, String last);
    }

    private boolean warned;
    private long warnedAt;
    private long pending;
    private String last;

    /** Records one occurrence; warns through {@code sink} when a warning is due. */
    public synchronized void record(String last, long nowNanos, Sink sink) {
        pending++;
        this.last = last;
        flush(nowNanos, sink);
    }

    /** Warns through {@code sink} about pending occurrences when the period since the last warning is over. */
    public synchronized void flush(long nowNanos, Sink sink) {
        if (pending == 0 || (warned && nowNanos - warnedAt < PERIOD_NANOS))
            return;
        long count = pending;
        pending = 0;
        warned = true;
        warnedAt = nowNanos;
        sink.warn(count, last);
    }
}
