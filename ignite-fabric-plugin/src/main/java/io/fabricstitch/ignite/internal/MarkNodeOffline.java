package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FabricStatus;
import java.sql.Timestamp;
import java.util.UUID;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * Turns a fabric OFFLINE with a reason, but only while its row still names the departed node: a node that restarted
 * and re-reported the fabric in the meantime keeps it ONLINE. Not API.
 */
public final class MarkNodeOffline implements CacheEntryProcessor<java.util.UUID, FabricRow, Boolean> {
    private static final long serialVersionUID = 1L;

    private final UUID departedNodeId;
    private final String reason;
    private final long atMillis;

    public MarkNodeOffline(UUID departedNodeId, String reason, long atMillis) {
        this.departedNodeId = departedNodeId;
        this.reason = reason;
        this.atMillis = atMillis;
    }

    @Override
    public Boolean process(MutableEntry<UUID, FabricRow> entry, Object... args) {
        FabricRow row = entry.getValue();
        if (row == null || !departedNodeId.equals(row.nodeId()) || FabricStatus.OFFLINE.name().equals(row.status()))
            return false;
        entry.setValue(row.withStatus(FabricStatus.OFFLINE, reason, new Timestamp(atMillis)));
        return true;
    }
}
