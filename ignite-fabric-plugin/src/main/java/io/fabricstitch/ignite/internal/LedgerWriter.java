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
    /** Reservation ids known to be in the cache: a released one that never got there needs no remove. */
    private final java.util.Set<UUID> written = new java.util.HashSet<>();
    /** RESOURCE_FREE last written per fabric (writer thread only). */
    private final Map<UUID, Long> freeWritten = new java.util.HashMap<>();
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

    synchronized void putReservation(ReservationRow row) {
        reservations.put(row.taskId(), row);
        notifyAll();
    }

    synchronized void removeReservation(UUID taskId) {
        reservations.put(taskId, null);
        notifyAll();
    }

    synchronized void publishFree(UUID fabricId, long units) {
        free.put(fabricId, units);
        notifyAll();
    }

    synchronized void putAssignment(String key, AssignmentRow row) {
        assignments.put(key, row);
        notifyAll();
    }

    synchronized void removeAssignments(List<String> keys) {
        for (String k : keys)
            assignments.remove(k);
        removals.addAll(keys);
        notifyAll();
    }

    /**
     * Writes an ended assignment row as its caller reported it, now, on the calling thread (so that the caller reads
     * it once its call returns), and drops the queued RUNNING version; one being written in a batch at this moment
     * cannot overwrite it ({@link PutAssignment}).
     */
    void putCallersWordNow(String key, AssignmentRow row) {
        synchronized (this) {
            assignments.remove(key);
        }
        ledger.putCallersWord(key, row);
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
                while (!dirty() && !closed) {
                    try {
                        wait();
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
            if (failed) {
                try {
                    Thread.sleep(RETRY_PAUSE_MS);
                }
                catch (InterruptedException e) {
                    return;
                }
            }
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
        for (Map.Entry<UUID, Long> e : fr.entrySet()) {
            // The view lags the cache a little after a write of ours, so it alone cannot say a write is needed: skip
            // when the view holds the value and our last write (if any) did too.
            FabricRow row = view.row(e.getKey());
            Long last = freeWritten.get(e.getKey());
            if (row != null && row.resourceFree() == e.getValue() && (last == null || last.equals(e.getValue())))
                continue;
            map.setFree(e.getKey(), e.getValue());
            freeWritten.put(e.getKey(), e.getValue());
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
            while ((dirty() || writing) && thread.isAlive()) {
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
