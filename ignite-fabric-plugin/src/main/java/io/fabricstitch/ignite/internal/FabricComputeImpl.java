package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricOrchestrator;
import io.fabricstitch.ignite.compute.HeldPlacement;
import io.fabricstitch.ignite.compute.PartPlan;
import io.fabricstitch.ignite.compute.PartitionedResult;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.ProgressListener;
import io.fabricstitch.ignite.compute.Reducer;
import io.fabricstitch.ignite.compute.Splitter;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import io.fabricstitch.ignite.placement.PartitionPlanner;
import io.fabricstitch.internal.Checks;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.lang.IgniteBiPredicate;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;

/**
 * The engine behind {@link FabricCompute} on one node: asks the orchestrator for placements (batched through an
 * {@link OrchestratorChannel}), runs each task as a {@link TaskRun}, waits for queued tasks' placement messages and
 * keeps the attempts this node holds until their release is taken. Thread-safe; one instance per node, created and
 * closed by the plugin.
 */
public final class FabricComputeImpl implements FabricCompute {
    private final Ignite ignite;
    private final FabricPluginConfiguration cfg;
    private final IgniteLogger log;
    private final ExecutorService pool;
    private final Map<UUID, Waiter> waiting = new ConcurrentHashMap<>();
    /** The attempts this node placed and has not yet had released, by task id. */
    private final Map<UUID, HeldPlacement> held = new ConcurrentHashMap<>();
    private final IgniteBiPredicate<UUID, Object> placedListener;
    private volatile FabricOrchestrator orchestrator;
    private final OrchestratorChannel channel;

    /** Created by the plugin when the node starts; applications use {@link FabricCompute#of(Ignite)}. */
    public FabricComputeImpl(Ignite ignite, FabricPluginConfiguration cfg, IgniteLogger log) {
        this.ignite = ignite;
        this.cfg = cfg;
        this.log = log;
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "fabric-compute-" + ignite.name() + '-' + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.placedListener = (nodeId, msg) -> {
            Waiter w = msg instanceof Placement ? waiting.get(((Placement)msg).taskId()) : null;
            if (w != null) {
                w.placed = (Placement)msg;
                w.wake.release();
            }
            return true;
        };
        ignite.message().localListen(OrchestratorService.PLACED_TOPIC, placedListener);
        this.channel = new OrchestratorChannel(ignite.name() == null ? "default" : ignite.name(), this::orchestrator,
            this::drop, log);
    }

    @Override
    public TaskResult execute(TaskRequest request) {
        TaskRun.Result<byte[]> r = functionRun(request).run();
        return new TaskResult(r.value, r.placement, r.ranAs);
    }

    @Override
    public IgniteFuture<TaskResult> executeAsync(TaskRequest request) {
        TaskRun<byte[]> run = functionRun(request);
        return submit(run, () -> {
            TaskRun.Result<byte[]> r = run.run();
            return new TaskResult(r.value, r.placement, r.ranAs);
        });
    }

    @Override
    public Placement execute(TaskRequest request, Path input, Path output, ProgressListener progress) {
        Checks.notNull(request, "request");
        TaskInput in = TaskInput.of(input);
        TaskOutput<Path> out = TaskOutput.file(output);
        TaskRequest sized = request.withoutInput().withInputBytes(in.length());
        // No start report yet: a request refused before it is placed prints no progress at all.
        ProgressTracker tracker = new ProgressTracker(progress, 1, in.length());
        Placement p = new TaskRun<>(this, sized, new FunctionAttempt<>(FabricPlugin.of(ignite), request.function(), in,
            out, tracker::bytesSent)).run().placement;
        tracker.bytesSent(in.length());
        tracker.partDone(0);
        return p;
    }

    @Override
    public <T> T call(TaskRequest request, IgniteCallable<T> job) {
        return closureRun(request, job).run().value;
    }

    @Override
    public <T> IgniteFuture<T> callAsync(TaskRequest request, IgniteCallable<T> job) {
        TaskRun<T> run = closureRun(request, job);
        return submit(run, () -> run.run().value);
    }

    /** Smallest share of the work a part gets; fabrics that would get less take no part. */
    static final double MIN_SHARE = 0.02;

