package io.fabricstitch.ignite.compute;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteLogger;

/**
 * A caller node's line to the orchestrator: the placements and releases of all its threads go in batches, one call
 * each way per batch, so that the orchestrator's lock, its service threads and Ignite's messaging are paid per batch,
 * not per task. Placing waits for its reply (the task needs its fabric); releasing never waits: the task returns its
 * result at once and the release follows in the next batch (the attempt stays held,
 * {@link FabricCompute#heldPlacements}, until an orchestrator took it). A batch is as large as what queued while the previous one was on its way, so a
 * lone caller pays one round trip and a busy one shares it. Calls that fail while the orchestrator moves are retried.
 */
final class OrchestratorChannel implements AutoCloseable {
    /** Most requests in one batch. */
    static final int MAX_BATCH = 512;

    /** Longest wait for more releases to join a batch, ms: a reservation is held this much longer at most. */
    static final long RELEASE_LINGER_MS = 5;

    /** How long a batch is retried while no orchestrator answers, ms. */
    static final long PATIENCE_MS = 30_000;

    private static final long MIN_BACKOFF_MS = 10;
    private static final long MAX_BACKOFF_MS = 200;

    private final Supplier<FabricOrchestrator> orchestrator;
    private final IgniteLogger log;
    private final LinkedBlockingQueue<Pending> places = new LinkedBlockingQueue<>();
    private final LinkedBlockingQueue<HeldPlacement> releases = new LinkedBlockingQueue<>();
    private final java.util.function.Consumer<HeldPlacement> released;
    private final Thread placer;
    private final Thread releaser;
    private volatile boolean closed;
    /** Releases queued, and releases an orchestrator took (or that were given up on), in queue order. */
    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    private long done;

    /**
     * @param released called for each attempt once an orchestrator took its release (or the channel gave up on it)
     */
    OrchestratorChannel(String name, Supplier<FabricOrchestrator> orchestrator,
        java.util.function.Consumer<HeldPlacement> released, IgniteLogger log) {
        this.orchestrator = orchestrator;
        this.released = released;
        this.log = log;
        this.placer = daemon("fabric-placer-" + name, this::placeLoop);
        this.releaser = daemon("fabric-releaser-" + name, this::releaseLoop);
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        t.start();
        return t;
    }

    /** Asks for a placement; the future completes with the orchestrator's reply, or fails when it did not answer. */
    CompletableFuture<PlacementReply> place(PlaceRequest request) {
        Pending p = new Pending(request);
        if (closed)
            p.reply.completeExceptionally(new IgniteException("the node is stopping"));
        else
            places.add(p);
        return p.reply;
    }

    /** Releases an ended attempt in the next batch; returns at once. */
    void release(HeldPlacement ended) {
        queued.incrementAndGet();
        releases.add(ended);
    }

    private void placeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed) {
            try {
                batch.add(places.take());
            }
            catch (InterruptedException e) {
                break;
            }
            places.drainTo(batch, MAX_BATCH - 1);
            List<PlaceRequest> requests = new ArrayList<>(batch.size());
            for (Pending p : batch)
                requests.add(p.request);
            try {
                List<PlacementReply> replies = call(o -> o.placeAll(requests));
                for (int i = 0; i < batch.size(); i++)
                    batch.get(i).reply.complete(replies.get(i));
            }
            catch (RuntimeException e) {
                for (Pending p : batch)
                    p.reply.completeExceptionally(e);
            }
            batch.clear();
        }
        for (Pending p; (p = places.poll()) != null; )
            p.reply.completeExceptionally(new IgniteException("the node is stopping"));
    }

    private void releaseLoop() {
        List<HeldPlacement> batch = new ArrayList<>();
        while (true) {
            try {
                if (closed && releases.isEmpty())
                    break;
                HeldPlacement first = releases.poll(100, TimeUnit.MILLISECONDS);
                if (first == null)
                    continue;
                batch.add(first);
            }
            catch (InterruptedException e) {
                break;
            }
            linger(batch);
            try {
                List<HeldPlacement> sent = List.copyOf(batch);
                call(o -> {
                    o.releaseAll(sent);
                    return null;
                });
            }
            catch (RuntimeException e) {
                log.warning("Fabric Stitch: could not release " + batch.size() + " attempt(s) (" + e.getMessage()
                    + "); the orchestrator takes their reservations back when they expire, or when it asks this "
                    + "node what it holds");
            }
            for (HeldPlacement h : batch)
                released.accept(h);
            synchronized (this) {
                done += batch.size();
                notifyAll();
            }
            batch.clear();
        }
    }

    /**
     * Lets releases gather for up to {@link #RELEASE_LINGER_MS} after the first: one call and one write of final rows
     * then serve several tasks, and a caller's next placement does not compete with the release of its last task.
     */
    private void linger(List<HeldPlacement> batch) {
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(RELEASE_LINGER_MS);
        releases.drainTo(batch, MAX_BATCH - batch.size());
        try {
            while (batch.size() < MAX_BATCH && !closed) {
                long left = until - System.nanoTime();
                if (left <= 0)
                    break;
                HeldPlacement next = releases.poll(left, TimeUnit.NANOSECONDS);
                if (next == null)
                    break;
                batch.add(next);
                releases.drainTo(batch, MAX_BATCH - batch.size());
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Calls the orchestrator, retrying while it is not deployed (it is moving), for at most {@link #PATIENCE_MS}. */
    <R> R call(java.util.function.Function<FabricOrchestrator, R> call) {
        long giveUp = System.currentTimeMillis() + PATIENCE_MS;
        long backoff = MIN_BACKOFF_MS;
        while (true) {
            try {
                return call.apply(orchestrator.get());
            }
            catch (IgniteException | IllegalStateException e) {
                if (closed || System.currentTimeMillis() + backoff >= giveUp
                    || e instanceof org.apache.ignite.lang.IgniteFutureCancelledException)
                    throw new IgniteException("the Fabric Stitch orchestrator did not answer within " + PATIENCE_MS
                        + " ms: " + e.getMessage(), e);
                try {
                    Thread.sleep(backoff); // the orchestrator is moving: Ignite redeploys it within a second
                }
                catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw new IgniteException("interrupted while calling the orchestrator", ie);
                }
                backoff = Math.min(MAX_BACKOFF_MS, backoff * 2);
            }
        }
    }

    /**
     * Waits until every release queued before this call has been taken by an orchestrator (or given up on), at most
     * {@code timeoutMs}; true if it was.
     */
    boolean awaitReleases(long timeoutMs) throws InterruptedException {
        long target = queued.get();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        synchronized (this) {
            while (done < target) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0)
                    return false;
                wait(left);
            }
        }
        return true;
    }

    /** Sends what is queued for release (waiting up to {@code waitMs}), then stops both threads. */
    @Override
    public void close() {
        closed = true;
        placer.interrupt();
        try {
            releaser.join(2_000);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        releaser.interrupt();
    }

    private static final class Pending {
        final PlaceRequest request;
        final CompletableFuture<PlacementReply> reply = new CompletableFuture<>();

        Pending(PlaceRequest request) {
            this.request = request;
        }
    }
}
