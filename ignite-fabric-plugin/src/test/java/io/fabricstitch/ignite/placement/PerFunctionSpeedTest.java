package io.fabricstitch.ignite.placement;

import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.PartPlan;
import io.fabricstitch.ignite.compute.TaskRequest;
import static io.fabricstitch.ignite.placement.Fabrics.id;
import static io.fabricstitch.ignite.placement.Fabrics.online;
import static io.fabricstitch.model.FabricType.GPU;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FunctionImplementation;
import io.fabricstitch.model.SpeedSource;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * A fabric's speed is its speed for the task's function: the selector's service time and per-speed price, the faster
 * fabrics a task may wait for, and the partition planner's shares all weigh {@link FabricEntry#speedFor}; closures
 * weigh the fabric's own speed factor.
 */
class PerFunctionSpeedTest {
    private static final String MATMUL = "matmul.f32";
    private static final String BLUR = "image.gaussian-blur";
    private static final CostWeights LATENCY_CRITICAL = CostWeights.of(1.0, 0.5);

    private final FabricSelector selector = new FabricSelector(CostFunction.standard(), false);

    /** Fast at matrices (8x), slow at blurring (0.5x), 1x for anything else: a GPU with a poor blur kernel. */
    static FabricEntry matrixGpu(int n, long count, long free) {
        return online(n, GPU, count, free, 1, MATMUL, BLUR).toBuilder().functions(Map.of(
            MATMUL, FunctionImplementation.of(FabricRuntime.OPENCL, "sgemm.cl", 8, SpeedSource.MEASURED),
            BLUR, FunctionImplementation.of(FabricRuntime.OPENCL, "blur.cl", 0.5, SpeedSource.MEASURED))).build();
    }

    /** 2x at everything, by its own speed factor (its functions have no speed of their own). */
    static FabricEntry evenGpu(int n, long count, long free) {
        return online(n, GPU, count, free, 1, MATMUL, BLUR).toBuilder().speedFactor(2).build();
    }

    @Test
    void aFabricFastAtMatmulButSlowAtBlur_getsTheMatmulAndNotTheBlur_whenTheServiceTimeCounts() {
        CandidateTable t = CandidateTable.of(List.of(matrixGpu(1, 1, 1), evenGpu(2, 1, 1)));
        // 100 ms at speed 1: matmul 12.5 ms on the matrix GPU against 50 ms on the even one; blur 200 ms against 50.
        Selection matmul = selector.select(t, TaskRequest.builder(MATMUL).build(), LATENCY_CRITICAL, Set.of(), 100);
        assertEquals(id(1), matmul.fabric().getFabricId());
        assertEquals(12.5, matmul.terms().serviceMs(), 1e-12);
        Selection blur = selector.select(t, TaskRequest.builder(BLUR).build(), LATENCY_CRITICAL, Set.of(), 100);
        assertEquals(id(2), blur.fabric().getFabricId());
        assertEquals(50.0, blur.terms().serviceMs(), 1e-12);
        // Unknown service time: equal distance and load, the lowest id.
        assertEquals(id(1), selector.select(t, TaskRequest.builder(BLUR).build(), LATENCY_CRITICAL, Set.of(), 0)
            .fabric().getFabricId());
        // Pinned to the matrix GPU, a blur reports that GPU's blur speed.
        TaskRequest pinned = TaskRequest.builder(BLUR).fabric(id(1)).build();
        assertEquals(200.0, selector.select(t, pinned, LATENCY_CRITICAL, Set.of(), 100).terms().serviceMs(), 1e-12);
    }

