package io.fabricstitch.agent.net;

/**
 * What the {@link PeerProtocol} keeps per peer. The snapshots are published for readers on any thread; the rest is
 * confined to the event loop.
 */
final class PeerEntry {
    private volatile Peer peer;
    private volatile PeerLatency latency;
    private long lastHeardNanos;
    private boolean heardByMulticast;
    private long lastMulticastNanos;
    private final LatencyTracker tracker = new LatencyTracker();

    PeerEntry(Peer peer, long heardNanos) {
        this.peer = peer;
        this.lastHeardNanos = heardNanos;
    }

    /** The peer as last heard. */
    Peer peer() {
        return peer;
    }

    /** Replaces the snapshot; {@code heardNanos} is when it was heard. */
    void heard(Peer peer, long heardNanos) {
        this.peer = peer;
        this.lastHeardNanos = heardNanos;
    }

    /** Notes that an announcement of the peer arrived by multicast at {@code nanos}. */
    void heardByMulticast(long nanos) {
        heardByMulticast = true;
        lastMulticastNanos = nanos;
    }

    /** Whether an announcement of the peer arrived by multicast within {@code windowNanos} before {@code nowNanos}. */
    boolean heardByMulticastWithin(long windowNanos, long nowNanos) {
        return heardByMulticast && nowNanos - lastMulticastNanos <= windowNanos;
    }

    /** {@code nanoTime} when the peer was last heard. */
    long lastHeardNanos() {
        return lastHeardNanos;
    }

    LatencyTracker tracker() {
        return tracker;
    }

    /** The latest latency snapshot; null before the first sample or loss. */
    PeerLatency latency() {
        return latency;
    }

    void latency(PeerLatency latency) {
        this.latency = latency;
    }
}
