package io.fabricstitch.ignite.placement;

import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.internal.Units;
import static io.fabricstitch.ignite.placement.Fabrics.fabric;
import static io.fabricstitch.ignite.placement.Fabrics.id;
import static io.fabricstitch.ignite.placement.Fabrics.online;
import static io.fabricstitch.model.FabricStatus.DEGRADED;
import static io.fabricstitch.model.FabricStatus.OFFLINE;
import static io.fabricstitch.model.FabricType.ASIC;
import static io.fabricstitch.model.FabricType.CPU;
import static io.fabricstitch.model.FabricType.FPGA;
import static io.fabricstitch.model.FabricType.GPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class FabricSelectorTest {
    private static final String BLUR = "image.gaussian-blur";
    private static final CostWeights BALANCED = CostWeights.of(0.1, 1.0);
    private final FabricSelector selector = new FabricSelector(CostFunction.standard(), false);

    private static TaskRequest blur(long amount, FabricType... types) {
        return TaskRequest.builder(BLUR).fabricTypes(types).amount(amount).build();
    }

    private Selection select(List<FabricEntry> fabrics, TaskRequest r, CostWeights w) {
        return selector.select(CandidateTable.of(fabrics), r, w, Set.of());
    }

    @Test
    void picksTheLeastCost_andKeepsBothTerms() {
        // near but busy: 0.1*1 + 1*(600+100)/1000 = 0.8; far and idle: 0.1*4 + 1*100/1000 = 0.5
        Selection s = select(List.of(online(1, FPGA, 1000, 400, 1, BLUR), online(2, FPGA, 1000, 1000, 4, BLUR)),
            blur(100, FPGA), BALANCED);
        assertTrue(s.isPlaced());
        assertEquals(id(2), s.fabric().getFabricId());
        assertEquals(0.4, s.terms().latencyTerm(), 1e-12);
        assertEquals(0.1, s.terms().resourceTerm(), 1e-12);
        assertEquals(0.5, s.terms().cost(), 1e-12);
        assertEquals(0.1, s.terms().utilizationAfter(), 1e-12);
    }

    @Test
    void latencyHeavyWeights_pickTheNearFabric_resourceHeavyWeights_pickTheIdleOne() {
        List<FabricEntry> map = List.of(online(1, GPU, 1000, 200, 0.5, BLUR), online(2, GPU, 1000, 1000, 20, BLUR));
        TaskRequest r = blur(100, GPU);
        assertEquals(id(1), select(map, r, CostWeights.of(1.0, 0.5)).fabric().getFabricId());
        assertEquals(id(2), select(map, r, CostWeights.of(0.01, 1.0)).fabric().getFabricId());
    }

    @Test
    void skipsFabricsWithoutTheFunction_ofOtherTypes_offline_orShortOfResources() {
        List<FabricEntry> map = List.of(
            online(1, FPGA, 1000, 1000, 0, "deflate"),                 // no blur
            online(2, GPU, 1000, 1000, 0, BLUR),                       // wrong type
            fabric(3, FPGA, 1000, 1000, 0, OFFLINE, BLUR),             // offline
            online(4, FPGA, 1000, 50, 0, BLUR),                        // too little free
            online(5, FPGA, 1000, 1000, 30, BLUR));                    // the only fit, though far
        assertEquals(id(5), select(map, blur(100, FPGA), BALANCED).fabric().getFabricId());
    }

    @Test
    void degradedFabrics_areUsedOnlyWhenAllowed_andNothingOnlineFits() {
        List<FabricEntry> map = List.of(fabric(1, FPGA, 1000, 1000, 0, DEGRADED, BLUR),
            online(2, FPGA, 1000, 1000, 50, BLUR));
        FabricSelector lenient = new FabricSelector(CostFunction.standard(), true);
        assertEquals(id(2), lenient.select(CandidateTable.of(map), blur(100, FPGA), BALANCED, Set.of())
            .fabric().getFabricId(), "an ONLINE fit wins over a cheaper DEGRADED one");
        List<FabricEntry> onlyDegraded = List.of(map.get(0), online(2, FPGA, 1000, 10, 50, BLUR));
        assertEquals(id(1), lenient.select(CandidateTable.of(onlyDegraded), blur(100, FPGA), BALANCED, Set.of())
            .fabric().getFabricId());
        Selection strict = select(onlyDegraded, blur(100, FPGA), BALANCED);
        assertTrue(strict.isBusy(), "the ONLINE fabric could take it once it frees up: " + strict);
        Selection none = select(List.of(map.get(0)), blur(100, FPGA), BALANCED);
        assertFalse(none.isPlaced());
        assertFalse(none.isBusy());
        assertTrue(none.reason().contains("1 DEGRADED (not allowed)"), none.reason());
    }

    @Test
    void equalCosts_goToTheLowestFabricId_whateverTheInputOrder() {
        List<FabricEntry> map = new ArrayList<>();
        for (int n : new int[] {7, 3, 9, 5})
            map.add(online(n, CPU, 8, 8, 1, BLUR));
        assertEquals(id(3), select(map, blur(1), BALANCED).fabric().getFabricId());
    }

    @Test
    void excludedFabrics_areNeverChosen() {
        List<FabricEntry> map = List.of(online(1, CPU, 8, 8, 0, BLUR), online(2, CPU, 8, 8, 5, BLUR));
        Selection s = selector.select(CandidateTable.of(map), blur(1), BALANCED, Set.of(id(1)));
        assertEquals(id(2), s.fabric().getFabricId());
        Selection none = selector.select(CandidateTable.of(map), blur(1), BALANCED, Set.of(id(1), id(2)));
        assertTrue(none.reason().contains("2 already failed this task"), none.reason());
    }

    @Test
    void busyFabrics_giveABusySelection_thatSaysHowMuchIsFree() {
        Selection s = select(List.of(online(1, FPGA, 1024, 64, 0, BLUR)), blur(100, FPGA), BALANCED);
        assertTrue(s.isBusy());
        assertEquals("every fabric for image.gaussian-blur needing 100 FPGA slices is busy: 1 could take it, "
            + "most free 64", s.reason());
    }

    @Test
    void noFabric_saysWhatWasAskedAndWhatTheMapHolds() {
        List<FabricEntry> map = List.of(online(1, FPGA, 64, 64, 0, BLUR), fabric(2, FPGA, 1024, 1024, 0, OFFLINE, BLUR),
            online(3, CPU, 8, 8, 0, BLUR));
        Selection s = select(map, blur(100, FPGA), BALANCED);
        assertFalse(s.isPlaced());
        assertFalse(s.isBusy());
        assertEquals("no fabric for image.gaussian-blur needing 100 FPGA slices: 2 FPGA fabrics known, "
            + "1 smaller than 100 slices (largest 64), most free 64; 1 OFFLINE", s.reason());
    }

    @Test
    void noFabricOfTheType_listsWhatTheMapHolds() {
        Selection s = select(List.of(online(1, CPU, 8, 8, 0, BLUR), online(2, GPU, 100, 100, 0, BLUR)),
            blur(1, ASIC), BALANCED);
        assertEquals("no fabric for image.gaussian-blur needing 1 ASIC unit: the map holds no ASIC fabric "
            + "(it holds 1 GPU, 1 CPU)", s.reason());
    }

    @Test
    void anUnknownFunction_isCalledUnregistered_withTheFunctionsTheFabricsRun() {
        Selection s = selector.select(CandidateTable.of(List.of(online(1, CPU, 8, 8, 0, BLUR), online(2, GPU, 100,
            100, 0, "sha256"))), "sha512", Set.of(), 1, BALANCED, Set.of(), null);
        assertEquals("no fabric runs sha512: it is not a registered function on any node (expected one of: "
            + BLUR + ", sha256)", s.reason());
    }

    @Test
    void fabricsOnAnUnreachableNode_areAvoided_andATaskOnlyTheyFitWaits() {
        List<FabricEntry> map = List.of(online(1, GPU, 100, 100, 0, BLUR), online(2, GPU, 100, 100, 5, BLUR));
        Selection s = selector.select(CandidateTable.of(map), blur(1, GPU), BALANCED, Set.of(), Set.of(id(1)), 0);
        assertEquals(id(2), s.fabric().getFabricId(), "the nearer GPU's node could not be reached");
        Selection only = selector.select(CandidateTable.of(map), blur(1, GPU), BALANCED, Set.of(id(2)),
            Set.of(id(1)), 0);
        assertTrue(only.isBusy(), only.reason());
        assertTrue(only.reason().contains("on a node a caller could not reach"), only.reason());
        Selection none = selector.select(CandidateTable.of(map), blur(1, FPGA), BALANCED, Set.of(), Set.of(id(1)), 0);
        assertFalse(none.isPlaced() || none.isBusy(), "what could never fit is still refused: " + none.reason());
    }

    @Test
    void unitWords_readRight() {
        assertEquals("unit", Units.of(1, "units"));
        assertEquals("units", Units.of(2, "units"));
        assertEquals("core", Units.of(1, "cores"));
        assertEquals("MiB", Units.of(1, "MiB"));
        assertEquals("slices", Units.of(0, "slices"));
        assertEquals("ms", Units.of(1, "ms"));
    }

    @Test
    void functionlessSelection_considersEveryFabric() {
        List<FabricEntry> map = List.of(online(1, CPU, 8, 8, 3, "x"), online(2, GPU, 100, 100, 1));
        Selection s = selector.select(CandidateTable.of(map), null, Set.of(), 1, CostWeights.of(1, 0), Set.of(), null);
        assertEquals(id(2), s.fabric().getFabricId());
    }

    @Test
    void typePrices_scaleTheResourceTerm() {
        FabricSelector priced = new FabricSelector(CostFunction.parse("GPU=4.0"), false);
        List<FabricEntry> map = List.of(online(1, GPU, 100, 100, 0, BLUR), online(2, CPU, 100, 50, 0, BLUR));
        // GPU: 4.0 * 0.1 = 0.4; CPU: 1.0 * 0.6 = 0.6 ... GPU wins; at GPU=8.0 (0.8) the CPU wins
        assertEquals(id(1), priced.select(CandidateTable.of(map), blur(10), CostWeights.of(0, 1), Set.of())
            .fabric().getFabricId());
        FabricSelector pricier = new FabricSelector(CostFunction.parse("GPU=8.0"), false);
        assertEquals(id(2), pricier.select(CandidateTable.of(map), blur(10), CostWeights.of(0, 1), Set.of())
            .fabric().getFabricId());
    }

    private static FabricEntry fast(FabricEntry f, double speed) {
        return f.toBuilder().speedFactor(speed).build();
    }

    @Test
    void pricePerSpeed_makesASlotOfAFasterFabricCheaper() {
        // A100-like: 8x, 3 of 4 slots taken; T4-like: 1x, idle. Utilization alone prefers the idle T4 (1.0 vs 0.5);
        // per speed the A100's last slot costs 1.0 / 8 = 0.125 against the T4's 0.5.
        List<FabricEntry> map = List.of(fast(online(1, GPU, 4, 1, 0, BLUR), 8), fast(online(2, GPU, 2, 2, 0, BLUR), 1));
        TaskRequest r = blur(1, GPU);
        assertEquals(id(2), selector.select(CandidateTable.of(map), r, CostWeights.of(0, 1), Set.of())
            .fabric().getFabricId());
        FabricSelector perSpeed = new FabricSelector(CostFunction.standard().perSpeed(true), false);
        Selection s = perSpeed.select(CandidateTable.of(map), r, CostWeights.of(0, 1), Set.of());
        assertEquals(id(1), s.fabric().getFabricId());
        assertEquals(0.125, s.terms().price(), 1e-12);
        assertEquals(0.125, s.terms().resourceTerm(), 1e-12);
    }

    @Test
    void expectedServiceTime_makesTheLatencyTermWeighTheTimeToTheResult() {
        // Near 1x at 1 ms against far 8x at 4 ms, latency-critical weights (1.0, 0.5), both idle.
        List<FabricEntry> map = List.of(fast(online(1, GPU, 1, 1, 1, BLUR), 1), fast(online(2, GPU, 1, 1, 4, BLUR), 8));
        TaskRequest r = blur(1, GPU);
        CostWeights critical = CostWeights.of(1.0, 0.5);
        assertEquals(id(1), selector.select(CandidateTable.of(map), r, critical, Set.of(), 0).fabric().getFabricId(),
            "unknown service time: by distance");
        // 160 ms at speed 1: near 1 + 160 = 161 ms, far 4 + 20 = 24 ms.
        Selection s = selector.select(CandidateTable.of(map), r, critical, Set.of(), 160);
        assertEquals(id(2), s.fabric().getFabricId());
        assertEquals(4.0, s.terms().latencyMs(), 1e-12);
        assertEquals(20.0, s.terms().serviceMs(), 1e-12);
        assertEquals(24.0, s.terms().latencyTerm(), 1e-12);
        assertEquals(24.5, s.terms().cost(), 1e-12);
        assertTrue(s.terms().toString().contains("20.000 ms expected service"), s.terms().toString());
        // 2 ms at speed 1: near 1 + 2 = 3 ms, far 4 + 0.25 ms.
        assertEquals(id(1), selector.select(CandidateTable.of(map), r, critical, Set.of(), 2).fabric().getFabricId());
        // A pinned request reports its fabric's expected service too.
        TaskRequest pinned = TaskRequest.builder(BLUR).fabric(id(1)).build();
        assertEquals(160.0, selector.select(CandidateTable.of(map), pinned, critical, Set.of(), 160).terms()
            .serviceMs(), 1e-12);
    }

    @Test
    void aTableWithOtherFreeAmounts_choosesByThemAndLeavesTheFirstAsItWas() {
        List<FabricEntry> map = List.of(online(1, FPGA, 1000, 1000, 1, BLUR), online(2, FPGA, 1000, 1000, 2, BLUR));
        CandidateTable t = CandidateTable.of(map);
        assertEquals(id(1), selector.select(t, blur(10, FPGA), BALANCED, Set.of()).fabric().getFabricId());
        CandidateTable loaded = t.withFree(new long[] {24, 5000});
        assertEquals(24, loaded.free(0));
        assertEquals(1000, loaded.free(1), "clamped to the fabric's count");
        // near: 0.1 * 1 + (1000 - 24 + 10) / 1000 = 1.086; far: 0.1 * 2 + 10 / 1000 = 0.21
        assertEquals(id(2), selector.select(loaded, blur(10, FPGA), BALANCED, Set.of()).fabric().getFabricId());
        assertEquals(1000, t.free(0));
        assertEquals(id(1), selector.select(t, blur(10, FPGA), BALANCED, Set.of()).fabric().getFabricId());
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
            () -> t.withFree(new long[1]));
        assertEquals("free: 1 amounts for 2 fabrics", e.getMessage());
    }

    @Test
    void fasterCapacity_countsBusyFasterFabricsThatFit_perRunOfTheChosenOne() {
        List<FabricEntry> map = List.of(
            fast(online(1, GPU, 4, 0, 0, BLUR), 8),          // busy, 8x: 4 slots * 8 = 32 runs
            fast(online(2, GPU, 2, 0, 0, BLUR), 4),          // busy, 4x: 2 * 4 = 8 runs
            fast(online(3, GPU, 2, 2, 9, BLUR), 2),          // faster, but has room: passed over by the cost
            fast(online(4, GPU, 2, 0, 0, "deflate"), 16),    // busy and fast, but does not run the function
            fast(online(5, GPU, 2, 2, 0, BLUR), 1));         // the chosen one
        CandidateTable t = CandidateTable.of(map);
        assertEquals(40.0, selector.fasterCapacity(t, blur(1, GPU), Set.of(), t.indexOf(id(5))), 1e-12);
        assertEquals(8.0, selector.fasterCapacity(t, blur(1, GPU), Set.of(id(1)), t.indexOf(id(5))), 1e-12);
        assertEquals(0.0, selector.fasterCapacity(t, blur(1, GPU), Set.of(), t.indexOf(id(1))), 1e-12);
        TaskRequest pinned = TaskRequest.builder(BLUR).fabric(id(5)).build();
        assertEquals(0.0, selector.fasterCapacity(t, pinned, Set.of(), t.indexOf(id(5))), 1e-12);
    }

    /**
     * The early stop of the nearest-first scan never changes the winner, with or without an expected service time:
     * compared with a full scan.
     */
    @Test
    void nearestFirstScan_choosesWhatAFullScanChooses_onRandomMaps() {
        Random rnd = new Random(42);
        FabricType[] types = FabricType.values();
        for (int round = 0; round < 300; round++) {
            List<FabricEntry> map = new ArrayList<>();
            int n = 1 + rnd.nextInt(60);
            for (int i = 0; i < n; i++) {
                long count = 1 + rnd.nextInt(100);
                FabricStatus st = rnd.nextInt(10) == 0 ? OFFLINE : FabricStatus.ONLINE;
                map.add(fast(fabric(i + 1, types[rnd.nextInt(types.length)], count, rnd.nextInt((int)count + 1),
                    rnd.nextInt(5) * 2.5, st, rnd.nextBoolean() ? BLUR : "sha256"), 1 + rnd.nextInt(8)));
            }
            CostWeights w = CostWeights.of(rnd.nextDouble() * 2, rnd.nextDouble() * 2 + 0.01);
            TaskRequest r = blur(1 + rnd.nextInt(20));
            double service = rnd.nextBoolean() ? 0 : rnd.nextDouble() * 40;
            Selection s = selector.select(CandidateTable.of(map), r, w, Set.of(), service);
            UUID expected = bruteForce(map, r, w, service);
            assertEquals(expected, s.isPlaced() ? s.fabric().getFabricId() : null, "round " + round);
        }
    }

    private static UUID bruteForce(List<FabricEntry> map, TaskRequest r, CostWeights w, double service) {
        UUID best = null;
        double bestCost = Double.POSITIVE_INFINITY;
        for (FabricEntry f : map) {
            if (f.getStatus() != FabricStatus.ONLINE || !f.getSupportedFunctions().contains(r.function())
                || f.getResourceFree() < r.amount())
                continue;
            double util = Math.min(1.0, (double)(f.getResourceCount() - f.getResourceFree() + r.amount())
                / f.getResourceCount());
            double cost = w.latencyWeight() * (f.getLatencyMs() + service / f.getSpeedFactor())
                + w.resourceWeight() * util;
            if (cost < bestCost || (cost == bestCost && f.getFabricId().compareTo(best) < 0)) {
                bestCost = cost;
                best = f.getFabricId();
            }
        }
        return best;
    }
}
