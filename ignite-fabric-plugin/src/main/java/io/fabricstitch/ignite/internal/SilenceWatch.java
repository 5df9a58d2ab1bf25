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
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Finds the fabrics of silent agents: nodes still in the cluster whose agent has not reported (neither its
 * {@code AGENT_HEARTBEAT.LAST_REPORT} nor the row's {@code UPDATED_AT} has moved) for {@code degradedAfter}, then
 * {@code offlineAfter} (or 3 and 10 of the agent's own report intervals, if longer). When every agent of the cluster
 * seems silent at once, the stall is here (the caches, this node), not in the agents, and nothing is marked. Silence is
 * measured on this
 * node's monotonic clock from the moment a report time was first seen, so clocks of other hosts do not matter, and an
 * orchestrator that just started gives every agent the full delay, as does a partition exchange ({@link #restart}).
 * Not thread-safe: one owner. Not API.
 */
public final class SilenceWatch {
    /** Silence limits in report intervals of the agent, for agents that report less often than the orchestrator's. */
    static final int DEGRADED_INTERVALS = 3;
    static final int OFFLINE_INTERVALS = 10;

    private final long degradedAfterMs;
    private final long offlineAfterMs;
    private final Function<UUID, Long> reportEveryMs;
    private final Map<UUID, Seen> seen = new HashMap<>();
    private boolean allSilentLogged;

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
     * @param reportEveryMs how often the agent of a node reports (its health interval); the limits for that node are
     *     at least {@value #DEGRADED_INTERVALS} and {@value #OFFLINE_INTERVALS} of its intervals
     */
    public SilenceWatch(long degradedAfterMs, long offlineAfterMs, Function<UUID, Long> reportEveryMs) {
        this.degradedAfterMs = degradedAfterMs;
        this.offlineAfterMs = offlineAfterMs;
        this.reportEveryMs = reportEveryMs;
    }

    /**
     * Gives every agent the full delay again from {@code nowNanos}: the cluster's caches stalled (a partition exchange,
     * which a server joining or leaving starts, holds every write, heartbeats included), so no silence before counts.
     */
    public void restart(long nowNanos) {
        seen.replaceAll((id, s) -> new Seen(s.reportedAtMillis, nowNanos));
    }

    /** True once every agent of the cluster (two or more) is silent: a stall here, not in the agents; say it once. */
    public boolean allSilentLogged() {
        return allSilentLogged;
    }

    /**
     * Looks at every row at {@code nowNanos}.
     *
     * @param inCluster whether a node is a member now (departed nodes are the membership watcher's)
     * @return the rows to mark, each at most once per step of silence
     */
    public List<Mark> check(Collection<FabricRow> rows, Predicate<UUID> inCluster, long nowNanos) {
        return check(rows, inCluster, node -> 0L, nowNanos);
    }

    /**
     * Looks at every row at {@code nowNanos}, a row's agent alive while its node's heartbeat or the row's report time
     * moves.
     *
     * @param inCluster whether a node is a member now (departed nodes are the membership watcher's)
     * @param lastReport a node's latest heartbeat, epoch ms ({@code AGENT_HEARTBEAT.LAST_REPORT}), 0 when none
     * @return the rows to mark, each at most once per step of silence
     */
    public List<Mark> check(Collection<FabricRow> rows, Predicate<UUID> inCluster, ToLongFunction<UUID> lastReport,
        long nowNanos) {
        Map<UUID, Long> beats = new HashMap<>();
        List<Mark> marks = new ArrayList<>();
        Set<UUID> present = new HashSet<>();
        Set<UUID> reporting = new HashSet<>();
        Set<UUID> silentNodes = new HashSet<>();
        for (FabricRow r : rows) {
            UUID id = r.fabricId();
            present.add(id);
            FabricStatus status = FabricStatus.parse(r.status());
            if (!inCluster.test(r.nodeId())) {
                seen.remove(id);
                continue;
            }
            reporting.add(r.nodeId());
            long reportedAt = Math.max(r.updatedAtMillis(), beats.computeIfAbsent(r.nodeId(), lastReport::applyAsLong));
            Seen s = seen.get(id);
            if (s == null || s.reportedAtMillis != reportedAt) {
                seen.put(id, new Seen(reportedAt, nowNanos));
                continue;
            }
            long silent = nowNanos - s.sinceNanos;
            long every = Math.max(1, reportEveryMs.apply(r.nodeId()));
            long degradedAfter = Math.max(degradedAfterMs, DEGRADED_INTERVALS * every) * 1_000_000;
            long offlineAfter = Math.max(offlineAfterMs, OFFLINE_INTERVALS * every) * 1_000_000;
            if (silent >= degradedAfter)
                silentNodes.add(r.nodeId());
            if (silent >= offlineAfter && status != FabricStatus.OFFLINE)
                marks.add(mark(r, FabricStatus.OFFLINE, silent, every));
            else if (silent >= degradedAfter && status == FabricStatus.ONLINE)
                marks.add(mark(r, FabricStatus.DEGRADED, silent, every));
        }
        seen.keySet().retainAll(present);
        if (reporting.size() >= 2 && silentNodes.containsAll(reporting)) {
            allSilentLogged = true;
            return List.of(); // every agent at once: the caches (or this node) stall, not the agents
        }
        allSilentLogged = false;
        return marks;
    }

    /**
     * Whether {@code row} is {@code reported} as this watch marks it for silence: DEGRADED or OFFLINE with a silence
     * reason, all else as reported. The agent's next report clears such a mark by itself.
     */
    static boolean isSilenceMark(FabricRow reported, FabricRow row) {
        return row.statusReason() != null && row.statusReason().startsWith("agent of node " + reported.nodeName()
            + " silent for ") && !FabricStatus.ONLINE.name().equals(row.status())
            && reported.sameAsReported(row.withStatus(FabricStatus.parse(reported.status()), reported.statusReason(),
                row.updatedAt()));
    }

    private static Mark mark(FabricRow r, FabricStatus status, long silentNanos, long everyMs) {
        String reason = "agent of node " + r.nodeName() + " silent for " + String.format(Locale.ROOT, "%.1f",
            silentNanos / 1e9) + " s (expected: a report every " + everyMs + " ms)";
        return new Mark(r.fabricId(), r.nodeId(), r.updatedAtMillis(), status, reason);
    }
}
