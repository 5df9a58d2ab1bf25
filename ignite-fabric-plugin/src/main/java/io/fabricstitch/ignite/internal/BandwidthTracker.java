package io.fabricstitch.ignite.internal;

import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The throughput this node saw on its data-path transfers to each other node, smoothed ({@code bw += (sample - bw) /
 * 4}); written with the latency rows as {@code BANDWIDTH_MIB_S}. Transfers too small to measure a path (under
 * {@link #MIN_BYTES}) are ignored. Thread-safe. Not API.
 */
public final class BandwidthTracker {
    /** Smallest transfer that says something about the path's bandwidth. */
    static final long MIN_BYTES = 256 * 1024;

    private final Map<UUID, Double> mibPerSecond = new ConcurrentHashMap<>();

    /** Notes a transfer of {@code bytes} to or from {@code node} that took {@code nanos}. */
    public void record(UUID node, long bytes, long nanos) {
        if (node == null || bytes < MIN_BYTES || nanos <= 0)
            return;
        double sample = bytes / (1024.0 * 1024.0) / (nanos / 1e9);
        mibPerSecond.merge(node, sample, (old, s) -> old + (s - old) / 4);
    }

    /** Smoothed throughput to {@code node} in MiB/s; 0 when none was measured. */
    public double mibPerSecond(UUID node) {
        Double v = mibPerSecond.get(node);
        return v == null ? 0 : v;
    }

    /** Forgets a node (it left). */
    public void forget(UUID node) {
        mibPerSecond.remove(node);
    }
}
