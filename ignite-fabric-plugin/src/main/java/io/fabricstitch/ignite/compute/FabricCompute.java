package io.fabricstitch.ignite.compute;

import io.fabricstitch.ignite.placement.PartitionPlanner;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.internal.FabricFuture;
import io.fabricstitch.ignite.internal.OrchestratorService;
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
 * Runs work on the acceleration plane: each call names a {@link TaskRequest}; the cluster's orchestrator picks the
 * fabric with the least {@code LatencyWeight * NetworkLatency + ResourceWeight * ResourceCost}, reserves the
 * requested amount of its resource, and the work runs on that fabric's node. The reservation is released however the
 * task ends (success, failure, cancel, timeout, node death). When every capable fabric is busy, the task waits in the
 * orchestrator's bounded queue; when its fabric's node leaves mid-run it is placed again elsewhere, never on the same
 * fabric, at most {@code orchestrator.maxAttempts} times.
 * <pre>{@code
 * FabricCompute fabrics = FabricCompute.of(ignite);
 * TaskResult blurred = fabrics.execute(TaskRequest.builder("image.gaussian-blur")
 *     .require(FabricType.FPGA, 100).priority("latency-critical").input(png).build());
 * System.out.println(blurred.placement());   // where it ran, and both cost terms
 * }</pre>
 * Thread-safe; one instance per node.
 */
public final class FabricCompute {
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

