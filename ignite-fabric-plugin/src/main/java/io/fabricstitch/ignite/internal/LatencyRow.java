package io.fabricstitch.ignite.internal;

import java.sql.Timestamp;
import java.util.UUID;
import org.apache.ignite.cache.query.annotations.QuerySqlField;

/**
 * A row of {@code FABRIC.FABRIC_LATENCY}: the smoothed round trip one node's agent measures to another's. Written by
 * the measuring node only. A plain class with SQL-friendly fields (the binary marshaller cannot fill records). Not API.
 */
public final class LatencyRow {
    @QuerySqlField(name = "FROM_NODE", index = true, notNull = true)
    private UUID fromNode;

    @QuerySqlField(name = "TO_NODE", index = true, notNull = true)
    private UUID toNode;

    /** The measuring node's consistent id, for people reading the table. */
    @QuerySqlField(name = "FROM_NAME")
    private String fromName;

    /** The measured node's agent name. */
    @QuerySqlField(name = "TO_NAME")
    private String toName;

    @QuerySqlField(name = "RTT_MICROS")
    private long rttMicros;

    @QuerySqlField(name = "JITTER_MICROS")
    private long jitterMicros;

    @QuerySqlField(name = "SAMPLES")
    private long samples;

    @QuerySqlField(name = "LOST")
    private long lost;

    /** Throughput of the latest data-path transfers to the node, MiB/s (smoothed); 0 until one was measured. */
    @QuerySqlField(name = "BANDWIDTH_MIB_S")
    private double bandwidthMibS;

    @QuerySqlField(name = "UPDATED_AT")
    private Timestamp updatedAt;

    /** For the marshaller. */
    public LatencyRow() {
    }

    public LatencyRow(UUID fromNode, String fromName, UUID toNode, String toName, long rttMicros, long jitterMicros,
        long samples, long lost, double bandwidthMibS, Timestamp updatedAt) {
        this.fromNode = fromNode;
        this.fromName = fromName;
        this.toNode = toNode;
        this.toName = toName;
        this.rttMicros = rttMicros;
        this.jitterMicros = jitterMicros;
        this.samples = samples;
        this.lost = lost;
        this.bandwidthMibS = bandwidthMibS;
        this.updatedAt = updatedAt;
    }

    /** The cache key of a pair. */
    public static String key(UUID from, UUID to) {
        return from + "/" + to;
    }

    /** The second node of a cache key, or null when {@code key} is not one. */
    public static UUID toNodeOf(String key) {
        int slash = key.indexOf('/');
        try {
            return slash <= 0 ? null : UUID.fromString(key.substring(slash + 1));
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    public UUID fromNode() {
        return fromNode;
    }

    public UUID toNode() {
        return toNode;
    }

    public long rttMicros() {
        return rttMicros;
    }

    public long jitterMicros() {
        return jitterMicros;
    }

    /** Smoothed data-path throughput to the node, MiB/s; 0 when none was measured. */
    public double bandwidthMibS() {
        return bandwidthMibS;
    }

    public Timestamp updatedAt() {
        return updatedAt;
    }

    @Override
    public String toString() {
        return "LatencyRow [" + fromName + " -> " + toName + ", rtt=" + rttMicros + " us, jitter=" + jitterMicros
            + " us, samples=" + samples + ", lost=" + lost + ", bandwidth=" + bandwidthMibS + " MiB/s]";
    }
}
