package io.fabricstitch.affinity;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.placement.LatencyMatrix;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.internal.Checks;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cache.affinity.Affinity;
import org.apache.ignite.cluster.ClusterNode;

/**
 * Chooses, for a job over one key's or one partition's data, between the fabrics of the data's primary node (no
 * transfer) and those of other nodes (the data moves first), by the plugin's cost function with the job's whole wait
 * as its latency:
 * <pre>
 * Cost = LatencyWeight x (networkMs + transferMs + computeMs) + ResourceWeight x ResourceCost
 *
 * networkMs  = round trip origin -> fabric's node (LatencyMatrix; unmeasured: 0) + the fabric's LATENCY_MS
 * transferMs = 0 on the primary (or a backup, when the job reads from backups); elsewhere
 *              round trip primary -> node (unmeasured: 0) + dataBytes / bandwidth(primary, node)
 * computeMs  = dataBytes / (referenceMibPerSecond x speedFactor)
 * ResourceCost = utilizationAfter(count, free, amount) x price of the fabric's type
 * </pre>
 * Times are milliseconds, sizes MiB (2<sup>20</sup> bytes) and rates MiB/s. {@code LatencyWeight} is cost points per
 * millisecond the job waits for its result; {@code ResourceWeight} cost points for leaving a fabric fully used at price
 * 1.0; both come from the request's priority class or explicit weights, prices from {@code orchestrator.fabricPrices}.
 * The bandwidth is the data path's measured throughput between the two nodes ({@link LatencyMatrix#bandwidthMibS}) and,
 * until one is measured, {@link #assumedBandwidthMibS()} (default {@value #DFLT_ASSUMED_BANDWIDTH_MIB_S} MiB/s).
 * <p>
 * Candidates are the fabrics the plugin's selector would consider: they run the function, have an accepted type, are
 * ONLINE (DEGRADED only with {@code orchestrator.allowDegraded} when no ONLINE one fits) and have the amount free; when
 * every fitting fabric is busy, the cheapest by capacity is chosen and the job waits for it. The least cost wins; equal
 * costs go to the primary's node, then to the lowest fabric id. The Fabric Map is read from this node's live copy,
 * so a choice is as fresh as the map.
 * <pre>{@code
 * LocalityDecision d = DataLocalityRouter.of(ignite).decide("embeddings", key, req);
 * System.out.println(d);   // the chosen fabric, its three times and cost, and the best on the other side
 * }</pre>
 * Immutable and thread-safe.
 */
public final class DataLocalityRouter {
    /** Bandwidth assumed between two nodes whose data path has not been measured, MiB/s. */
    public static final double DFLT_ASSUMED_BANDWIDTH_MIB_S = 100;

    /** Largest {@link #assumedBandwidthMibS()}: 1 TiB/s. */
    public static final double MAX_BANDWIDTH_MIB_S = 1 << 20;

    private final Ignite ignite;
    private final Supplier<LatencyMatrix> latencies;
    private final double assumedBandwidthMibS;

    /** A router reading latencies from {@code latencies}; tests give it a matrix of their own. */
    DataLocalityRouter(Ignite ignite, Supplier<LatencyMatrix> latencies, double assumedBandwidthMibS) {
        this.ignite = Checks.notNull(ignite, "ignite");
        this.latencies = Checks.notNull(latencies, "latencies");
        this.assumedBandwidthMibS = Checks.positiveAtMost(assumedBandwidthMibS, MAX_BANDWIDTH_MIB_S,
            "assumedBandwidthMibS");
    }

    /**
     * The router of a started node (server or client) with the Fabric Stitch plugin, with the node's measured
     * latencies and bandwidths.
     *
     * @throws IllegalStateException when the node runs without the plugin
     */
    public static DataLocalityRouter of(Ignite ignite) {
        FabricPlugin.of(Checks.notNull(ignite, "ignite"));
        return new DataLocalityRouter(ignite, () -> FabricPlugin.of(ignite).selector().latencyMatrix(),
            DFLT_ASSUMED_BANDWIDTH_MIB_S);
    }

