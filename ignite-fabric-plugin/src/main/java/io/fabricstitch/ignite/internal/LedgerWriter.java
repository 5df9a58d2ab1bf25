package io.fabricstitch.ignite.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.IgniteLogger;

/**
 * Writes the orchestrator's state to the replicated caches on a thread of its own, so that placing and releasing
 * never wait for a cache round trip and never hold the orchestrator's lock while one runs. It keeps the latest state
 * of each key and writes that, in batches: a reservation made and released before the writer got to it costs nothing,
 * RESOURCE_FREE is written once per fabric per batch, and a task's assignment row is written once, already ended when
 * the task was short. The caches trail the orchestrator by one batch (milliseconds). {@link #close()} writes what is
 * left. Not API.
 */
final class LedgerWriter implements AutoCloseable {
    /** Longest wait of {@link #close()} for the last batch. */
    static final long CLOSE_WAIT_MS = 5_000;

    /** Pause before a batch that failed is tried again. */
    static final long RETRY_PAUSE_MS = 50;

    /**
     * A reservation, or an attempt's RUNNING row, is written only once it is this old (ms): most tasks end sooner, and
     * then neither ever reaches the caches, only the attempt's final row. Nothing depends on them being there: the
     * orchestrator decides from memory, and one that takes over learns what runs from the callers, who hold their
     * placements until released.
     */
    static final long DEFER_MS = 3_000;

    /** Shortest pause between two batches (ms), so that writes coalesce. */
    static final long BATCH_INTERVAL_MS = 20;

    /**
     * Shortest time between two RESOURCE_FREE writes of one fabric (ms): each one updates a Fabric Map row on every
     * server and wakes every node's map view, so under a stream of short tasks the column shows the ledger at most this
     * late (the orchestrator decides from its ledger, never from the column).
     */
    static final long FREE_INTERVAL_MS = 250;

    private final TaskLedgerStore ledger;
    private final FabricMapStore map;
    private final FabricMapView view;
    private final IgniteLogger log;
    private final Thread thread;

    /** Reservation to put, or null to remove, by task id. */
    private Map<UUID, ReservationRow> reservations = new LinkedHashMap<>();
    /** RESOURCE_FREE to publish, by fabric id. */
    private Map<UUID, Long> free = new LinkedHashMap<>();
    /** Assignment rows to put, by key. */
    private Map<String, AssignmentRow> assignments = new LinkedHashMap<>();
    /** Assignment rows to remove. */
    private List<String> removals = new ArrayList<>();
    /** Work to run after the batch it was queued with (rare writes that read a row first). */
    private List<Runnable> after = new ArrayList<>();
    /** Reservations and RUNNING rows not yet due ({@link #DEFER_MS}), oldest first. */
    private final LinkedHashMap<UUID, Deferred<ReservationRow>> deferredReservations = new LinkedHashMap<>();
    private final LinkedHashMap<String, Deferred<AssignmentRow>> deferredRunning = new LinkedHashMap<>();
    /** Reservation ids known to be in the cache: a released one that never got there needs no remove. */
    private final java.util.Set<UUID> written = new java.util.HashSet<>();
    /** RESOURCE_FREE last written per fabric (writer thread only). */
    private final Map<UUID, Long> freeWritten = new java.util.HashMap<>();
    /** When RESOURCE_FREE was last written per fabric, nanoTime (writer thread only). */
    private final Map<UUID, Long> freeWrittenAt = new java.util.HashMap<>();
    /** RESOURCE_FREE values held back by {@link #FREE_INTERVAL_MS}, with when they are due (nanoTime). */
    private final Map<UUID, Deferred<Long>> heldFree = new java.util.HashMap<>();
    private boolean closed;
    private boolean writing;

    LedgerWriter(TaskLedgerStore ledger, FabricMapStore map, FabricMapView view, IgniteLogger log, String name) {
        this.ledger = ledger;
        this.map = map;
        this.view = view;
        this.log = log;
        this.thread = new Thread(this::run, "fabric-ledger-writer-" + name);
        this.thread.setDaemon(true);
    }

    /** Marks the reservations already in the cache (read at start), then starts writing. */
    LedgerWriter start(java.util.Collection<UUID> inCache) {
        synchronized (this) {
            written.addAll(inCache);
        }
        thread.start();
        return this;
    }

    /** Puts a reservation once it is {@link #DEFER_MS} old, if it is still held then. */
    synchronized void putReservation(ReservationRow row) {
        deferredReservations.remove(row.taskId());
        deferredReservations.put(row.taskId(), new Deferred<>(row));
        notifyAll();
    }

    synchronized void removeReservation(UUID taskId) {
        boolean neverQueued = deferredReservations.remove(taskId) == null;
        if (neverQueued || written.contains(taskId) || reservations.containsKey(taskId)) {
            reservations.put(taskId, null);
            notifyAll();
        }
    }

    synchronized void publishFree(UUID fabricId, long units) {
        heldFree.remove(fabricId); // a held older value must not land after this one
        free.put(fabricId, units);
        notifyAll();
    }

