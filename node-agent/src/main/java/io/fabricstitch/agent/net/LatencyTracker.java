package io.fabricstitch.agent.net;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Round-trip times to one peer: its outstanding pings, the smoothed RTT and jitter, samples and losses. Over the first
 * {@value #WARM_UP_SAMPLES} samples the RTT is the lowest one seen (the first probes of a fresh peer pay for class
 * loading and cold code on both ends, which is not network distance); then a sample above it moves it by an eighth
 * ({@code rtt += (sample - rtt) / 8}, RFC 6298's gain) and a sample below it by half ({@code rtt += (sample - rtt) /
 * 2}). The smoothing thus follows the path's floor quickly and shrugs off one-off spikes (a cold first ping, a GC
 * pause, a busy event loop), which are not network distance; lasting rises still come through within a few samples.
 * Jitter: {@code jitter += (|sample - previous sample| - jitter) / 16} (RFC 3550). Confined to the event loop.
 */
final class LatencyTracker {
    /** Samples over which the RTT is the minimum seen, before smoothing starts. */
    static final int WARM_UP_SAMPLES = 4;

    /** Most pings kept outstanding; older ones count as lost. */
    static final int MAX_OUTSTANDING = 4096;

    /** Sequence number to {@code nanoTime} when sent, oldest first. */
    private final LinkedHashMap<Long, Long> outstanding = new LinkedHashMap<>();
    private double rttNanos;
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
        if (samples == 0)
            rttNanos = nanos;
        else {
            if (samples < WARM_UP_SAMPLES)
                rttNanos = Math.min(rttNanos, nanos);
            else
                rttNanos += (nanos - rttNanos) / (nanos < rttNanos ? 2 : 8);
            jitterNanos += (Math.abs(nanos - lastSampleNanos) - jitterNanos) / 16;
        }
        lastSampleNanos = nanos;
        samples++;
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
        return new PeerLatency(peer, Math.round(rttNanos / 1000), Math.round(jitterNanos / 1000),
            Math.round(lastSampleNanos / 1000.0), samples, lost, at);
    }
}
