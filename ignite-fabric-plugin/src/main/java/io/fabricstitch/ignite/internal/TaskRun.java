package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.FabricBusyException;
import io.fabricstitch.ignite.compute.HeldPlacement;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.ignite.compute.PlaceRequest;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.PlacementReply;
import io.fabricstitch.ignite.compute.TaskOutcome;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.agent.datapath.DataPathException;
import io.fabricstitch.function.FunctionException;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.compute.ComputeExecutionRejectedException;
import org.apache.ignite.compute.ComputeJobFailoverException;
import org.apache.ignite.compute.ComputeTaskFuture;
import org.apache.ignite.compute.ComputeTaskTimeoutException;
import org.apache.ignite.lang.IgniteFutureCancelledException;

/**
 * One task from request to result: place it through the orchestrator (waiting in its queue if fabrics are busy), run
 * the attempt on the fabric's node, release the reservation however the attempt ended, and place it again elsewhere
 * when the fabric's node left mid-run. Runs on the caller's thread (sync) or a pool thread (async); placements and
 * releases go through the node's {@link OrchestratorChannel}, in batches with those of its other tasks.
 */
final class TaskRun<T> {
    /**
     * First and longest wait of a queued task between two asks: the orchestrator's message wakes it as soon as it is
     * placed, so asking again only covers a lost message or an orchestrator that moved; the wait doubles while the
     * task waits, so that a long queue does not keep the orchestrator busy answering.
     */
    private static final long QUEUE_POLL_MS = 250;
    private static final long MAX_QUEUE_POLL_MS = 2_000;

    private final FabricComputeImpl compute;
    private final TaskRequest request;
    private final TaskRequest placementRequest;
    private final Attempt<T> attempts;
    private final UUID taskId = UUID.randomUUID();
    private final CostWeights weights;
    private final String priorityLabel;
    private final long deadline;
    private volatile boolean cancelled;
    private volatile ComputeTaskFuture<?> running;

    TaskRun(FabricComputeImpl compute, TaskRequest request, Attempt<T> attempts) {
        this.compute = compute;
        this.request = request;
        this.placementRequest = request.withoutInput().withOrigin(
            request.origin() != null ? request.origin() : compute.localNodeId());
        this.attempts = attempts;
        this.weights = compute.weightsOf(request);
        this.priorityLabel = request.weights() != null ? "explicit" : request.priority();
        this.deadline = System.currentTimeMillis() + request.timeout().toMillis();
    }

    UUID taskId() {
        return taskId;
    }

    /** Runs the task to its end and returns the result with its placement. */
    Result<T> run() {
        compute.watch(taskId);
        boolean done = false;
        try {
            Result<T> r = runAttempts();
            done = true;
            return r;
        }
        finally {
            compute.forget(taskId);
            if (!done)
                attempts.failed();
        }
    }

