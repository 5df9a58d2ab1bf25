package io.fabricstitch.agent.net;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Round-trip times to one peer: its outstanding pings, the RTT estimate and jitter, samples and losses.
 * <p>
 * The estimate is the 10th percentile (nearest rank, {@code sorted[floor(0.1 x (n - 1))]}) of the last
 * {@value #WINDOW} samples: the lowest while fewer than 11 are in the window, the 4th lowest of a full one. Network
 * distance is the floor of the samples; what lies above it is queueing and scheduling (a GC pause, a busy event loop
 * on either end, a core shared with busy threads, a cold first probe), which a mean or a smoothed average reads as
 * distance. A low percentile rather than the minimum, so that one lucky sample does not stand for the path; a window, so
 * that a lasting change comes through once it holds for 90% of the window (29 samples, about 3 s at the default 100
 * ms probe interval), and a path that got shorter shows after 4 samples. Jitter:
 * {@code jitter += (|sample - previous sample| - jitter) / 16} (RFC 3550). Confined to the event loop.
 */
final class LatencyTracker {
    /** Samples the estimate is taken over: the most recent ones. */
    static final int WINDOW = 32;

    /** The percentile of the window that is the estimate. */
    static final double PERCENTILE = 0.10;

    /** Most pings kept outstanding; older ones count as lost. */
    static final int MAX_OUTSTANDING = 4096;

    /** Sequence number to {@code nanoTime} when sent, oldest first. */
    private final LinkedHashMap<Long, Long> outstanding = new LinkedHashMap<>();
    /** The last {@link #WINDOW} samples, a ring: the next one goes to {@code samples % WINDOW}. */
    private final long[] window = new long[WINDOW];
    private long rttNanos;
    private double jitterNanos;
    private long lastSampleNanos;
    private long samples;
    private long lost;

    /** Notes a ping sent at {@code sentNanos}. */
    void sent(long seq, long sentNanos) {
        outstanding.put(seq, sentNanos);
        if (outstanding.size() > MAX_OUTSTANDING) {
            Iterator<Long> eldest = outstanding.keySet().iterator();
            eldest.next();
            eldest.remove();
            lost++;
        }
    }

    /**
     * Takes the pong of ping {@code seq}.
     *
     * @return true when it answered an outstanding ping sent at {@code echoedSentNanos} and gave a sample; false for
     *     a duplicate or unknown one, which changes nothing
     */
    boolean answered(long seq, long echoedSentNanos, long nowNanos) {
        Long sent = outstanding.get(seq);
        if (sent == null || sent != echoedSentNanos)
            return false;
        outstanding.remove(seq);
        sample(Math.max(0, nowNanos - sent));
        return true;
    }

    /** Adds one round-trip sample. */
    void sample(long nanos) {
        if (samples > 0)
            jitterNanos += (Math.abs(nanos - lastSampleNanos) - jitterNanos) / 16;
        window[(int)(samples % WINDOW)] = nanos;
        lastSampleNanos = nanos;
        samples++;
        int n = (int)Math.min(samples, WINDOW);
        long[] sorted = java.util.Arrays.copyOf(window, n);
        java.util.Arrays.sort(sorted);
        rttNanos = sorted[(int)Math.floor(PERCENTILE * (n - 1))];
    }

    /**
     * Counts as lost the pings outstanding for longer than {@code deadlineNanos}.
     *
     * @return how many were lost now
     */
    int expire(long nowNanos, long deadlineNanos) {
        int n = 0;
        Iterator<Map.Entry<Long, Long>> it = outstanding.entrySet().iterator();
        while (it.hasNext()) {
            if (nowNanos - it.next().getValue() <= deadlineNanos)
                break;
            it.remove();
            n++;
        }
        lost += n;
        return n;
    }

    /** Pings sent and neither answered nor lost yet. */
    int outstanding() {
        return outstanding.size();
    }

    PeerLatency snapshot(UUID peer, Instant at) {
        return new PeerLatency(peer, Math.round(rttNanos / 1000.0), Math.round(jitterNanos / 1000),
            Math.round(lastSampleNanos / 1000.0), samples, lost, at);
    }
}
