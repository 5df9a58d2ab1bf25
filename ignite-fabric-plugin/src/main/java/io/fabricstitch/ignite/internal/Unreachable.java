package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.placement.CandidateTable;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Nodes a caller could not reach (its job to the node failed because Ignite could not send it or hear back), which
 * Ignite still lists: the orchestrator places nothing there until Ignite removes the node or {@link #forMs()} passes
 * (a node still listed by then is alive, and was only slow to answer). Between a {@code kill -9} and Ignite's
 * verdict, which takes up to the failure detection timeout under load, this keeps new tasks off a dead node after
 * its first lost task. Used under the orchestrator's lock. Not API.
 */
final class Unreachable {
    private final long forMs;
    /** Node id to when its suspicion ends (System.nanoTime). */
    private final Map<UUID, Long> until = new HashMap<>();
    private Set<UUID> fabrics = Set.of();
    private CandidateTable fabricsOf;

    Unreachable(long forMs) {
        this.forMs = forMs;
    }

    long forMs() {
        return forMs;
    }

    /** Suspects {@code nodeId}; true if it was not suspected already. */
    boolean add(UUID nodeId) {
        boolean fresh = until.put(nodeId, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(forMs)) == null;
        fabricsOf = null;
        return fresh;
    }

    /** Ignite removed the node: its fabrics leave the map anyway. */
    void remove(UUID nodeId) {
        if (until.remove(nodeId) != null)
            fabricsOf = null;
    }

    /** The fabrics of {@code table} on suspected nodes (empty when none is suspected). */
    Set<UUID> fabrics(CandidateTable table) {
        if (until.isEmpty())
            return Set.of();
        long now = System.nanoTime();
        if (until.values().removeIf(end -> now - end > 0))
            fabricsOf = null;
        if (until.isEmpty())
            return Set.of();
        if (fabricsOf != table) {
            Set<UUID> ids = new HashSet<>();
            for (int i = 0; i < table.size(); i++) {
                if (until.containsKey(table.fabric(i).getNodeId()))
                    ids.add(table.fabric(i).getFabricId());
            }
            fabrics = ids;
            fabricsOf = table;
        }
        return fabrics;
    }
}
