package io.fabricstitch.ignite.internal;

import java.sql.Timestamp;
import java.util.UUID;
import org.apache.ignite.cache.query.annotations.QuerySqlField;

/**
 * A row of {@code FABRIC.AGENT_HEARTBEAT}: one per server node with an agent, rewritten after every health check. It
 * says the agent is alive, so that the agent's {@code FABRIC_ENTRY} rows are written only when something a reader uses
 * changes: the liveness writes are one per node and interval, whatever the number of fabrics. Not API.
 */
public final class HeartbeatRow {
    @QuerySqlField(name = "NODE_ID", notNull = true)
    private UUID nodeId;

    /** The node's consistent id, as in {@code FABRIC_ENTRY.NODE_NAME}. */
    @QuerySqlField(name = "NODE_NAME")
    private String nodeName;

    /** The agent's latest health check, on its host's clock. */
    @QuerySqlField(name = "LAST_REPORT")
    private Timestamp lastReport;

    /** How many fabrics the agent reports. */
    @QuerySqlField(name = "FABRICS")
    private int fabrics;

    /** The agent's health interval, ms: a report is due that often. */
    @QuerySqlField(name = "HEALTH_INTERVAL_MS")
    private long healthIntervalMs;

    /** For the marshaller. */
    public HeartbeatRow() {
    }

    public HeartbeatRow(UUID nodeId, String nodeName, Timestamp lastReport, int fabrics, long healthIntervalMs) {
        this.nodeId = nodeId;
        this.nodeName = nodeName;
        this.lastReport = lastReport;
        this.fabrics = fabrics;
        this.healthIntervalMs = healthIntervalMs;
    }

    public UUID nodeId() {
        return nodeId;
    }

    /** {@code LAST_REPORT} in epoch milliseconds (0 when unset). */
    public long lastReportMillis() {
        return lastReport == null ? 0 : lastReport.getTime();
    }

    @Override
    public String toString() {
        return "HeartbeatRow [node=" + nodeName + '/' + nodeId + ", lastReport=" + lastReport + ", fabrics=" + fabrics
            + ", healthIntervalMs=" + healthIntervalMs + ']';
    }
}
