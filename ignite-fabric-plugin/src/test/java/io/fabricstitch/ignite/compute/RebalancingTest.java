package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.spi.collision.jobstealing.JobStealingCollisionSpi;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Rebalancing of queued work with Ignite's {@link JobStealingCollisionSpi} and {@link FabricFailoverSpi}: a burst of
 * GPU jobs that the cost function sends to the nearest GPU (r1) queues there, one job at a time; with stealing on, the
 * idle GPU node r2 (same fabric kind, {@code fabric.stitch.types = GPU,CPU}) takes queued jobs, so the longest chain
 * of jobs on one fabric, and with it the burst's makespan, shrinks. The caller r0 (CPU only) never steals GPU work.
 */
class RebalancingTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final int JOBS = 10;
    static final long JOB_MS = 400;

    static Ignite r0;
    static final List<JobStealingCollisionSpi> SPIS = new ArrayList<>();

    static Ignite start(String name, String types, DeclaredFabric gpu) {
        FabricPluginConfiguration p = new FabricPluginConfiguration()
            .setAgent(new FabricAgentConfiguration().setDeclaredFabrics(gpu == null ? List.of() : List.of(gpu))
                .setDeviceAllowList(List.of(gpu == null ? "declared:none" : "declared:" + gpu.getName())))
            // the burst must aim at r1 by its declared 1 ms: no measured latencies
            .setNetwork(new FabricNetworkConfiguration().setBeaconsEnabled(false));
        JobStealingCollisionSpi stealing = new JobStealingCollisionSpi()
            .setActiveJobsThreshold(1)             // one job at a time per node: the GPU's one slot
            .setWaitJobsThreshold(1)            // a thief asks for its slot plus one queued job
            .setMessageExpireTime(Timing.scaled(500))
            .setMaximumStealingAttempts(10)
            .setStealingAttributes(Map.of(FabricMapSchema.ATTR_TYPES, types));
        SPIS.add(stealing);
        IgniteConfiguration cfg = CLUSTER.configuration(name, p)
            .setMetricsUpdateFrequency(200)        // stealing reacts to the nodes' waiting-job metrics
            .setCollisionSpi(stealing)
            .setLoadBalancingSpi(new FabricLoadBalancingSpi())
            .setFailoverSpi(new FabricFailoverSpi());
        return CLUSTER.start(cfg);
    }

    static DeclaredFabric gpu(String name, double latencyMs) {
        return new DeclaredFabric().setName(name).setType(FabricType.GPU).setModel(name + " (declared)")
            .setResourceUnit("MiB").setResourceCount(1024).setLatencyMs(latencyMs).setFunctions(List.of("sha256"));
    }

    @BeforeAll
    static void startCluster() {
        r0 = start("r0", "CPU", null);
        start("r1", "GPU,CPU", gpu("near", 1));
        start("r2", "GPU,CPU", gpu("far", 2));
        Timing.await("both GPUs in the caller's map", () -> FabricPlugin.of(r0).fabricMap().stream()
            .filter(f -> f.getFabricType() == FabricType.GPU).count() == 2);
    }

    /** One slot's worth of GPU work: holds its node's only job slot for {@link #JOB_MS}. */
    static final class GpuWork implements IgniteCallable<String>, FabricJob {
        private static final long serialVersionUID = 1L;

        @IgniteInstanceResource
        private transient Ignite ignite;

        @Override
        public TaskRequest fabricRequest() {
            return TaskRequest.builder("sha256").require(FabricType.GPU, 64).priority("latency-critical").build();
        }

        @Override
        public String call() throws InterruptedException {
            Thread.sleep(JOB_MS); // the work itself
            return ignite.name();
        }
    }

    /** Runs the burst; returns jobs per node, and prints the makespan. */
    static Map<String, Integer> burst(boolean rebalancing) {
        SPIS.forEach(s -> s.setStealingEnabled(rebalancing));
        long start = System.nanoTime();
        List<IgniteFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < JOBS; i++)
            futures.add(r0.compute().withTimeout(Timing.scaled(60_000)).callAsync(new GpuWork()));
        Map<String, Integer> perNode = new TreeMap<>();
        for (IgniteFuture<String> f : futures)
            perNode.merge(f.get(), 1, Integer::sum);
        long ms = (System.nanoTime() - start) / 1_000_000;
        System.out.println("burst of " + JOBS + " x " + JOB_MS + " ms GPU jobs, rebalancing " + (rebalancing ? "on" : "off")
            + ": makespan " + ms + " ms, jobs per node " + perNode);
        return perNode;
    }

    @Test
    void burstAimedAtOneFabric_finishesSoonerWithRebalancingOn() {
        Map<String, Integer> off = burst(false);
        assertEquals(Map.of("r1", JOBS), off, "without rebalancing every job waits for the nearest GPU");
        Map<String, Integer> on = burst(true);
        assertEquals(JOBS, on.values().stream().mapToInt(Integer::intValue).sum(), "every job ran exactly once");
        assertTrue(on.getOrDefault("r2", 0) >= 1, "the idle GPU took queued jobs: " + on);
        assertTrue(!on.containsKey("r0"), "the CPU-only caller stole no GPU job: " + on);
        int longestChainOff = Collections.max(off.values());
        int longestChainOn = Collections.max(on.values());
        assertTrue(longestChainOn < longestChainOff, "the longest chain of jobs on one fabric, hence the makespan's "
            + "lower bound (chain x " + JOB_MS + " ms), shrinks: " + longestChainOn + " < " + longestChainOff);
    }
}