    /** Puts an assignment row: an ended one with the next batch, a RUNNING one once {@link #DEFER_MS} old. */
    synchronized void putAssignment(String key, AssignmentRow row) {
        deferredRunning.remove(key);
        if (row.hasEnded())
            assignments.put(key, row);
        else
            deferredRunning.put(key, new Deferred<>(row));
        notifyAll();
    }

    synchronized void removeAssignments(List<String> keys) {
        for (String k : keys) {
            assignments.remove(k);
            deferredRunning.remove(k);
        }
        removals.addAll(keys);
        notifyAll();
    }

    /**
     * Writes an ended assignment row as its caller reported it, now, on the calling thread (so that the caller reads
     * it once its call returns), and drops the queued RUNNING version; one being written in a batch at this moment
     * cannot overwrite it ({@link PutAssignment}).
     */
    void putCallersWordNow(String key, AssignmentRow row) {
        putCallersWordNow(java.util.Map.of(key, row));
    }

    /**
     * Writes the final rows of attempts this orchestrator held, as their callers reported them, now, in one plain
     * batch: their rows can only be RUNNING or absent, so nothing needs reading first.
     */
    void putEndedNow(Map<String, AssignmentRow> rows) {
        synchronized (this) {
            assignments.keySet().removeAll(rows.keySet());
            deferredRunning.keySet().removeAll(rows.keySet());
        }
        ledger.putEnded(rows);
    }

    /** {@link #putCallersWordNow(String, AssignmentRow)} for a batch, written in one call. */
    void putCallersWordNow(Map<String, AssignmentRow> rows) {
        synchronized (this) {
            assignments.keySet().removeAll(rows.keySet());
            deferredRunning.keySet().removeAll(rows.keySet());
        }
        ledger.putCallersWords(rows);
    }

    /** Runs {@code work} on the writer's thread after every write queued before it. */
    synchronized void afterPending(Runnable work) {
        after.add(work);
        notifyAll();
    }

    private boolean dirty() {
        return !reservations.isEmpty() || !free.isEmpty() || !assignments.isEmpty() || !removals.isEmpty()
            || !after.isEmpty();
    }

    private void run() {
        while (true) {
            Map<UUID, ReservationRow> res;
            Map<UUID, Long> fr;
            Map<String, AssignmentRow> asg;
            List<String> rem;
            List<Runnable> aft;
            synchronized (this) {
                while (true) {
                    long waitMs = promoteDue(closed); // closing: everything, due or not
                    if (dirty() || closed)
                        break;
                    try {
                        wait(waitMs);
                    }
                    catch (InterruptedException e) {
                        return;
                    }
                }
                if (!dirty())
                    return;
                res = reservations;
                fr = free;
                asg = assignments;
                rem = removals;
                aft = after;
                reservations = new LinkedHashMap<>();
                free = new LinkedHashMap<>();
                assignments = new LinkedHashMap<>();
                removals = new ArrayList<>();
                after = new ArrayList<>();
                writing = true;
            }
            boolean failed = false;
            try {
                write(res, fr, asg, rem, aft);
            }
            catch (VirtualMachineError e) {
                throw e;
            }
            catch (Throwable e) {
                failed = true;
                log.warning("Fabric Stitch: the orchestrator's ledger writer failed to write a batch of "
                    + res.size() + " reservation(s), " + fr.size() + " free count(s) and " + asg.size()
                    + " assignment(s); it tries again: " + e);
                requeue(res, fr, asg, rem, aft);
            }
            finally {
                synchronized (this) {
                    writing = false;
                    notifyAll();
                }
            }
            try {
                if (failed)
                    Thread.sleep(RETRY_PAUSE_MS);
                else if (!isClosed())
                    Thread.sleep(BATCH_INTERVAL_MS); // what comes meanwhile joins the next batch
            }
            catch (InterruptedException e) {
                if (!isClosed())
                    return;
            }
        }
    }

    private synchronized boolean isClosed() {
        return closed;
    }

    /**
     * Moves the deferred writes that are due ({@code all}: every one) to the next batch; returns how long until the
     * next one is due (0: none is waiting).
     */
    private long promoteDue(boolean all) {
        long now = System.nanoTime();
        long next = promote(heldFree, free, false, false, all, now); // a newer value queued since wins
        next = sooner(next, promote(deferredReservations, reservations, true, true, all, now));
        return sooner(next, promote(deferredRunning, assignments, false, true, all, now)); // an ended row wins
    }

    /**
     * Moves the due entries of {@code deferred} to {@code batch} ({@code all}: every entry): over what the batch holds
     * for the key when {@code overwrite}, else only where it holds nothing. {@code ordered}: the entries are in due
     * order, so the first not due ends the scan. Returns how long until the next one is due, ms (0: none waits).
     */
    private static <K, R> long promote(Map<K, Deferred<R>> deferred, Map<K, R> batch, boolean overwrite,
        boolean ordered, boolean all, long now) {
        long next = 0;
        for (java.util.Iterator<Map.Entry<K, Deferred<R>>> it = deferred.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<K, Deferred<R>> e = it.next();
            long left = e.getValue().leftMs(now);
            if (!all && left > 0) {
                next = sooner(next, left);
                if (ordered)
                    break;
                continue;
            }
            if (overwrite)
                batch.put(e.getKey(), e.getValue().row);
            else
                batch.putIfAbsent(e.getKey(), e.getValue().row);
            it.remove();
        }
        return next;
    }