    private Result<T> runAttempts() {
        Set<UUID> excluded = new HashSet<>();
        RuntimeException lastLoss = null;
        int maxAttempts = compute.configuration().getOrchestrator().getMaxAttempts();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            // A pinned task (a part, a data-locality choice) goes anywhere it fits once its fabric is lost.
            HeldPlacement p = hold(acquire(attempt, excluded, attempt == 1 ? placementRequest
                : placementRequest.withFabric(null)));
            try {
                T out = runAttempt(p.placement());
                release(p, TaskOutcome.SUCCEEDED, null);
                return new Result<>(out, p.placement(), attempts.ranAs());
            }
            catch (RuntimeException e) {
                if (cancelled) {
                    release(p, TaskOutcome.CANCELLED, "cancelled by the caller");
                    throw new IgniteFutureCancelledException("task " + taskId + " (" + request.function()
                        + ") was cancelled");
                }
                if (isTimeout(e) || System.currentTimeMillis() >= deadline) {
                    release(p, TaskOutcome.TIMED_OUT, "timeout " + request.timeout().toMillis() + " ms");
                    throw new ComputeTaskTimeoutException("task " + taskId + " (" + request.function() + ") did not "
                        + "finish within its timeout of " + request.timeout().toMillis() + " ms on "
                        + describe(p.placement()));
                }
                if (isLoss(e)) {
                    release(causeOf(e, ClusterTopologyException.class) != null ? p.nodeUnreachable(message(e))
                        : p.ended(TaskOutcome.LOST, message(e)));
                    excluded.add(p.placement().fabricId());
                    lastLoss = e;
                    compute.log().info("Fabric Stitch: task " + taskId + " lost " + describe(p.placement()) + " ("
                        + message(e)
                        + "); placing it again");
                    continue;
                }
                String why = message(e);
                release(p, TaskOutcome.FAILED, why);
                throw new IgniteException("task " + taskId + " failed on " + describe(p.placement()) + ": " + why, e);
            }
        }
        throw new IgniteException("task " + taskId + " (" + request.function() + ") lost its fabric " + maxAttempts
            + " time(s) (expected: at most orchestrator.maxAttempts=" + maxAttempts + " placements): "
            + message(lastLoss), lastLoss);
    }

    /** Stops the task: dequeues or cancels its running attempt; {@link #run()} then releases and throws. */
    void cancel() {
        cancelled = true;
        ComputeTaskFuture<?> f = running;
        if (f != null) {
            try {
                f.cancel();
            }
            catch (RuntimeException e) {
                compute.log().debug("Fabric Stitch: cancelling task " + taskId + ": " + e);
            }
        }
    }

    private T runAttempt(Placement p) {
        PlacedTask<?> task = attempts.task(p);
        long remaining = deadline - System.currentTimeMillis();
        if (remaining <= 0)
            throw new ComputeTaskTimeoutException("no time left");
        ComputeTaskFuture<?> f = compute.computeOn(p.nodeId(), remaining).executeAsync(task, null);
        running = f;
        if (cancelled)
            f.cancel();
        return attempts.result(p, f.get());
    }

    /** Asks the orchestrator for a fabric until placed, refused, cancelled or out of time. */
    private Placement acquire(int attempt, Set<UUID> excluded, TaskRequest placing) {
        long queueDeadline = Math.min(deadline, System.currentTimeMillis()
            + compute.configuration().getOrchestrator().getQueueTimeoutMs());
        String lastReason = null;
        long pollMs = QUEUE_POLL_MS;
        while (true) {
            Placement sent = compute.takePlaced(taskId, attempt); // before the deadline: it came in time
            if (sent != null && !cancelled) {
                compute.placed(attempt > 1);
                return sent;
            }
            if (cancelled) {
                compute.channel().call(o -> o.cancel(taskId, TaskOutcome.CANCELLED, "cancelled while queued"));
                throw new IgniteFutureCancelledException("task " + taskId + " (" + request.function()
                    + ") was cancelled");
            }
            long now = System.currentTimeMillis();
            if (lastReason != null && now >= queueDeadline) {
                compute.channel().call(o -> o.cancel(taskId, TaskOutcome.TIMED_OUT, "waited too long"));
                long queueTimeoutMs = compute.configuration().getOrchestrator().getQueueTimeoutMs();
                throw new FabricBusyException("task " + taskId + " waited " + queueTimeoutMs
                    + " ms or its timeout for a busy fabric (expected: a fabric free within min(timeout="
                    + request.timeout().toMillis() + " ms, orchestrator.queueTimeoutMs=" + queueTimeoutMs
                    + ")): " + lastReason);
            }
            PlacementReply reply = placed(new PlaceRequest(taskId, attempt, placing, weights, priorityLabel,
                compute.localNodeId(), excluded, queueDeadline), deadline - now);
            switch (reply.kind()) {
                case PLACED:
                    compute.placed(attempt > 1);
                    return reply.placement();
                case NO_FABRIC:
                    throw new NoSuitableFabricException(reply.reason());
                case QUEUE_FULL:
                    throw new FabricBusyException(reply.reason());
                default:
                    lastReason = reply.reason();
                    compute.awaitPlacement(taskId, Math.max(1, Math.min(pollMs, queueDeadline - now)));
                    pollMs = Math.min(MAX_QUEUE_POLL_MS, pollMs * 2);
            }
        }
    }

    /** Records that this node holds placement {@code p}, so that an orchestrator that moves can ask for it. */
    private HeldPlacement hold(Placement p) {
        HeldPlacement h = HeldPlacement.running(p, placementRequest, compute.localNodeId(), System.currentTimeMillis());
        compute.hold(h);
        return h;
    }

    /**
     * Releases the attempt with how it ended, in the caller node's next release batch: the task's result does not
     * wait for it. Until an orchestrator took it, the ended attempt stays held, so that an orchestrator that starts
     * meanwhile learns of it when it asks.
     */
    private void release(HeldPlacement p, TaskOutcome outcome, String detail) {
        release(p.ended(outcome, detail));
    }

    private void release(HeldPlacement ended) {
        compute.hold(ended);
        compute.channel().release(ended);
    }

    /** The orchestrator's reply to {@code request}, waiting at most {@code waitMs}. */
    private PlacementReply placed(PlaceRequest request, long waitMs) {
        try {
            return compute.channel().place(request).get(Math.max(1, waitMs),
                java.util.concurrent.TimeUnit.MILLISECONDS);
        }
        catch (java.util.concurrent.ExecutionException e) {
            throw e.getCause() instanceof RuntimeException ? (RuntimeException)e.getCause()
                : new IgniteException(e.getCause());
        }
        catch (java.util.concurrent.TimeoutException e) {
            throw new ComputeTaskTimeoutException("task " + taskId + " (" + this.request.function() + ") was not "
                + "placed within its timeout of " + this.request.timeout().toMillis() + " ms");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IgniteException("interrupted while waiting for a placement of task " + taskId, e);
        }
    }

    private static boolean isTimeout(Throwable e) {
        return causeOf(e, ComputeTaskTimeoutException.class) != null;
    }

    /**
     * True when the attempt failed because its node or fabric went away, or its data path failed (refused,
     * truncated, corrupted, stalled), not because of the work itself.
     */
    private static boolean isLoss(Throwable e) {
        return causeOf(e, ClusterTopologyException.class) != null
            || causeOf(e, DataPathException.class) != null
            || causeOf(e, ComputeExecutionRejectedException.class) != null
            || causeOf(e, ComputeJobFailoverException.class) != null;
    }

    /** The first {@code type} in the cause chain of {@code e}, or null. */
    static <X extends Throwable> X causeOf(Throwable e, Class<X> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t))
                return type.cast(t);
            if (t.getCause() == t)
                break;
        }
        return null;
    }

    /** The most telling message in a chain: the job's own error rather than Ignite's wrappers. */
    static String message(Throwable e) {
        if (e == null)
            return "no error recorded";
        String missing = MissingClass.describe(e);
        if (missing != null)
            return missing;
        String best = e.getMessage();
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof FunctionException || (t.getMessage() != null && !t.getMessage().isBlank()
                && !t.getMessage().startsWith("Remote job threw") && !t.getMessage().startsWith("class ")))
                best = t.getMessage();
            if (t.getCause() == t)
                break;
        }
        return best != null ? best : e.getClass().getSimpleName();
    }

    private static String describe(Placement p) {
        return p.fabricType() + " " + p.model() + " on " + p.nodeName();
    }

    /** How one attempt runs: the Ignite task for a placement, and the result from what its job returned. */
    interface Attempt<T> {
        /** The task of an attempt on {@code p}; may move the input to the fabric first. */
        PlacedTask<?> task(Placement p);

        /** The attempt's result from its job's; may fetch an output the fabric staged. */
        T result(Placement p, Object jobResult);

        /** The task failed for good: forget any partial output. */
        default void failed() {
        }

        /** The implementation that produced the latest result, when the job said; null for a closure. */
        default io.fabricstitch.model.FunctionImplementation ranAs() {
            return null;
        }
    }

    /** A result with the placement that produced it. */
    static final class Result<T> {
        final T value;
        final Placement placement;
        final io.fabricstitch.model.FunctionImplementation ranAs;

        Result(T value, Placement placement, io.fabricstitch.model.FunctionImplementation ranAs) {
            this.value = value;
            this.placement = placement;
            this.ranAs = ranAs;
        }
    }
}