    @Override
    public <D, R> PartitionedResult<R> map(TaskRequest request, D dataset, Splitter<D> splitter, Reducer<R> reducer,
        int maxParts, ProgressListener progress) {
        Checks.notNull(request, "request");
        Checks.notNull(splitter, "splitter");
        Checks.notNull(reducer, "reducer");
        Checks.inRange(maxParts, 1, 64, "maxParts");
        TaskRequest part = request.withoutInput().withOrigin(request.origin() != null ? request.origin()
            : localNodeId());
        FabricPlugin plugin = FabricPlugin.of(ignite);
        List<PartPlan> plan = new PartitionPlanner(plugin.selector()).plan(plugin.fabricMap(), part, weightsOf(part),
            maxParts, MIN_SHARE);
        List<Double> shares = new ArrayList<>(plan.size());
        plan.forEach(p -> shares.add(p.share()));
        List<byte[]> inputs = splitter.split(dataset, shares);
        if (inputs == null || inputs.size() != plan.size())
            throw new IllegalArgumentException("splitter: " + (inputs == null ? "null" : inputs.size() + " inputs")
                + " for " + plan.size() + " shares (expected: one input per share, in order)");
        long totalBytes = 0;
        for (int i = 0; i < inputs.size(); i++)
            totalBytes += Checks.notNull(inputs.get(i), "splitter input " + i).length;
        ProgressTracker tracker = new ProgressTracker(progress, plan.size(), totalBytes);
        tracker.start();
        List<TaskRun<byte[]>> runs = new ArrayList<>(plan.size());
        List<CompletableFuture<TaskRun.Result<byte[]>>> parts = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            byte[] in = inputs.get(i);
            TaskRequest pinned = part.withFabric(plan.get(i).fabric().getFabricId()).withInputBytes(in.length);
            TaskRun<byte[]> run = new TaskRun<>(this, pinned, new FunctionAttempt<>(plugin, request.function(),
                TaskInput.of(in), TaskOutput.bytes()));
            runs.add(run);
            parts.add(CompletableFuture.supplyAsync(run::run, pool).thenApply(r -> {
                tracker.partDone(in.length);
                return r;
            }));
        }
        List<byte[]> outputs = new ArrayList<>(plan.size());
        List<Placement> placements = new ArrayList<>(plan.size());
        for (int i = 0; i < parts.size(); i++) {
            try {
                TaskRun.Result<byte[]> r = parts.get(i).join();
                outputs.add(r.value);
                placements.add(r.placement);
            }
            catch (java.util.concurrent.CompletionException e) {
                runs.forEach(TaskRun::cancel);
                Throwable cause = e.getCause() != null ? e.getCause() : e;
                throw new IgniteException("part " + (i + 1) + " of " + parts.size() + " of " + request.function()
                    + " (planned on " + plan.get(i).fabric().getFabricType() + ' ' + plan.get(i).fabric().getModel()
                    + ") failed: " + TaskRun.message(cause), cause);
            }
        }
        return new PartitionedResult<>(reducer.reduce(outputs), plan, placements);
    }

    @Override
    public CostWeights weightsOf(TaskRequest request) {
        return PriorityClass.weightsFor(FabricPlugin.of(ignite).priorityClasses(), request.weights(),
            request.priority());
    }

    @Override
    public FabricOrchestrator orchestrator() {
        FabricOrchestrator o = orchestrator;
        if (o == null) {
            o = ignite.services().serviceProxy(FabricMapSchema.ORCHESTRATOR_SERVICE, FabricOrchestrator.class,
                false, 10_000);
            orchestrator = o;
        }
        return o;
    }

    @Override
    public java.util.List<HeldPlacement> heldPlacements() {
        return java.util.List.copyOf(held.values());
    }

    @Override
    public boolean awaitReleases(java.time.Duration timeout) {
        try {
            return channel.awaitReleases(timeout.toMillis());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Stops the worker threads and the placement listener; the node calls it when it stops. */
    public void close() {
        channel.close();
        ignite.message().stopLocalListen(OrchestratorService.PLACED_TOPIC, placedListener);
        pool.shutdownNow();
    }

    private TaskRun<byte[]> functionRun(TaskRequest request) {
        return new TaskRun<>(this, request, new FunctionAttempt<>(FabricPlugin.of(ignite), request.function(),
            TaskInput.of(request.inputUnsafe()), TaskOutput.bytes()));
    }

    private <T> TaskRun<T> closureRun(TaskRequest request, IgniteCallable<T> job) {
        if (job == null)
            throw new IllegalArgumentException("job: null (expected: an IgniteCallable)");
        return new TaskRun<>(this, request.asClosure(), new TaskRun.Attempt<T>() {
            @Override
            public PlacedTask<?> task(Placement p) {
                return PlacedTask.closure(p, job);
            }

            @SuppressWarnings("unchecked")
            @Override
            public T result(Placement p, Object jobResult) {
                return (T)jobResult;
            }
        });
    }

    private <T> IgniteFuture<T> submit(TaskRun<?> run, Supplier<T> body) {
        return new FabricFuture<>(CompletableFuture.supplyAsync(body, pool), run::cancel);
    }

    FabricPluginConfiguration configuration() {
        return cfg;
    }

    IgniteLogger log() {
        return log;
    }

    UUID localNodeId() {
        return ignite.cluster().localNode().id();
    }

    /** Counts a placement in this node's metrics; {@code failover} when it replaces a lost attempt. */
    void placed(boolean failover) {
        FabricPlugin.of(ignite).metrics().routed(failover);
    }

    IgniteCompute computeOn(UUID nodeId, long timeoutMs) {
        return ignite.compute(ignite.cluster().forNodeId(nodeId)).withNoFailover().withTimeout(timeoutMs);
    }

    /** The line to the orchestrator that batches this node's placements and releases. */
    OrchestratorChannel channel() {
        return channel;
    }

    /** Records that this node holds {@code attempt} (placed, or ended and not yet released). */
    void hold(HeldPlacement attempt) {
        held.put(attempt.taskId(), attempt);
    }

    /** Forgets {@code attempt} once an orchestrator took its release (or the caller gave up). */
    void drop(HeldPlacement attempt) {
        held.remove(attempt.taskId(), attempt);
    }

    /** Starts listening for the orchestrator's message that task {@code taskId} was placed from the queue. */
    void watch(UUID taskId) {
        waiting.put(taskId, new Waiter());
    }

    /** Stops listening for {@code taskId}. */
    void forget(UUID taskId) {
        waiting.remove(taskId);
    }

    /** Waits up to {@code ms} for the orchestrator's message that a queued task was placed. */
    void awaitPlacement(UUID taskId, long ms) {
        Waiter w = waiting.get(taskId);
        try {
            if (w != null)
                w.wake.tryAcquire(ms, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The placement the orchestrator sent for a waiting task's {@code attempt} (taken once), or null. */
    Placement takePlaced(UUID taskId, int attempt) {
        Waiter w = waiting.get(taskId);
        Placement p = w == null ? null : w.placed;
        if (p == null || p.attempt() != attempt)
            return null;
        w.placed = null;
        return p;
    }

    /** A task waiting in the orchestrator's queue: woken by its placement message, which it keeps. */
    private static final class Waiter {
        final Semaphore wake = new Semaphore(0);
        volatile Placement placed;
    }
}
