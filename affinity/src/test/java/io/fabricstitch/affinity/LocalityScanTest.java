package io.fabricstitch.affinity;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.placement.LatencyMatrix;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The decision's arithmetic and rules on maps built by hand: the three times, measured against assumed bandwidth,
 * ties, DEGRADED fabrics, busy fabrics, backups, and what is said when nothing fits. The caller is node O, the data's
 * primary node P, other nodes A and B; weights 1 point per ms and 0.5 per full fabric.
 */
class LocalityScanTest {
    static final UUID O = new UUID(0, 100);
    static final UUID P = new UUID(0, 101);
    static final UUID A = new UUID(0, 102);
    static final UUID B = new UUID(0, 103);
    static final CostWeights W = CostWeights.of(1.0, 0.5);
    static final PartitionOwners DATA = new PartitionOwners("data", 7, P, List.of(B));

    static FabricEntry fabric(int id, UUID node, FabricType type, long count, long free, double latencyMs,
        double speed, FabricStatus status) {
        return FabricEntry.builder().fabricId(new UUID(1, id)).nodeId(node).agentAddress("127.0.0.1:0")
            .site("default").fabricType(type).model(type + "-" + id).resourceUnit(type == FabricType.CPU ? "cores"
                : "MiB").resourceCount(count).resourceFree(free).latencyMs(latencyMs).speedFactor(speed)
            .supportedFunctions(List.of("matmul.f32")).status(status)
            .statusReason(status == FabricStatus.ONLINE ? "" : "test").updatedAt(Instant.EPOCH).build();
    }

    static FabricEntry cpu(int id, UUID node) {
        return fabric(id, node, FabricType.CPU, 4, 4, 0, 1, FabricStatus.ONLINE);
    }

    static FabricEntry gpu(int id, UUID node, double latencyMs, double speed) {
        return fabric(id, node, FabricType.GPU, 1024, 1024, latencyMs, speed, FabricStatus.ONLINE);
    }

    /** 1 MiB at 10 MiB/s on a fabric of speed 1 (100 ms on a CPU), any type. */
    static DataLocalityRequest.Builder mib() {
        return DataLocalityRequest.builder("matmul.f32").dataBytes(1 << 20).referenceMibPerSecond(10);
    }

    static LocalityDecision decide(List<FabricEntry> map, DataLocalityRequest req, LatencyMatrix m) {
        return new LocalityScan(CostFunction.standard(), false, 100).decide(map, DATA, req, W, O, m);
    }

    static Map<UUID, Map<UUID, Double>> row(UUID from, UUID to, double v) {
        return Map.of(from, Map.of(to, v));
    }

    @Test
    void terms_addNetworkFromTheOrigin_transferFromThePrimary_andCompute() {
        LatencyMatrix m = LatencyMatrix.of(1, Map.of(O, Map.of(A, 3.0, P, 1.0), P, Map.of(A, 4.0)),
            row(P, A, 50.0));
        LocalityDecision d = decide(List.of(cpu(1, P), gpu(2, A, 2, 8)), mib().build(), m);

        LocalityCandidate g = d.chosen();
        assertEquals(A, d.nodeId());
        assertFalse(d.isPrimary());
        assertEquals(3 + 2, g.networkMs(), 1e-9, "round trip O->A plus the GPU's LATENCY_MS");
        assertEquals(4 + 1000.0 / 50, g.transferMs(), 1e-9, "round trip P->A plus 1 MiB at 50 MiB/s measured");
        assertTrue(g.isBandwidthMeasured());
        assertEquals(1000.0 / (10 * 8), g.computeMs(), 1e-9, "1 MiB at 10 MiB/s x 8");
        assertEquals(5 + 24 + 12.5, g.latencyTerm(), 1e-9);
        assertEquals(0.5 * 1 / 1024, g.resourceTerm(), 1e-12);
        assertEquals(41.5 + 0.5 / 1024, d.cost(), 1e-9);

        LocalityCandidate c = d.bestOnPrimary().orElseThrow();
        assertEquals(1, c.networkMs(), 1e-9);
        assertEquals(0, c.transferMs());
        assertEquals(100, c.computeMs(), 1e-9);
        assertEquals(101 + 0.5 * 1 / 4, c.cost(), 1e-9);
        assertSame(g, d.bestElsewhere().orElseThrow());
        assertEquals(d.fabric().getFabricId(), d.taskRequest().fabric(), "the request is pinned to the choice");
    }