    /** Created by the plugin when the node starts; applications use {@link #of(Ignite)}. */
    public FabricCompute(Ignite ignite, FabricPluginConfiguration cfg, IgniteLogger log) {
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

    /**
     * The API of a started node (server or client) with the Fabric Stitch plugin.
     *
     * @throws IllegalStateException when the node runs without the plugin
     */
    public static FabricCompute of(Ignite ignite) {
        return FabricPlugin.of(ignite).compute();
    }

    /**
     * Runs the request's function on the cheapest fitting fabric and returns its output with the placement.
     *
     * @throws NoSuitableFabricException when no fabric could ever take the request
     * @throws FabricBusyException when capable fabrics stayed busy past the queue bounds
     * @throws org.apache.ignite.compute.ComputeTaskTimeoutException when it ran past its timeout
     * @throws org.apache.ignite.IgniteException when the function failed, with its message
     */
    public TaskResult execute(TaskRequest request) {
        TaskRun.Result<byte[]> r = functionRun(request).run();
        return new TaskResult(r.value, r.placement, r.ranAs);
    }

    /** {@link #execute} without blocking; cancelling the future stops the task and releases its fabric. */
    public IgniteFuture<TaskResult> executeAsync(TaskRequest request) {
        TaskRun<byte[]> run = functionRun(request);
        return submit(run, () -> {
            TaskRun.Result<byte[]> r = run.run();
            return new TaskResult(r.value, r.placement, r.ranAs);
        });
    }

    /**
     * Runs the request's function on a file and writes its output to another, in bounded memory on both ends when
     * a data path carries them: the input streams from {@code input} to the fabric's agent (DIRECT on one site, TLS
     * across sites; see {@link DataPathChoice}), the output streams back into {@code output}. The output file appears,
     * complete, only when the task succeeded ({@code <output>.part} until then). The request's own input is ignored;
     * the file's size decides the path. Without a data path the file rides in the Ignite job, up to 256 MiB.
     *
     * @return the placement that produced the output
     * @throws IllegalArgumentException when {@code input} is not a readable file or {@code output} not a writable
     *     path, naming it
     * @throws NoSuitableFabricException when no fabric could ever take the request
     * @throws org.apache.ignite.IgniteException when the function failed, or every data path attempt failed, with
     *     the reason
     */
    public Placement execute(TaskRequest request, Path input, Path output) {
        return execute(request, input, output, ProgressListener.NONE);
    }

    /**
     * {@link #execute(TaskRequest, Path, Path)}, telling {@code progress} how many bytes of the file have been
     * streamed over the data path (all of them at once when the file rides in the job) and, at the end, part 1 of 1.
     */
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

    /**
     * Runs {@code job} on the node of the cheapest fitting fabric for {@code request} (its function names what the
     * fabric must run), with that fabric reserved; inside, {@link FabricTaskContext#current()} gives the fabric.
     * The node must be able to load {@code job}'s class: from the caller when every node has
     * {@code peerClassLoadingEnabled=true}, else from its own class path ({@code <fabric home>/lib/ext}, or
     * {@code bin/fabric node --classpath}); when it cannot, the {@code IgniteException} names the class and both fixes.
     */
    public <T> T call(TaskRequest request, IgniteCallable<T> job) {
        return closureRun(request, job).run().value;
    }

    /** {@link #call} without blocking; cancelling the future stops the task and releases its fabric. */
    public <T> IgniteFuture<T> callAsync(TaskRequest request, IgniteCallable<T> job) {
        TaskRun<T> run = closureRun(request, job);
        return submit(run, () -> run.run().value);
    }

    /** Most parts {@link #map} cuts a task into unless told otherwise. */
    public static final int DFLT_MAX_PARTS = 8;

    /** Smallest share of the work a part gets; fabrics that would get less take no part. */
    static final double MIN_SHARE = 0.02;

    /**
     * Runs a partitioned task: shares the work out among the fabrics that can take a part now, in proportion to
     * {@code speedFactor / (1 + cost)} (so a faster fabric gets more and a far or loaded one less; see
     * {@link PartPlan}), has {@code splitter} cut {@code dataset} into one input per share, runs the parts in parallel,
     * each pinned to its fabric with its reservation, and hands their outputs, in order, to {@code reducer}. A part
     * whose fabric is lost fails over alone, to any fabric that fits (the others keep running); a part that fails for
     * any other reason fails the task (the other parts are cancelled).
     *
     * @param request what each part needs: function, accepted types, amount per part, priority, timeout; its input is
     *     ignored (the parts' inputs come from {@code splitter})
     * @throws NoSuitableFabricException when no fabric could take a part now
     * @throws IllegalArgumentException when the splitter gives a different number of inputs than shares
     * @throws org.apache.ignite.IgniteException when a part fails, naming it
     */
    public <D, R> PartitionedResult<R> map(TaskRequest request, D dataset, Splitter<D> splitter, Reducer<R> reducer) {
        return map(request, dataset, splitter, reducer, DFLT_MAX_PARTS);
    }

    /** {@link #map(TaskRequest, Object, Splitter, Reducer)} with at most {@code maxParts} parts (1..64). */
    public <D, R> PartitionedResult<R> map(TaskRequest request, D dataset, Splitter<D> splitter, Reducer<R> reducer,
        int maxParts) {
        return map(request, dataset, splitter, reducer, maxParts, ProgressListener.NONE);
    }

    /**
     * {@link #map(TaskRequest, Object, Splitter, Reducer, int)}, telling {@code progress} how many parts are done of
     * how many, with their input bytes: once when the parts start, then as each part finishes.
     */
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

    /**
     * The weights a request is placed with: its explicit weights, or those of its priority class.
     *
     * @throws IllegalArgumentException naming the unknown class and the known ones
     */
    public CostWeights weightsOf(TaskRequest request) {
        return PriorityClass.weightsFor(FabricPlugin.of(ignite).priorityClasses(), request.weights(),
            request.priority());
    }

    /** The cluster's orchestrator (a proxy to the singleton service, wherever it runs now). */
    public FabricOrchestrator orchestrator() {
        FabricOrchestrator o = orchestrator;
        if (o == null) {
            o = ignite.services().serviceProxy(FabricMapSchema.ORCHESTRATOR_SERVICE, FabricOrchestrator.class,
                false, 10_000);
            orchestrator = o;
        }
        return o;
    }

    /**
     * The attempts placed from this node whose release no orchestrator has taken yet: running ones, and ended ones
     * whose release is being retried. An orchestrator that has just moved asks every node for them, so that it
     * holds what runs and records what ended, whatever its predecessor had written before it died.
     */
    public java.util.List<HeldPlacement> heldPlacements() {
        return java.util.List.copyOf(held.values());
    }

    /**
     * Waits until the releases of every task this node has finished so far have reached the orchestrator, and with
     * them their final {@code TASK_ASSIGNMENT} rows: a task returns its result before its release, which follows in
     * the node's next release batch, milliseconds later. For a tool or a test that reads the record of tasks it just
     * ran.
     *
     * @return true when they have, false when {@code timeout} passed first
     */
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
