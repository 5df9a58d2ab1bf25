package io.fabricstitch.ignite.compute;

import java.nio.file.Path;
import org.apache.ignite.Ignite;
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
 * Thread-safe; one instance per node, which the plugin creates when the node starts.
 */
public interface FabricCompute {
    /**
     * The API of a started node (server or client) with the Fabric Stitch plugin.
     *
     * @throws IllegalStateException when the node runs without the plugin
     */
    static FabricCompute of(Ignite ignite) {
        return ComputeEngine.of(ignite).compute();
    }

    /**
     * Runs the request's function on the cheapest fitting fabric and returns its output with the placement.
     *
     * @throws NoSuitableFabricException when no fabric could ever take the request
     * @throws FabricBusyException when capable fabrics stayed busy past the queue bounds
     * @throws org.apache.ignite.compute.ComputeTaskTimeoutException when it ran past its timeout
     * @throws org.apache.ignite.IgniteException when the function failed, with its message
     */
    TaskResult execute(TaskRequest request);

    /** {@link #execute} without blocking; cancelling the future stops the task and releases its fabric. */
    IgniteFuture<TaskResult> executeAsync(TaskRequest request);

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
    default Placement execute(TaskRequest request, Path input, Path output) {
        return execute(request, input, output, ProgressListener.NONE);
    }

    /**
     * {@link #execute(TaskRequest, Path, Path)}, telling {@code progress} how many bytes of the file have been
     * streamed over the data path (all of them at once when the file rides in the job) and, at the end, part 1 of 1.
     */
    Placement execute(TaskRequest request, Path input, Path output, ProgressListener progress);

    /**
     * Runs {@code job} on the node of the cheapest fitting fabric for {@code request} (its function names what the
     * fabric must run), with that fabric reserved; inside, {@link FabricTaskContext#current()} gives the fabric.
     * The node must be able to load {@code job}'s class: from the caller when every node has
     * {@code peerClassLoadingEnabled=true}, else from its own class path ({@code <fabric home>/lib/ext}, or
     * {@code bin/fabric node --classpath}); when it cannot, the {@code IgniteException} names the class and both fixes.
     */
    <T> T call(TaskRequest request, IgniteCallable<T> job);

    /** {@link #call} without blocking; cancelling the future stops the task and releases its fabric. */
    <T> IgniteFuture<T> callAsync(TaskRequest request, IgniteCallable<T> job);

    /** Most parts {@link #map} cuts a task into unless told otherwise. */
    int DFLT_MAX_PARTS = 8;


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
    default <D, R> PartitionedResult<R> map(TaskRequest request, D dataset, Splitter<D> splitter, Reducer<R> reducer) {
        return map(request, dataset, splitter, reducer, DFLT_MAX_PARTS);
    }

    /** {@link #map(TaskRequest, Object, Splitter, Reducer)} with at most {@code maxParts} parts (1..64). */
    default <D, R> PartitionedResult<R> map(TaskRequest request, D dataset, Splitter<D> splitter, Reducer<R> reducer,
        int maxParts) {
        return map(request, dataset, splitter, reducer, maxParts, ProgressListener.NONE);
    }

    /**
     * {@link #map(TaskRequest, Object, Splitter, Reducer, int)}, telling {@code progress} how many parts are done of
     * how many, with their input bytes: once when the parts start, then as each part finishes.
     */
    <D, R> PartitionedResult<R> map(TaskRequest request, D dataset, Splitter<D> splitter, Reducer<R> reducer,
        int maxParts, ProgressListener progress);

    /**
     * The weights a request is placed with: its explicit weights, or those of its priority class.
     *
     * @throws IllegalArgumentException naming the unknown class and the known ones
     */
    CostWeights weightsOf(TaskRequest request);

    /** The cluster's orchestrator (a proxy to the singleton service, wherever it runs now). */
    FabricOrchestrator orchestrator();

    /**
     * The attempts placed from this node whose release no orchestrator has taken yet: running ones, and ended ones
     * whose release is being retried. An orchestrator that has just moved asks every node for them, so that it
     * holds what runs and records what ended, whatever its predecessor had written before it died.
     */
    java.util.List<HeldPlacement> heldPlacements();

    /**
     * Waits until the releases of every task this node has finished so far have reached the orchestrator, and with
     * them their final {@code TASK_ASSIGNMENT} rows: a task returns its result before its release, which follows in
     * the node's next release batch, milliseconds later. For a tool or a test that reads the record of tasks it just
     * ran.
     *
     * @return true when they have, false when {@code timeout} passed first
     */
    boolean awaitReleases(java.time.Duration timeout);
}
