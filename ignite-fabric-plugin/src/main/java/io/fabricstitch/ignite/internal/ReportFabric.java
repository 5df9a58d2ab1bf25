package io.fabricstitch.ignite.internal;

import java.util.UUID;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * An agent's report of one of its fabrics: everything the agent owns (status, reason, model, last report time ...)
 * replaces the row, while the free units the orchestrator keeps are left alone as long as the row names the same node.
 * A row of another node (the device's previous node) is replaced whole. Not API.
 */
public final class ReportFabric implements CacheEntryProcessor<UUID, FabricRow, Void> {
    private static final long serialVersionUID = 1L;

    private final FabricRow reported;

    public ReportFabric(FabricRow reported) {
        this.reported = reported;
    }

    /** The row as reported. */
    public FabricRow reported() {
        return reported;
    }

    @Override
    public Void process(MutableEntry<UUID, FabricRow> entry, Object... args) {
        FabricRow row = entry.getValue();
        if (row == null || !reported.nodeId().equals(row.nodeId()))
            entry.setValue(reported);
        else
            entry.setValue(reported.withResourceFree(row.resourceFree()));
        return null;
    }
}