    @Test
    void unmeasuredBandwidth_isTheAssumedOne_andAnUnmeasuredRoundTripAddsNothing() {
        LocalityCandidate g = decide(List.of(gpu(2, A, 5, 8)), mib().build(), LatencyMatrix.EMPTY).chosen();
        assertEquals(5, g.networkMs(), 1e-9);
        assertEquals(1000.0 / 100, g.transferMs(), 1e-9);
        assertFalse(g.isBandwidthMeasured());
        assertEquals(100, g.bandwidthMibS());

        LatencyMatrix zero = LatencyMatrix.of(1, Map.of(), row(P, A, 0.0));
        assertEquals(10, decide(List.of(gpu(2, A, 5, 8)), mib().build(), zero).transferMs(), 1e-9,
            "a bandwidth of 0 counts as not measured");
    }

    @Test
    void sizeFlipsTheChoice_smallStaysOnThePrimary_largeGoesToTheFastGpu() {
        List<FabricEntry> map = List.of(cpu(1, P), gpu(2, A, 5, 8));
        LocalityDecision small = decide(map, mib().dataBytes(16 << 10).build(), LatencyMatrix.EMPTY);
        assertTrue(small.isPrimary(), small::toString);
        assertEquals(FabricType.CPU, small.fabric().getFabricType());
        LocalityDecision large = decide(map, mib().build(), LatencyMatrix.EMPTY);
        assertEquals(FabricType.GPU, large.fabric().getFabricType(), large::toString);
    }

    @Test
    void equalCosts_goToThePrimarysNode_thenToTheLowestFabricId() {
        DataLocalityRequest none = mib().dataBytes(0).build();
        List<FabricEntry> map = List.of(gpu(5, A, 1, 1), gpu(9, P, 1, 1), gpu(3, A, 1, 1));
        assertEquals(new UUID(1, 9), decide(map, none, LatencyMatrix.EMPTY).fabric().getFabricId());
        List<FabricEntry> away = List.of(gpu(5, A, 1, 1), gpu(3, A, 1, 1));
        assertEquals(new UUID(1, 3), decide(away, none, LatencyMatrix.EMPTY).fabric().getFabricId());
    }

    @Test
    void degradedFabrics_countOnlyWhenAllowed_andNothingOnlineFits() {
        FabricEntry sick = fabric(2, A, FabricType.GPU, 1024, 1024, 0, 100, FabricStatus.DEGRADED);
        List<FabricEntry> map = List.of(cpu(1, P), sick);
        LocalityScan strict = new LocalityScan(CostFunction.standard(), false, 100);
        LocalityScan lenient = new LocalityScan(CostFunction.standard(), true, 100);
        assertEquals(FabricType.CPU, strict.decide(map, DATA, mib().build(), W, O, LatencyMatrix.EMPTY).fabric()
            .getFabricType());
        assertEquals(FabricType.CPU, lenient.decide(map, DATA, mib().build(), W, O, LatencyMatrix.EMPTY).fabric()
            .getFabricType(), "an ONLINE fabric fits: DEGRADED ones are not weighed");
        DataLocalityRequest gpuOnly = mib().fabricTypes(FabricType.GPU).build();
        assertEquals(sick, lenient.decide(map, DATA, gpuOnly, W, O, LatencyMatrix.EMPTY).fabric());
        NoSuitableFabricException e = assertThrows(NoSuitableFabricException.class,
            () -> strict.decide(map, DATA, gpuOnly, W, O, LatencyMatrix.EMPTY));
        assertTrue(e.getMessage().contains("1 DEGRADED (not allowed)"), e.getMessage());
    }