    /** The sooner of two waits in ms, 0 meaning none. */
    private static long sooner(long a, long b) {
        return a == 0 ? b : b == 0 ? a : Math.min(a, b);
    }

    /** The RESOURCE_FREE this writer last wrote for a fabric, or null (call on the writer's thread, as after-work). */
    Long lastFreeWritten(UUID fabricId) {
        return freeWritten.get(fabricId);
    }

    /** A write not due before a time: by default {@link #DEFER_MS} after it was queued. */
    private static final class Deferred<R> {
        final R row;
        final long dueNanos;

        Deferred(R row) {
            this(row, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(DEFER_MS));
        }

        Deferred(R row, long dueNanos) {
            this.row = row;
            this.dueNanos = dueNanos;
        }

        long leftMs(long now) {
            long left = dueNanos - now;
            return left <= 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(left));
        }
    }

    /** Puts a batch that failed back in front of what was queued since; a newer state of a row wins. */
    private synchronized void requeue(Map<UUID, ReservationRow> res, Map<UUID, Long> fr,
        Map<String, AssignmentRow> asg, List<String> rem, List<Runnable> aft) {
        reservations = merged(res, reservations);
        free = merged(fr, free);
        assignments = merged(asg, assignments);
        rem.addAll(removals);
        removals = rem;
        aft.addAll(after);
        after = aft;
    }

    private static <K, V> Map<K, V> merged(Map<K, V> older, Map<K, V> newer) {
        Map<K, V> out = new LinkedHashMap<>(older);
        for (Map.Entry<K, V> e : newer.entrySet()) {
            out.remove(e.getKey());
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    private void write(Map<UUID, ReservationRow> res, Map<UUID, Long> fr, Map<String, AssignmentRow> asg,
        List<String> rem, List<Runnable> aft) {
        Map<UUID, ReservationRow> puts = new TreeMap<>();
        TreeSet<UUID> removes = new TreeSet<>();
        synchronized (this) {
            for (Map.Entry<UUID, ReservationRow> e : res.entrySet()) {
                if (e.getValue() != null)
                    puts.put(e.getKey(), e.getValue());
                else if (written.contains(e.getKey()))
                    removes.add(e.getKey());
            }
        }
        if (!puts.isEmpty())
            ledger.putReservations(puts);
        if (!removes.isEmpty())
            ledger.removeReservations(removes);
        synchronized (this) {
            written.addAll(puts.keySet());
            written.removeAll(removes);
        }
        long now = System.nanoTime();
        for (Map.Entry<UUID, Long> e : fr.entrySet()) {
            synchronized (this) {
                if (free.containsKey(e.getKey()))
                    continue; // a newer value came meanwhile: it goes with the next batch
                heldFree.remove(e.getKey());
            }
            // The view lags the cache a little after a write of ours, so it alone cannot say a write is needed: skip
            // when the view holds the value and our last write (if any) did too.
            FabricRow row = view.row(e.getKey());
            Long last = freeWritten.get(e.getKey());
            if (row != null && row.resourceFree() == e.getValue() && (last == null || last.equals(e.getValue())))
                continue;
            Long at = freeWrittenAt.get(e.getKey());
            long due = at == null ? now : at + TimeUnit.MILLISECONDS.toNanos(FREE_INTERVAL_MS);
            if (due - now > 0 && !isClosed()) {
                synchronized (this) {
                    if (!free.containsKey(e.getKey()))
                        heldFree.put(e.getKey(), new Deferred<>(e.getValue(), due));
                }
                continue;
            }
            map.setFree(e.getKey(), e.getValue());
            freeWritten.put(e.getKey(), e.getValue());
            freeWrittenAt.put(e.getKey(), now);
        }
        if (!asg.isEmpty())
            ledger.putAssignments(new TreeMap<>(asg));
        if (!rem.isEmpty())
            ledger.removeAssignments(rem);
        for (Runnable r : aft)
            r.run();
    }

    /** Writes what is queued (waiting up to {@link #CLOSE_WAIT_MS}), then stops. */
    @Override
    public void close() {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(CLOSE_WAIT_MS);
        synchronized (this) {
            closed = true;
            notifyAll();
            while ((dirty() || writing || !deferredReservations.isEmpty() || !deferredRunning.isEmpty()
                || !heldFree.isEmpty()) && thread.isAlive()) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    log.warning("Fabric Stitch: the orchestrator's ledger writer stopped with writes pending "
                        + "(the next orchestrator settles them from the ledger and the nodes alive)");
                    break;
                }
                try {
                    wait(left);
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
        }
        thread.interrupt();
    }
}
