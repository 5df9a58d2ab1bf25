package io.fabricstitch.affinity;

import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricTaskContext;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.internal.Checks;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;

/**
 * Runs closures over cached data where the {@link DataLocalityRouter} says: on the data's primary node, or on an
 * accelerated node when moving the data there costs less than computing it in place. Each call decides, then runs the
 * closure through {@link FabricCompute#call} with the request pinned to the chosen fabric, so the fabric is reserved
 * while the closure runs and the closure sees it in {@link FabricTaskContext#current()}.
 * <pre>{@code
 * AffinityCompute ac = AffinityCompute.of(ignite);
 * float[] r = ac.call("embeddings", key, req, () -> {
 *     float[] v = Ignition.localIgnite().<Long, float[]>cache("embeddings").get(key);   // local on the primary
 *     return score(v, FabricTaskContext.current());
 * });
 * }</pre>
 * The closure reads the data itself (a local read on the primary, a remote one elsewhere). Ignite does not keep the
 * partition on the chosen node while the closure runs, as {@code affinityCall} does: if it moves meanwhile, the read
 * goes to the new owner. If the chosen fabric is lost mid-run, the plugin places the job again wherever it fits best.
 * Thread-safe.
 */
public final class AffinityCompute {
    private final DataLocalityRouter router;

    private AffinityCompute(DataLocalityRouter router) {
        this.router = Checks.notNull(router, "router");
    }

    /**
     * The API of a started node (server or client) with the Fabric Stitch plugin, with a default router.
     *
     * @throws IllegalStateException when the node runs without the plugin
     */
    public static AffinityCompute of(Ignite ignite) {
        return new AffinityCompute(DataLocalityRouter.of(ignite));
    }

    /** The API deciding with {@code router} (e.g. one with another assumed bandwidth). */
    public static AffinityCompute of(DataLocalityRouter router) {
        return new AffinityCompute(router);
    }

    /** The router calls decide with. */
    public DataLocalityRouter router() {
        return router;
    }

    /** Where a job over {@code key}'s data would run now; see {@link DataLocalityRouter#decide}. */
    public LocalityDecision decide(String cacheName, Object key, DataLocalityRequest req) {
        return router.decide(cacheName, key, req);
    }

    /** Where a job over a partition's data would run now; see {@link DataLocalityRouter#decideForPartition}. */
    public LocalityDecision decideForPartition(String cacheName, int partition, DataLocalityRequest req) {
        return router.decideForPartition(cacheName, partition, req);
    }

    /**
     * Runs {@code job} on the fabric chosen for {@code key}'s data, reserved while it runs, and returns its result.
     *
     * @throws IllegalArgumentException naming a bad argument
     * @throws NoSuitableFabricException when no fabric could ever take the job
     * @throws org.apache.ignite.IgniteException when the job failed or timed out, or its fabric stayed busy
     */
    public <T> T call(String cacheName, Object key, DataLocalityRequest req, IgniteCallable<T> job) {
        checkJob(job);
        return compute().call(decide(cacheName, key, req).taskRequest(), job);
    }

    /**
     * {@link #call} without blocking: decides now (bad arguments throw at once), then runs; cancelling the future
     * stops the job and releases its fabric.
     */
    public <T> IgniteFuture<T> callAsync(String cacheName, Object key, DataLocalityRequest req, IgniteCallable<T> job) {
        checkJob(job);
        return compute().callAsync(decide(cacheName, key, req).taskRequest(), job);
    }

    /** As {@link #call}, for a job over a whole partition (a local scan of it, say). */
    public <T> T callForPartition(String cacheName, int partition, DataLocalityRequest req, IgniteCallable<T> job) {
        checkJob(job);
        return compute().call(decideForPartition(cacheName, partition, req).taskRequest(), job);
    }

    /** As {@link #callAsync}, for a job over a whole partition. */
    public <T> IgniteFuture<T> callForPartitionAsync(String cacheName, int partition, DataLocalityRequest req,
        IgniteCallable<T> job) {
        checkJob(job);
        return compute().callAsync(decideForPartition(cacheName, partition, req).taskRequest(), job);
    }

    private static void checkJob(IgniteCallable<?> job) {
        if (job == null)
            throw new IllegalArgumentException("job: null (expected: an IgniteCallable)");
    }

    private FabricCompute compute() {
        return FabricCompute.of(router.ignite());
    }

    @Override
    public String toString() {
        return "AffinityCompute [" + router + ']';
    }
}
