package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricOrchestrator;
import io.fabricstitch.ignite.compute.HeldPlacement;
import io.fabricstitch.ignite.compute.PlaceRequest;
import io.fabricstitch.ignite.compute.PlacementReply;
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

    /**
     * How long a release waits for the caller's next placements to take it along before it goes alone, ms: a
     * reservation is held this much longer at most, and a busy caller's releases gather meanwhile.
     */
    static final long RELEASE_LINGER_MS = 5;
    private static final long RELEASE_LINGER_NANOS = TimeUnit.MILLISECONDS.toNanos(RELEASE_LINGER_MS);

    /** How long a batch is retried while no orchestrator answers, ms. */
    static final long PATIENCE_MS = 30_000;

    private static final long MIN_BACKOFF_MS = 10;
    private static final long MAX_BACKOFF_MS = 200;

    private final Supplier<FabricOrchestrator> orchestrator;
    private final IgniteLogger log;
    private final LinkedBlockingQueue<Pending> places = new LinkedBlockingQueue<>();
    private final java.util.concurrent.LinkedBlockingDeque<Release> releases =
        new java.util.concurrent.LinkedBlockingDeque<>();
    private final java.util.function.Consumer<HeldPlacement> released;
    private final Thread placer;
    private final Thread releaser;
    private volatile boolean closed;
    /** Sequence numbers of releases queued, and of those no orchestrator has taken yet. */
    private final java.util.concurrent.atomic.AtomicLong queued = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.ConcurrentSkipListSet<Long> untaken =
        new java.util.concurrent.ConcurrentSkipListSet<>();

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
        long seq = queued.incrementAndGet();
        untaken.add(seq);
        releases.add(new Release(seq, ended));
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
            // Releases waiting go first, in the same call: a caller's next task never sees its last one's units.
            List<Release> ending = new ArrayList<>();
            releases.drainTo(ending, MAX_BATCH);
            List<HeldPlacement> ended = heldOf(ending);
            try {
                List<PlacementReply> replies = call(o -> o.releaseAndPlace(ended, requests));
                for (int i = 0; i < batch.size(); i++)
                    batch.get(i).reply.complete(replies.get(i));
                taken(ending);
            }
            catch (RuntimeException e) {
                for (Pending p : batch)
                    p.reply.completeExceptionally(e);
                releases.addAll(ending); // the releaser tries them again
            }
            batch.clear();
        }
        for (Pending p; (p = places.poll()) != null; )
            p.reply.completeExceptionally(new IgniteException("the node is stopping"));
    }

    private void releaseLoop() {
        List<Release> batch = new ArrayList<>();
        while (true) {
            try {
                if (closed && releases.isEmpty())
                    break;
                Release first = releases.pollFirst(100, TimeUnit.MILLISECONDS);
                if (first == null)
                    continue;
                long young = RELEASE_LINGER_NANOS - (System.nanoTime() - first.queuedNanos);
                if (young > 0 && !closed) {
                    // The caller's next placements take it along if they come within the linger.
                    releases.putFirst(first);
                    TimeUnit.NANOSECONDS.sleep(young);
                    continue;
                }
                batch.add(first);
            }
            catch (InterruptedException e) {
                break;
            }
            releases.drainTo(batch, MAX_BATCH - batch.size());
            try {
                List<HeldPlacement> sent = heldOf(batch);
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
            taken(batch);
            batch.clear();
        }
    }

    private static List<HeldPlacement> heldOf(List<Release> batch) {
        List<HeldPlacement> out = new ArrayList<>(batch.size());
        for (Release r : batch)
            out.add(r.held);
        return out;
    }

    /** Marks releases as taken by an orchestrator (or given up on): their attempts are no longer held. */
    private void taken(List<Release> batch) {
        for (Release r : batch) {
            released.accept(r.held);
            untaken.remove(r.seq);
        }
        synchronized (this) {
            notifyAll();
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
            while (!untaken.isEmpty() && untaken.first() <= target) {
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

    /** An ended attempt waiting for its release, numbered in the order it was queued. */
    private static final class Release {
        final long seq;
        final HeldPlacement held;
        final long queuedNanos = System.nanoTime();

        Release(long seq, HeldPlacement held) {
            this.seq = seq;
            this.held = held;
        }
    }

    private static final class Pending {
        final PlaceRequest request;
        final CompletableFuture<PlacementReply> reply = new CompletableFuture<>();

        Pending(PlaceRequest request) {
            this.request = request;
        }
    }
}
