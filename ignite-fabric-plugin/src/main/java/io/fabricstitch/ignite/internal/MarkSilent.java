package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FabricStatus;
import java.util.UUID;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * Turns the fabric of a silent agent DEGRADED or OFFLINE, but only if its agent did not rewrite the row since the
 * orchestrator last looked (the row still names the node and has the same report time) and the row is not already at
 * least that bad. The row's report time is kept: it is the time of the agent's last write. An agent whose heartbeat
 * resumed just before such a mark finds the mark in the map at its next report and writes the row back. Not API.
 */
public final class MarkSilent implements CacheEntryProcessor<UUID, FabricRow, Boolean> {
    private static final long serialVersionUID = 1L;

    private final UUID nodeId;
    private final long reportedAtMillis;
    private final FabricStatus status;
    private final String reason;

    public MarkSilent(UUID nodeId, long reportedAtMillis, FabricStatus status, String reason) {
        this.nodeId = nodeId;
        this.reportedAtMillis = reportedAtMillis;
        this.status = status;
        this.reason = reason;
    }

    @Override
    public Boolean process(MutableEntry<UUID, FabricRow> entry, Object... args) {
        FabricRow row = entry.getValue();
        if (row == null || !nodeId.equals(row.nodeId()) || row.updatedAtMillis() != reportedAtMillis)
            return false;
        if (FabricStatus.parse(row.status()).ordinal() >= status.ordinal())
            return false;
        entry.setValue(row.withStatus(status, reason, row.updatedAt()));
        return true;
    }
}
