package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.FabricMapSchema;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.ToLongFunction;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteLogger;

/**
 * Holds the orchestrator's rows to its ledger: a {@code RESERVATION} row that differs from the reservation the
 * orchestrator holds, or that it does not hold, is put back or removed, and a fabric's {@code RESOURCE_FREE} that
 * differs from the ledger's free units is published again, a moment after the change is seen and after the writes the
 * orchestrator has queued. What others write there never changes what the orchestrator believes: it reads the ledger
 * cache only when it starts. Not API.
 */
final class LedgerGuard implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final IgniteLogger log;
    private final FabricMapView view;
    private final LedgerWriter writer;
    private final ToLongFunction<UUID> reserved;
    private final RowGuard<UUID, ReservationRow> reservations;
    private final RowWarnings freeWarnings;
    private final IgniteCache<UUID, FabricRow> entries;
    private final RowListener<UUID, FabricRow> entryListener = this::onEntry;
    private final Set<UUID> freePending = ConcurrentHashMap.newKeySet();
    private final java.util.function.Supplier<java.util.Collection<UUID>> heldKeys;
    private GuardedQuery<UUID, ReservationRow> query;

    /**
     * @param held the reservation the orchestrator holds for a task, or null
     * @param heldKeys the tasks of every reservation the orchestrator holds
     * @param reserved the units of a fabric the ledger holds reserved
     */
    LedgerGuard(Ignite ignite, TaskLedgerStore ledger, FabricMapStore map, LedgerWriter writer, FabricMapView view,
        Function<UUID, ReservationRow> held, java.util.function.Supplier<java.util.Collection<UUID>> heldKeys,
        ToLongFunction<UUID> reserved, IgniteLogger log) {
        this.heldKeys = heldKeys;
        this.log = log;
        this.view = view;
        this.writer = writer;
        this.reserved = reserved;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fabric-ledger-guard-" + ignite.name());
            t.setDaemon(true);
            return t;
        });
        IgniteCache<UUID, ReservationRow> cache = ledger.reservationCache();
        this.entries = map.entryCache();
        String owner = "the orchestrator";
        reservations = new RowGuard<>(FabricMapSchema.RESERVATION_TABLE, owner,
            new RowGuard.CacheOwner<UUID, ReservationRow>(cache) {
                @Override public boolean owns(UUID key, ReservationRow row) {
                    return true;
                }

                @Override public ReservationRow expected(UUID key) {
                    return held.apply(key);
                }

                @Override public boolean same(ReservationRow expected, ReservationRow row) {
                    return expected.sameReservation(row);
                }
            }, cache::get, executor, writer::afterPending, log);
        freeWarnings = new RowWarnings(FabricMapSchema.FABRIC_ENTRY_TABLE, log);
    }

    /** Starts watching the ledger cache and the map's free units; {@code watch} keeps the query open. */
    LedgerGuard start(TaskLedgerStore ledger, QueryWatch watch) {
        query = new GuardedQuery<>(ledger.reservationCache(), "RESERVATION guard", reservations, heldKeys, log)
            .open(watch);
        view.addEntryListener(entryListener);
        return this;
    }

    private void onEntry(UUID fabricId, FabricRow row, boolean expired) {
        if (row == null || freeMatches(fabricId, row) || !freePending.add(fabricId))
            return;
        try {
            executor.schedule(() -> writer.afterPending(() -> checkFree(fabricId)), RowGuard.SETTLE_MS,
                TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException stopping) {
            freePending.remove(fabricId);
        }
    }

    private boolean freeMatches(UUID fabricId, FabricRow row) {
        return row.resourceFree() == expectedFree(fabricId, row);
    }

    /** The fabric's free units by the ledger: its total less what the orchestrator holds reserved on it. */
    private long expectedFree(UUID fabricId, FabricRow row) {
        return Math.max(0, row.resourceCount() - reserved.applyAsLong(fabricId));
    }

    /**
     * Runs on the writer's thread, after the writes queued before: a RESOURCE_FREE that differs from what the writer
     * last wrote there was written by someone else (the ledger itself has usually moved on under load, and the writer
     * publishes at most once per batch, so comparing with it would take our own trailing write for a foreign one).
     */
    private void checkFree(UUID fabricId) {
        freePending.remove(fabricId);
        FabricRow row = entries.get(fabricId); // the cache, after the writes queued before: the view may lag it
        if (row == null)
            return;
        Long ours = writer.lastFreeWritten(fabricId);
        if (ours != null ? ours == row.resourceFree() : freeMatches(fabricId, row))
            return;
        long expected = expectedFree(fabricId, row);
        writer.publishFree(fabricId, expected);
        freeWarnings.warn(fabricId, "its RESOURCE_FREE " + row.resourceFree() + " differs from the " + expected
            + " free unit(s) of the orchestrator's ledger: published again");
    }

    @Override
    public void close() {
        view.removeListener(entryListener);
        if (query != null)
            query.close();
        executor.shutdownNow();
    }
}