    @Test
    void whenEveryFittingFabricIsFull_theCheapestByCapacityIsChosen_andTheJobWaits() {
        FabricEntry fullCpu = fabric(1, P, FabricType.CPU, 4, 0, 0, 1, FabricStatus.ONLINE);
        FabricEntry fullGpu = fabric(2, A, FabricType.GPU, 1024, 0, 5, 8, FabricStatus.ONLINE);
        LocalityDecision d = decide(List.of(fullCpu, fullGpu), mib().build(), LatencyMatrix.EMPTY);
        assertTrue(d.isBusy());
        assertEquals(fullGpu, d.fabric());
        assertEquals(0.5, d.resourceTerm(), 1e-12, "a full fabric counts as fully used");
        assertTrue(d.toString().contains("busy"), d::toString);
        assertFalse(decide(List.of(fullCpu, gpu(3, A, 5, 8)), mib().build(), LatencyMatrix.EMPTY).isBusy());
    }

    @Test
    void readFromBackups_letsABackupsNodeTakeTheJob_withoutTransfer() {
        List<FabricEntry> map = List.of(cpu(1, P), gpu(2, A, 5, 8), gpu(3, B, 5, 8));
        LocalityDecision fromPrimary = decide(map, mib().build(), LatencyMatrix.EMPTY);
        assertEquals(10, fromPrimary.transferMs(), 1e-9);
        LocalityDecision fromBackup = decide(map, mib().readFromBackups(true).build(), LatencyMatrix.EMPTY);
        assertEquals(B, fromBackup.nodeId());
        assertEquals(0, fromBackup.transferMs());
        assertTrue(fromBackup.chosen().holdsData());
        assertFalse(fromBackup.isPrimary());
    }

    @Test
    void noFabric_saysWhatWasAsked_whatTheMapHolds_andWhereTheDataIs() {
        List<FabricEntry> map = List.of(cpu(1, P), gpu(2, A, 5, 8));
        NoSuitableFabricException e = assertThrows(NoSuitableFabricException.class,
            () -> decide(map, mib().fabricTypes(FabricType.ASIC).build(), LatencyMatrix.EMPTY));
        assertTrue(e.getMessage().startsWith("no fabric for matmul.f32 needing 1 ASIC"), e.getMessage());
        assertTrue(e.getMessage().contains("it holds 1 GPU, 1 CPU"), e.getMessage());
        assertTrue(e.getMessage().contains("[cache=data, partition=7, primaryNode=" + P), e.getMessage());
        NoSuitableFabricException big = assertThrows(NoSuitableFabricException.class,
            () -> decide(map, mib().require(FabricType.GPU, 2048).build(), LatencyMatrix.EMPTY));
        assertTrue(big.getMessage().contains("1 smaller than 2048 MiB (largest 1024)"), big.getMessage());
    }

    @Test
    void toString_explainsTheChoice_andTheBestOnTheOtherSide() {
        String s = decide(List.of(cpu(1, P), gpu(2, A, 5, 8)), mib().build(), LatencyMatrix.EMPTY).toString();
        assertTrue(s.startsWith("LocalityDecision [partition 7 of cache 'data' (primary node " + P + ") goes to GPU "
            + "'GPU-2' on node " + A + ": cost 27.5005 = latencyTerm 27.5000 (network 5.000 + transfer 10.000 at "
            + "100.0 MiB/s assumed + compute 12.500 ms) + resourceTerm 0.0005; best on the primary: CPU 'CPU-1' on "
            + "the primary node " + P + ": cost 100.1250"), s);
    }
}
