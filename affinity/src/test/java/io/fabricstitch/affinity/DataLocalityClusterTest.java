package io.fabricstitch.affinity;

import static io.fabricstitch.affinity.TestNodes.FN;
import static io.fabricstitch.affinity.TestNodes.FPGA_MODEL;
import static io.fabricstitch.affinity.TestNodes.GPU_MODEL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricTaskContext;
import io.fabricstitch.ignite.placement.LatencyMatrix;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cache.affinity.Affinity;
import org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The router and {@link AffinityCompute} on a real cluster (see {@link TestNodes}: n0 CPU only, n1 a GPU of speed 8,
 * n2 an FPGA of speed 0.5, both 5 ms away), called from n0. Jobs read at 10 MiB/s on a CPU, priority
 * {@code latency-critical} (1 point per ms, 0.5 per full fabric); no link is measured, so 100 MiB/s is assumed unless
 * a test gives the router a matrix of its own. After every test the ledger must be empty.
 */
class DataLocalityClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final String DATA = "data";
    static final long SMALL = 16 << 10;
    static final long LARGE = 1 << 20;

    /** Opened by a test to let {@link #HELD} jobs finish (the nodes share this JVM). */
    static volatile CountDownLatch gate = new CountDownLatch(0);

    /** Holds its fabric until the gate opens, then names it. */
    static final IgniteCallable<String> HELD = () -> {
        FabricTaskContext ctx = FabricTaskContext.current();
        while (!gate.await(10, TimeUnit.MILLISECONDS)) {
            if (ctx.isCancelled())
                throw new IllegalStateException("cancelled");
        }
        return ctx.fabric().getModel();
    };

    static Ignite n0;

    @BeforeAll
    static void startCluster() {
        n0 = TestNodes.start(CLUSTER);
        n0.getOrCreateCache(new CacheConfiguration<Integer, byte[]>(DATA)
            .setAffinity(new RendezvousAffinityFunction(false, 32)));
        n0.getOrCreateCache(TestNodes.<Integer, byte[]>xmlCache("gpuBackups"));
    }

    @AfterEach
    void ledgerEndsEmpty() {
        gate.countDown();
        Timing.await("no reservation in the ledger and every fabric free", () ->
            FabricCompute.of(n0).orchestrator().reservedUnits().isEmpty() && FabricPlugin.of(n0).fabricMap().stream()
                .allMatch(e -> e.getResourceFree() == e.getResourceCount()),
            () -> "reserved " + FabricCompute.of(n0).orchestrator().reservedUnits());
    }

    static DataLocalityRequest.Builder job(long bytes, FabricType... types) {
        return DataLocalityRequest.builder(FN).fabricTypes(types).priority("latency-critical").dataBytes(bytes)
            .referenceMibPerSecond(10);
    }

    static ClusterNode node(String name) {
        return n0.cluster().forServers().nodes().stream().filter(n -> TestNodes.name(n).equals(name)).findFirst()
            .orElseThrow();
    }

    /** A partition of {@code cache} whose primary is {@code name}, and whose backup (if any) is n1. */
    static int partitionOn(String cache, String name) {
        Affinity<Object> aff = n0.affinity(cache);
        for (int p : aff.primaryPartitions(node(name))) {
            if (aff.mapPartitionToPrimaryAndBackups(p).stream().skip(1).allMatch(n -> TestNodes.name(n).equals("n1")))
                return p;
        }
        throw new AssertionError("no partition of " + cache + " on " + name);
    }

    /** A key of {@link #DATA} whose primary is {@code name}. */
    static int keyOn(String name) {
        UUID id = node(name).id();
        for (int k = 0; ; k++) {
            if (n0.affinity(DATA).mapKeyToNode(k).id().equals(id))
                return k;
        }
    }

    static FabricEntry fabric(FabricType type, String nodeName) {
        UUID id = node(nodeName).id();
        return FabricPlugin.of(n0).fabricMap().stream().filter(e -> e.getFabricType() == type
            && e.getNodeId().equals(id)).findFirst().orElseThrow();
    }

    /** {@code resourceWeight x 1 / count} for one unit of {@code f}, at price 1. */
    static double oneUnit(FabricEntry f) {
        return 0.5 / f.getResourceCount();
    }

    @Test
    void choiceFlipsWithDataSize_smallStaysOnThePrimarysCpu_largeGoesToTheFastGpuElsewhere() {
        DataLocalityRouter router = DataLocalityRouter.of(n0);
        int p = partitionOn(DATA, "n0");
        FabricEntry cpu = fabric(FabricType.CPU, "n0");

        LocalityDecision small = router.decideForPartition(DATA, p, job(SMALL, FabricType.GPU, FabricType.CPU).build());
        assertTrue(small.isPrimary(), small::toString);
        assertEquals(cpu.getFabricId(), small.fabric().getFabricId());
        assertEquals(node("n0").id(), small.primaryNodeId());
        assertEquals(0, small.networkMs());
        assertEquals(0, small.transferMs());
        assertEquals(1.5625, small.computeMs(), 1e-9, "16 KiB at 10 MiB/s");
        assertEquals(1.5625 + oneUnit(cpu), small.cost(), 1e-9);

        LocalityDecision large = router.decideForPartition(DATA, p, job(LARGE, FabricType.GPU, FabricType.CPU).build());
        assertEquals(GPU_MODEL, large.fabric().getModel(), large::toString);
        assertEquals(node("n1").id(), large.nodeId());
        assertFalse(large.isPrimary());
        assertEquals(5, large.networkMs(), 1e-9, "the GPU's LATENCY_MS");
        assertEquals(10, large.transferMs(), 1e-9, "1 MiB at 100 MiB/s assumed");
        assertEquals(12.5, large.computeMs(), 1e-9, "1 MiB at 10 MiB/s x 8");
        assertEquals(27.5 + oneUnit(large.fabric()), large.cost(), 1e-9);
        assertEquals(100 + oneUnit(cpu), large.bestOnPrimary().orElseThrow().cost(), 1e-9);
    }

    @Test
    void choiceFlipsWithFabricSpeed_theSameDataStaysOnThePrimary_whenTheAcceleratorIsSlow() {
        DataLocalityRouter router = DataLocalityRouter.of(n0);
        int p = partitionOn(DATA, "n0");
        LocalityDecision slow = router.decideForPartition(DATA, p, job(LARGE, FabricType.FPGA, FabricType.CPU).build());
        assertTrue(slow.isPrimary(), slow::toString);
        LocalityCandidate fpga = router.decideForPartition(DATA, p, job(LARGE, FabricType.FPGA).build()).chosen();
        assertEquals(FPGA_MODEL, fpga.fabric().getModel());
        assertEquals(200, fpga.computeMs(), 1e-9, "1 MiB at 10 MiB/s x 0.5");
        assertEquals(5 + 10 + 200 + oneUnit(fpga.fabric()), fpga.cost(), 1e-9);

        LocalityDecision fast = router.decideForPartition(DATA, p, job(LARGE, FabricType.GPU, FabricType.CPU).build());
        assertEquals(GPU_MODEL, fast.fabric().getModel(), fast::toString);
    }

    @Test
    void measuredBandwidth_beatsTheAssumedOne_aSlowLinkKeepsTheDataOnThePrimary() {
        UUID a = node("n0").id();
        UUID b = node("n1").id();
        int p = partitionOn(DATA, "n0");
        DataLocalityRequest req = job(LARGE, FabricType.GPU, FabricType.CPU).build();
        LatencyMatrix slowLink = LatencyMatrix.of(1, Map.of(a, Map.of(b, 2.0)), Map.of(a, Map.of(b, 1.0)));
        DataLocalityRouter measuring = new DataLocalityRouter(n0, () -> slowLink, 100);
        LocalityDecision slow = measuring.decideForPartition(DATA, p, req);
        assertTrue(slow.isPrimary(), slow::toString);
        LocalityCandidate gpu = measuring.decideForPartition(DATA, p, job(LARGE, FabricType.GPU).build()).chosen();
        assertTrue(gpu.isBandwidthMeasured());
        assertEquals(2 + 5, gpu.networkMs(), 1e-9, "measured round trip n0 -> n1 plus LATENCY_MS");
        assertEquals(2 + 1000, gpu.transferMs(), 1e-9, "round trip plus 1 MiB at 1 MiB/s measured");

        LatencyMatrix fastLink = LatencyMatrix.of(2, Map.of(a, Map.of(b, 2.0)), Map.of(a, Map.of(b, 1000.0)));
        LocalityDecision fast = new DataLocalityRouter(n0, () -> fastLink, 100).decideForPartition(DATA, p, req);
        assertEquals(GPU_MODEL, fast.fabric().getModel(), fast::toString);
        assertEquals(2 + 1, fast.transferMs(), 1e-9);

        assertTrue(DataLocalityRouter.of(n0).withAssumedBandwidthMibS(1).decideForPartition(DATA, p, req).isPrimary(),
            "an assumed 1 MiB/s keeps it too");
    }

    @Test
    void dataOnTheAcceleratedNode_isProcessedThere_withoutTransfer() {
        LocalityDecision d = DataLocalityRouter.of(n0).decideForPartition(DATA, partitionOn(DATA, "n1"),
            job(LARGE, FabricType.GPU, FabricType.CPU).build());
        assertTrue(d.isPrimary(), d::toString);
        assertEquals(GPU_MODEL, d.fabric().getModel());
        assertEquals(0, d.transferMs());
        assertEquals(5 + 12.5 + oneUnit(d.fabric()), d.cost(), 1e-9);
    }

    @Test
    void readFromBackups_sendsTheJobToTheGpuHoldingABackup_withoutTransfer() {
        int p = partitionOn("gpu-backups", "n0");
        DataLocalityRouter router = DataLocalityRouter.of(n0);
        LocalityDecision fromPrimary = router.decideForPartition("gpu-backups", p, job(LARGE).build());
        assertEquals(10, fromPrimary.transferMs(), 1e-9, fromPrimary::toString);
        LocalityDecision fromBackup = router.decideForPartition("gpu-backups", p, job(LARGE).readFromBackups(true)
            .build());
        assertEquals(GPU_MODEL, fromBackup.fabric().getModel(), fromBackup::toString);
        assertTrue(fromBackup.chosen().holdsData());
        assertEquals(0, fromBackup.transferMs());
    }

    @Test
    void call_runsTheJobOnTheChosenFabric_whereItReadsTheData() {
        int key = keyOn("n0");
        n0.<Integer, byte[]>cache(DATA).put(key, new byte[64 << 10]);
        IgniteCallable<String> read = () -> {
            Ignite local = Ignition.localIgnite();
            byte[] v = local.<Integer, byte[]>cache(DATA).get(key);
            return local.name() + ' ' + FabricTaskContext.current().fabric().getModel() + ' ' + v.length;
        };
        AffinityCompute ac = AffinityCompute.of(n0);
        assertEquals("n1 " + GPU_MODEL + " 65536", ac.call(DATA, key, job(LARGE).build(), read));
        assertEquals("n0 " + fabric(FabricType.CPU, "n0").getModel() + " 65536", ac.call(DATA, key,
            job(SMALL).build(), read));
    }

    @Test
    void callAsync_holdsTheChosenFabric_untilTheJobEnds() throws Exception {
        gate = new CountDownLatch(1);
        AffinityCompute ac = AffinityCompute.of(n0);
        int key = keyOn("n0");
        UUID gpu = fabric(FabricType.GPU, "n1").getFabricId();
        assertEquals(gpu, ac.decide(DATA, key, job(LARGE).build()).fabric().getFabricId());
        IgniteFuture<String> f = ac.callAsync(DATA, key, job(LARGE).amount(256).build(), HELD);
        Timing.await("256 MiB of the GPU reserved", () -> Map.of(gpu, 256L).equals(FabricCompute.of(n0)
            .orchestrator().reservedUnits()), () -> "reserved " + FabricCompute.of(n0).orchestrator().reservedUnits());
        gate.countDown();
        assertEquals(GPU_MODEL, f.get(Timing.CONDITION.toMillis()));

        int p = partitionOn(DATA, "n1");
        assertEquals(GPU_MODEL, ac.callForPartitionAsync(DATA, p, job(LARGE).build(), HELD)
            .get(Timing.CONDITION.toMillis()));
        assertEquals(GPU_MODEL, ac.callForPartition(DATA, p, job(LARGE).build(), HELD));
    }

    static void refused(Executable call, String... parts) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        for (String part : parts)
            assertTrue(e.getMessage().contains(part), () -> "'" + e.getMessage() + "' lacks '" + part + "'");
    }

    @Test
    void badArguments_areRefused_namingTheField() {
        AffinityCompute ac = AffinityCompute.of(n0);
        DataLocalityRequest req = job(LARGE).build();
        refused(() -> ac.decide("nope", 1, req), "cacheName: 'nope' (expected: a started cache, one of [", DATA);
        refused(() -> ac.decide(null, 1, req), "cacheName: null");
        refused(() -> ac.decide(DATA, null, req), "key: null");
        refused(() -> ac.decide(DATA, 1, null), "request: null");
        refused(() -> ac.decideForPartition(DATA, 32, req), "partition: 32 (expected: 0..31)");
        refused(() -> ac.decide(DATA, 1, DataLocalityRequest.builder(FN).priority("urgent").dataBytes(1)
            .referenceMibPerSecond(1).build()), "priority: 'urgent' (expected: one of ", "latency-critical");
        refused(() -> ac.call(DATA, 1, req, null), "job: null");
        refused(() -> DataLocalityRouter.of(n0).withAssumedBandwidthMibS(0), "assumedBandwidthMibS: 0.0");

        NoSuitableFabricException e = assertThrows(NoSuitableFabricException.class,
            () -> ac.call(DATA, 1, job(LARGE, FabricType.ASIC).build(), HELD));
        assertTrue(e.getMessage().startsWith("no fabric for matmul.f32 needing 1 ASIC"), e.getMessage());
        assertTrue(e.getMessage().contains("[cache=data, partition=" + n0.affinity(DATA).partition(1)), e.getMessage());
    }
}