    @Test
    void pricePerSpeed_usesTheFunctionsSpeed_andAClosureTheFabricsOwn() {
        FabricSelector perSpeed = new FabricSelector(CostFunction.standard().perSpeed(true), false);
        CandidateTable t = CandidateTable.of(List.of(matrixGpu(1, 4, 4), evenGpu(2, 4, 4)));
        CostWeights resourceOnly = CostWeights.of(0, 1);
        Selection matmul = perSpeed.select(t, TaskRequest.builder(MATMUL).build(), resourceOnly, Set.of());
        assertEquals(id(1), matmul.fabric().getFabricId());
        assertEquals(1.0 / 8, matmul.terms().price(), 1e-12);
        Selection blur = perSpeed.select(t, TaskRequest.builder(BLUR).build(), resourceOnly, Set.of());
        assertEquals(id(2), blur.fabric().getFabricId());
        assertEquals(0.5, blur.terms().price(), 1e-12);
        // A closure (no function): the matrix GPU's own factor is 1, the even GPU's 2.
        Selection closure = perSpeed.select(t, null, Set.of(), 1, resourceOnly, Set.of(), null);
        assertEquals(id(2), closure.fabric().getFabricId());
        assertEquals(0.5, closure.terms().price(), 1e-12);
    }

    @Test
    void fasterCapacity_comparesSpeedsForTheRequestsFunction() {
        // The matrix GPU is busy (2 slots); the even GPU (2x) is chosen.
        CandidateTable t = CandidateTable.of(List.of(matrixGpu(1, 2, 0), evenGpu(2, 2, 2)));
        int chosen = t.indexOf(id(2));
        assertEquals(2 * 8 / 2.0, selector.fasterCapacity(t, TaskRequest.builder(MATMUL).build(), Set.of(), chosen),
            1e-12, "2 slots at 8x while the 2x runs one");
        assertEquals(0.0, selector.fasterCapacity(t, TaskRequest.builder(BLUR).build(), Set.of(), chosen), 1e-12,
            "at blurring the busy GPU is slower: nothing to wait for");
    }

    @Test
    void partitionPlanner_sharesByTheFunctionsSpeed() {
        PartitionPlanner planner = new PartitionPlanner(selector);
        List<FabricEntry> map = List.of(matrixGpu(1, 1000, 1000), evenGpu(2, 1000, 1000));
        CostWeights w = CostWeights.of(0.1, 1.0);
        List<PartPlan> matmul = planner.plan(map, TaskRequest.builder(MATMUL).build(), w, 8, 0.02);
        assertEquals(id(1), matmul.get(0).fabric().getFabricId());
        assertEquals(0.8, matmul.get(0).share(), 1e-9, "8 of 8 + 2, equal costs");
        assertEquals(8.0, matmul.get(0).speed(), 1e-12);
        assertTrue(matmul.get(0).toString().contains("speed 8.00"), matmul.get(0)::toString);
        List<PartPlan> blur = planner.plan(map, TaskRequest.builder(BLUR).build(), w, 8, 0.02);
        assertEquals(id(2), blur.get(0).fabric().getFabricId());
        assertEquals(0.8, blur.get(0).share(), 1e-9, "2 of 2 + 0.5");
        assertEquals(0.2, blur.get(1).share(), 1e-9);
        assertEquals(0.5, blur.get(1).speed(), 1e-12);
    }

    @Test
    void candidateTable_keepsRunnersPerFunction_andSpeedsForTheFunction() {
        FabricEntry matrix = matrixGpu(1, 1, 1).toBuilder().functions(Map.of(
            MATMUL, FunctionImplementation.of(FabricRuntime.OPENCL, "sgemm.cl", 8, SpeedSource.MEASURED))).build();
        CandidateTable t = CandidateTable.of(List.of(matrix, evenGpu(2, 1, 1)));
        assertEquals(2, t.runners(MATMUL).length);
        assertEquals(1, t.runners(BLUR).length);
        assertEquals(8.0, t.speeds(MATMUL)[t.indexOf(id(1))], 1e-12);
        assertEquals(2.0, t.speeds(MATMUL)[t.indexOf(id(2))], 1e-12);
        assertEquals(1.0, t.speeds(null)[t.indexOf(id(1))], 1e-12, "a closure: the fabric's own");
        assertEquals(8.0, t.withFree(new long[] {0, 0}).speeds(MATMUL)[0], 1e-12, "shared with a reloaded table");
    }
}