    /** A router like this one that assumes {@code mibPerSecond} where no bandwidth was measured ({@code > 0}). */
    public DataLocalityRouter withAssumedBandwidthMibS(double mibPerSecond) {
        return new DataLocalityRouter(ignite, latencies, mibPerSecond);
    }

    /** Bandwidth assumed between nodes whose data path has not been measured, MiB/s. */
    public double assumedBandwidthMibS() {
        return assumedBandwidthMibS;
    }

    /**
     * Where a job over {@code key}'s data should run.
     *
     * @throws IllegalArgumentException naming a bad argument: unknown cache, null key or request, unknown priority
     * @throws NoSuitableFabricException when no fabric could ever take the job
     */
    public LocalityDecision decide(String cacheName, Object key, DataLocalityRequest req) {
        Affinity<Object> aff = affinity(cacheName);
        Checks.notNull(key, "key");
        return decide(owners(cacheName, aff, aff.partition(key)), req);
    }

    /**
     * Where a job over partition {@code partition}'s data should run.
     *
     * @throws IllegalArgumentException naming a bad argument: unknown cache, partition out of range, null request,
     *     unknown priority
     * @throws NoSuitableFabricException when no fabric could ever take the job
     */
    public LocalityDecision decideForPartition(String cacheName, int partition, DataLocalityRequest req) {
        Affinity<Object> aff = affinity(cacheName);
        Checks.inRange(partition, 0, aff.partitions() - 1, "partition");
        return decide(owners(cacheName, aff, partition), req);
    }

    /** The node this router runs on. */
    Ignite ignite() {
        return ignite;
    }

    private LocalityDecision decide(PartitionOwners owners, DataLocalityRequest req) {
        Checks.notNull(req, "request");
        FabricPlugin plugin = FabricPlugin.of(ignite);
        TaskRequest task = req.task();
        CostWeights w = PriorityClass.weightsFor(plugin.priorityClasses(), task.weights(), task.priority());
        UUID origin = task.origin() != null ? task.origin() : ignite.cluster().localNode().id();
        LocalityScan scan = new LocalityScan(plugin.selector().costFunction(), plugin.configuration()
            .getOrchestrator().isAllowDegraded(), assumedBandwidthMibS);
        LocalityDecision d = scan.decide(plugin.fabricMap(), owners, req, w, origin, latencies.get());
        IgniteLogger log = ignite.log().getLogger(DataLocalityRouter.class);
        if (log.isDebugEnabled())
            log.debug(d.toString());
        return d;
    }

    private Affinity<Object> affinity(String cacheName) {
        Collection<String> names = ignite.cacheNames();
        if (cacheName == null || !names.contains(cacheName))
            throw new IllegalArgumentException("cacheName: " + (cacheName == null ? "null" : "'" + cacheName + "'")
                + " (expected: a started cache, one of " + new TreeSet<>(names) + ')');
        return ignite.affinity(cacheName);
    }

    private static PartitionOwners owners(String cacheName, Affinity<Object> aff, int partition) {
        Collection<ClusterNode> nodes = aff.mapPartitionToPrimaryAndBackups(partition);
        if (nodes.isEmpty())
            throw new IgniteException("cache '" + cacheName + "' has no node for partition " + partition
                + " (expected: a server node that passes the cache's node filter)");
        List<UUID> ids = new ArrayList<>(nodes.size());
        for (ClusterNode n : nodes)
            ids.add(n.id());
        return new PartitionOwners(cacheName, partition, ids.get(0), ids.subList(1, ids.size()));
    }

    @Override
    public String toString() {
        return "DataLocalityRouter [node=" + ignite.name() + ", assumedBandwidthMibS=" + assumedBandwidthMibS + ']';
    }
}
