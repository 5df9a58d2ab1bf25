package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FabricStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * Finds the fabrics of silent agents: nodes still in the cluster whose agent has not reported (the row's
 * {@code UPDATED_AT} has not moved) for {@code degradedAfter}, then {@code offlineAfter}. Silence is measured on this
 * node's monotonic clock from the moment a report time was first seen, so clocks of other hosts do not matter, and an
 * orchestrator that just started gives every agent the full delay. Not thread-safe: one owner. Not API.
 */
public final class SilenceWatch {
    private final long degradedAfterNanos;
    private final long offlineAfterNanos;
    private final long reportEveryMs;
    private final Map<UUID, Seen> seen = new HashMap<>();

    /** What to mark: a fabric, the report it was judged on, the new status and why. */
    public static final class Mark {
        public final UUID fabricId;
        public final UUID nodeId;
        public final long reportedAtMillis;
        public final FabricStatus status;
        public final String reason;

        Mark(UUID fabricId, UUID nodeId, long reportedAtMillis, FabricStatus status, String reason) {
            this.fabricId = fabricId;
            this.nodeId = nodeId;
            this.reportedAtMillis = reportedAtMillis;
            this.status = status;
            this.reason = reason;
        }

        @Override
        public String toString() {
            return "Mark [fabricId=" + fabricId + ", status=" + status + ", reason=" + reason + ']';
        }
    }

    private static final class Seen {
        final long reportedAtMillis;
        final long sinceNanos;

        Seen(long reportedAtMillis, long sinceNanos) {
            this.reportedAtMillis = reportedAtMillis;
            this.sinceNanos = sinceNanos;
        }
    }

    /**
     * @param reportEveryMs how often agents report (the health interval), for the reason text
     */
    public SilenceWatch(long degradedAfterMs, long offlineAfterMs, long reportEveryMs) {
        this.degradedAfterNanos = degradedAfterMs * 1_000_000;
        this.offlineAfterNanos = offlineAfterMs * 1_000_000;
        this.reportEveryMs = reportEveryMs;
    }

    /**
     * Looks at every row at {@code nowNanos}.
     *
     * @param inCluster whether a node is a member now (departed nodes are the membership watcher's)
     * @return the rows to mark, each at most once per step of silence
     */
    public List<Mark> check(Collection<FabricRow> rows, Predicate<UUID> inCluster, long nowNanos) {
        List<Mark> marks = new ArrayList<>();
        Set<UUID> present = new HashSet<>();
        for (FabricRow r : rows) {
            UUID id = r.fabricId();
            present.add(id);
            FabricStatus status = FabricStatus.parse(r.status());
            if (!inCluster.test(r.nodeId())) {
                seen.remove(id);
                continue;
            }
            Seen s = seen.get(id);
            if (s == null || s.reportedAtMillis != r.updatedAtMillis()) {
                seen.put(id, new Seen(r.updatedAtMillis(), nowNanos));
                continue;
            }
            long silent = nowNanos - s.sinceNanos;
            if (silent >= offlineAfterNanos && status != FabricStatus.OFFLINE)
                marks.add(mark(r, FabricStatus.OFFLINE, silent));
            else if (silent >= degradedAfterNanos && status == FabricStatus.ONLINE)
                marks.add(mark(r, FabricStatus.DEGRADED, silent));
        }
        seen.keySet().retainAll(present);
        return marks;
    }

    private Mark mark(FabricRow r, FabricStatus status, long silentNanos) {
        String reason = "agent of node " + r.nodeName() + " silent for " + String.format(Locale.ROOT, "%.1f",
            silentNanos / 1e9) + " s (expected: a report every " + reportEveryMs + " ms)";
        return new Mark(r.fabricId(), r.nodeId(), r.updatedAtMillis(), status, reason);
    }
}
