package io.fabricstitch.agent.net;

import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * Round-trip time to one peer: the 10th percentile of the last 32 samples (see {@code LatencyTracker}), so that
 * scheduling noise on either end is not read as distance; jitter moves by 1/16 of the change between consecutive
 * samples (RFC 3550). An immutable snapshot.
 */
public final class PeerLatency {
    private final UUID peer;
    private final long rttMicros;
    private final long jitterMicros;
    private final long lastSampleMicros;
    private final long samples;
    private final long lost;
    private final Instant updatedAt;

    PeerLatency(UUID peer, long rttMicros, long jitterMicros, long lastSampleMicros, long samples, long lost,
        Instant updatedAt) {
        this.peer = peer;
        this.rttMicros = rttMicros;
        this.jitterMicros = jitterMicros;
        this.lastSampleMicros = lastSampleMicros;
        this.samples = samples;
        this.lost = lost;
        this.updatedAt = updatedAt;
    }

    /** The peer's node id. */
    public UUID peer() {
        return peer;
    }

    /** Round-trip estimate in microseconds (10th percentile of the recent samples); 0 while {@link #samples()} is 0. */
    public long rttMicros() {
        return rttMicros;
    }

    /** Smoothed variation between consecutive samples, in microseconds. */
    public long jitterMicros() {
        return jitterMicros;
    }

    /** The latest sample, in microseconds. */
    public long lastSampleMicros() {
        return lastSampleMicros;
    }

    /** Pongs that gave a sample. */
    public long samples() {
        return samples;
    }

    /** Pings never answered in time. */
    public long lost() {
        return lost;
    }

    /** When the latest sample or loss was recorded. */
    public Instant updatedAt() {
        return updatedAt;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof PeerLatency))
            return false;
        PeerLatency l = (PeerLatency)o;
        return rttMicros == l.rttMicros && jitterMicros == l.jitterMicros && lastSampleMicros == l.lastSampleMicros
            && samples == l.samples && lost == l.lost && peer.equals(l.peer) && updatedAt.equals(l.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(peer, rttMicros, samples, lost, updatedAt);
    }

    @Override
    public String toString() {
        return "PeerLatency [peer=" + peer + ", rtt=" + rttMicros + " us, jitter=" + jitterMicros + " us, last="
            + lastSampleMicros + " us, samples=" + samples + ", lost=" + lost + ", updatedAt=" + updatedAt + ']';
    }
}
