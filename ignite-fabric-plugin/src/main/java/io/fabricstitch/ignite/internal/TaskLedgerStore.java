package io.fabricstitch.ignite.internal;

import static io.fabricstitch.ignite.FabricMapSchema.RESERVATION_CACHE;
import static io.fabricstitch.ignite.FabricMapSchema.RESERVATION_TABLE;
import static io.fabricstitch.ignite.FabricMapSchema.TASK_ASSIGNMENT_CACHE;
import static io.fabricstitch.ignite.FabricMapSchema.TASK_ASSIGNMENT_TABLE;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.expiry.CreatedExpiryPolicy;
import javax.cache.expiry.Duration;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.configuration.CacheConfiguration;

/**
 * The caches behind {@code FABRIC.RESERVATION} (the orchestrator's ledger) and {@code FABRIC.TASK_ASSIGNMENT} (recent
 * placements, expiring). Both REPLICATED, ATOMIC and FULL_SYNC: a write returns once every server holds it, so the
 * ledger survives the loss of the orchestrator's node. Only the orchestrator writes them. Not API.
 */
public final class TaskLedgerStore {
    private final Ignite ignite;
    private final long assignmentExpiryMs;
    private IgniteCache<UUID, ReservationRow> reservations;
    private IgniteCache<String, AssignmentRow> assignments;

    public TaskLedgerStore(Ignite ignite, long assignmentExpiryMs) {
        this.ignite = ignite;
        this.assignmentExpiryMs = assignmentExpiryMs;
    }

    /** Configuration of the ledger cache. */
    public static CacheConfiguration<UUID, ReservationRow> reservationCacheConfiguration() {
        return FabricCaches.replicated(new CacheConfiguration<UUID, ReservationRow>(RESERVATION_CACHE),
            new QueryEntity(UUID.class, ReservationRow.class).setTableName(RESERVATION_TABLE));
    }

    /** Configuration of the assignment cache: rows expire {@code expiryMs} after they were created. */
    public static CacheConfiguration<String, AssignmentRow> assignmentCacheConfiguration(long expiryMs) {
        CacheConfiguration<String, AssignmentRow> cfg = FabricCaches.replicated(
            new CacheConfiguration<String, AssignmentRow>(TASK_ASSIGNMENT_CACHE),
            new QueryEntity(String.class, AssignmentRow.class).setTableName(TASK_ASSIGNMENT_TABLE));
        cfg.setExpiryPolicyFactory(CreatedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS, expiryMs)));
        cfg.setEagerTtl(true);
        return cfg;
    }

    /** Creates the caches if this is the first node, or joins them. */
    public TaskLedgerStore open() {
        reservations = ignite.getOrCreateCache(reservationCacheConfiguration());
        assignments = ignite.getOrCreateCache(assignmentCacheConfiguration(assignmentExpiryMs));
        return this;
    }

    /** Every reservation in the ledger. */
    /** The cache behind {@code RESERVATION}. */
    public IgniteCache<UUID, ReservationRow> reservationCache() {
        return reservations;
    }

    public List<ReservationRow> readReservations() {
        List<ReservationRow> all = new ArrayList<>();
        for (Cache.Entry<UUID, ReservationRow> e : reservations.query(new ScanQuery<UUID, ReservationRow>()))
            all.add(e.getValue());
        return all;
    }

    /** Puts reservations in one batch ({@code rows} sorted by key, as batches should be). */
    public void putReservations(Map<UUID, ReservationRow> rows) {
        reservations.putAll(rows);
    }

    public void removeReservations(java.util.SortedSet<UUID> taskIds) {
        reservations.removeAll(taskIds);
    }

    /**
     * Puts assignment rows in one batch ({@code rows} sorted by key), none of them turning an ended row back to
     * RUNNING ({@link PutAssignment}).
     */
    public void putAssignments(Map<String, AssignmentRow> rows) {
        Map<String, PutAssignment> puts = new java.util.TreeMap<>();
        rows.forEach((k, r) -> puts.put(k, PutAssignment.orchestrators(r)));
        assignments.invokeAll(puts);
    }

    /** Puts final rows over RUNNING or absent ones, in one batch ({@code rows} sorted by key). */
    public void putEnded(Map<String, AssignmentRow> rows) {
        assignments.putAll(rows);
    }

    /**
     * Writes how attempts ended as their callers saw them, in one batch ({@code rows} sorted by key, as batches
     * should be): the record, whatever the rows said ({@link PutAssignment}).
     */
    public void putCallersWords(Map<String, AssignmentRow> rows) {
        Map<String, PutAssignment> puts = new java.util.TreeMap<>();
        rows.forEach((k, r) -> puts.put(k, PutAssignment.callers(r)));
        assignments.invokeAll(puts);
    }

    /** The assignment rows of {@code keys} that exist. */
    public Map<String, AssignmentRow> assignments(java.util.Set<String> keys) {
        return assignments.getAll(new java.util.TreeSet<>(keys));
    }

    /** Keys and start times of every assignment row. */
    public Map<String, Long> assignmentStarts() {
        Map<String, Long> starts = new java.util.HashMap<>();
        for (Cache.Entry<String, AssignmentRow> e : assignments.query(new ScanQuery<String, AssignmentRow>()))
            starts.put(e.getKey(), e.getValue().startedAtMillis());
        return starts;
    }

    public void removeAssignments(Collection<String> keys) {
        assignments.removeAll(new java.util.TreeSet<>(keys));
    }
}
