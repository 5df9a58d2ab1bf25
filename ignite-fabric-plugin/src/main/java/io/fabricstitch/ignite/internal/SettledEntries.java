package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FabricEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiPredicate;

/**
 * Which version of each fabric the schedulers see. The Fabric Map's caches can be written by any SQL client, so a
 * change is taken only once it has stood for {@link #GRACE_MS}: long enough for the fabric's agent, which puts back
 * within {@link RowGuard#SETTLE_MS} whatever others change in its rows, to have undone it. Until then the version seen
 * before stays in use. Changes that need no wait: load and report time, a status no better than before (an agent
 * turning its fabric DEGRADED or OFFLINE, a node leaving) and a fabric its node announced when it joined. A fabric
 * nobody announced (one a node found after joining, or a row a client made up) is left out until it has stood. A
 * fabric deleted and written again within the grace is compared with what it was. Not API.
 */
final class SettledEntries {
    /** How long a change must stand before schedulers see it, ms. */
    static final long GRACE_MS = 1_000;

    private final BiPredicate<UUID, UUID> announced;
    private Map<UUID, FabricEntry> settled = new HashMap<>();
    private final Map<UUID, Long> divergedAt = new HashMap<>();
    /** Fabrics that left the map less than {@link #GRACE_MS} ago, as they were. */
    private final Map<UUID, Gone> gone = new HashMap<>();

    /** A settled entry and when it left the map. */
    private static final class Gone {
        final FabricEntry entry;
        final long atNanos;

        Gone(FabricEntry entry, long atNanos) {
            this.entry = entry;
            this.atNanos = atNanos;
        }
    }
    private volatile long nextDueNanos = Long.MAX_VALUE;

    /** @param announced whether a node (first argument) announced a fabric (second) when it joined */
    SettledEntries(BiPredicate<UUID, UUID> announced) {
        this.announced = announced;
    }

    /** The entries schedulers see now, from those the map holds. */
    synchronized List<FabricEntry> settle(List<FabricEntry> current, long nowNanos) {
        long graceNanos = TimeUnit.MILLISECONDS.toNanos(GRACE_MS);
        long due = Long.MAX_VALUE;
        Map<UUID, FabricEntry> next = new HashMap<>();
        List<FabricEntry> seen = new ArrayList<>(current.size());
        for (FabricEntry e : current) {
            UUID id = e.getFabricId();
            FabricEntry before = settled.get(id);
            if (before == null)
                before = recentlyGone(id, nowNanos); // deleted and written again: a change like any other
            boolean plain = before == null || !before.getNodeId().equals(e.getNodeId())
                ? announced.test(e.getNodeId(), id) // new, or back on a restarted node that announced it
                : needsNoWait(before, e);
            if (!plain) {
                long since = divergedAt.computeIfAbsent(id, k -> nowNanos);
                if (nowNanos - since < graceNanos) {
                    due = Math.min(due, since + graceNanos);
                    if (before != null) {
                        // A worse status counts at once even when other fields changed with it; the rest waits.
                        FabricEntry shown = e.getStatus().ordinal() > before.getStatus().ordinal()
                            ? before.withStatus(e.getStatus(), e.getStatusReason(), e.getUpdatedAt()) : before;
                        next.put(id, before);
                        seen.add(shown);
                    }
                    continue;
                }
            }
            divergedAt.remove(id);
            next.put(id, e);
            seen.add(e);
        }
        divergedAt.keySet().retainAll(current.stream().map(FabricEntry::getFabricId).collect(
            java.util.stream.Collectors.toSet()));
        for (Map.Entry<UUID, FabricEntry> e : settled.entrySet()) {
            if (!next.containsKey(e.getKey()))
                gone.put(e.getKey(), new Gone(e.getValue(), nowNanos));
        }
        gone.values().removeIf(g -> nowNanos - g.atNanos >= graceNanos);
        settled = next;
        nextDueNanos = due;
        return seen;
    }

    private FabricEntry recentlyGone(UUID id, long nowNanos) {
        Gone g = gone.remove(id);
        return g == null || nowNanos - g.atNanos >= TimeUnit.MILLISECONDS.toNanos(GRACE_MS) ? null : g.entry;
    }

    /** Whether a change held back has stood long enough by {@code nowNanos}, so the entries should be settled again. */
    boolean due(long nowNanos) {
        return nowNanos - nextDueNanos >= 0 && nextDueNanos != Long.MAX_VALUE;
    }

    /** Load, report time, or a status no better than before, with all else the same. */
    static boolean needsNoWait(FabricEntry before, FabricEntry now) {
        if (now.getStatus().ordinal() < before.getStatus().ordinal())
            return false;
        return plain(before).equals(plain(now).toBuilder().status(before.getStatus())
            .statusReason(before.getStatusReason()).build());
    }

    private static FabricEntry plain(FabricEntry e) {
        return e.toBuilder().resourceFree(0).updatedAt(Instant.EPOCH).build();
    }
}
