package io.fabricstitch.ignite.internal;

import java.util.UUID;
import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/** Sets a fabric's free resource units, if its row still exists; written by the orchestrator only. Not API. */
public final class SetResourceFree implements CacheEntryProcessor<UUID, FabricRow, Void> {
    private static final long serialVersionUID = 1L;

    private final long free;

    public SetResourceFree(long free) {
        this.free = free;
    }

    @Override
    public Void process(MutableEntry<UUID, FabricRow> entry, Object... args) {
        FabricRow row = entry.getValue();
        if (row != null && row.resourceFree() != free)
            entry.setValue(row.withResourceFree(free));
        return null;
    }
}
