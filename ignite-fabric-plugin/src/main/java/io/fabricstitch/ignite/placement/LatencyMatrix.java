package io.fabricstitch.ignite.placement;

import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Measured round-trip times between nodes, as {@code FABRIC.FABRIC_LATENCY} holds them: the network part of the cost
 * function's {@code NetworkLatency}. Immutable; a new snapshot carries a higher {@link #version()}.
 * <p>
 * {@link #networkMs(UUID, UUID)} is 0 from a node to itself, the smoothed RTT the origin measured to the other node,
 * else the one the other node measured back, else unknown ({@code NaN}): the cost function then falls back to the
 * fabric's {@code LATENCY_MS} alone.
 */
public final class LatencyMatrix {
    /** No measurement at all. */
    public static final LatencyMatrix EMPTY = new LatencyMatrix(0, Map.of(), Map.of());

    private final long version;
    private final Map<UUID, Map<UUID, Double>> rttMs;
    private final Map<UUID, Map<UUID, Double>> bandwidthMibS;

    private LatencyMatrix(long version, Map<UUID, Map<UUID, Double>> rttMs, Map<UUID, Map<UUID, Double>> bandwidth) {
        this.version = version;
        this.rttMs = rttMs;
        this.bandwidthMibS = bandwidth;
    }

    /**
     * @param rttMs smoothed RTT in milliseconds by measuring node, then by measured node
     */
    public static LatencyMatrix of(long version, Map<UUID, Map<UUID, Double>> rttMs) {
        return of(version, rttMs, Map.of());
    }

    /**
     * @param rttMs smoothed RTT in milliseconds by measuring node, then by measured node
     * @param bandwidthMibS smoothed data-path throughput in MiB/s, the same way
     */
    public static LatencyMatrix of(long version, Map<UUID, Map<UUID, Double>> rttMs,
        Map<UUID, Map<UUID, Double>> bandwidthMibS) {
        return new LatencyMatrix(version, copy(rttMs), copy(bandwidthMibS));
    }

    private static Map<UUID, Map<UUID, Double>> copy(Map<UUID, Map<UUID, Double>> m) {
        Map<UUID, Map<UUID, Double>> copy = new HashMap<>();
        m.forEach((from, row) -> copy.put(from, Collections.unmodifiableMap(new HashMap<>(row))));
        return Collections.unmodifiableMap(copy);
    }

    /** Increases with every snapshot that differs from the one before. */
    public long version() {
        return version;
    }

    /** True when nothing has been measured. */
    public boolean isEmpty() {
        return rttMs.isEmpty();
    }

    /** Round trip in ms from {@code from} to {@code to}: 0 for the same node, {@code NaN} when unknown. */
    public double networkMs(UUID from, UUID to) {
        if (from != null && from.equals(to))
            return 0;
        return lookup(rttMs, from, to);
    }

    /**
     * Measured data-path throughput between two nodes in MiB/s (either direction), {@code NaN} when none was measured
     * or for the same node (no transfer).
     */
    public double bandwidthMibS(UUID from, UUID to) {
        if (from != null && from.equals(to))
            return Double.NaN;
        return lookup(bandwidthMibS, from, to);
    }

    private static double lookup(Map<UUID, Map<UUID, Double>> m, UUID from, UUID to) {
        if (from == null || to == null)
            return Double.NaN;
        Map<UUID, Double> row = m.get(from);
        Double v = row == null ? null : row.get(to);
        if (v != null)
            return v;
        Map<UUID, Double> back = m.get(to);
        v = back == null ? null : back.get(from);
        return v == null ? Double.NaN : v;
    }

    @Override
    public String toString() {
        return "LatencyMatrix [version=" + version + ", rttMs=" + rttMs + ", bandwidthMibS=" + bandwidthMibS + ']';
    }
}
