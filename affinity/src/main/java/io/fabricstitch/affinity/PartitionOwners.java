package io.fabricstitch.affinity;

import java.util.List;
import java.util.Set;
import java.util.UUID;

/** Where one partition's data lives: its cache, its primary node and its backup nodes. Immutable. */
final class PartitionOwners {
    private final String cacheName;
    private final int partition;
    private final UUID primary;
    private final Set<UUID> backups;

    PartitionOwners(String cacheName, int partition, UUID primary, List<UUID> backups) {
        this.cacheName = cacheName;
        this.partition = partition;
        this.primary = primary;
        this.backups = Set.copyOf(backups);
    }

    String cacheName() {
        return cacheName;
    }

    int partition() {
        return partition;
    }

    UUID primary() {
        return primary;
    }

    /** True when {@code node} holds a copy: the primary, or a backup when backups count. */
    boolean holds(UUID node, boolean withBackups) {
        return primary.equals(node) || (withBackups && backups.contains(node));
    }

    @Override
    public String toString() {
        return "cache=" + cacheName + ", partition=" + partition + ", primaryNode=" + primary + ", backupNodes="
            + backups;
    }
}
