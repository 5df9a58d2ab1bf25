package io.fabricstitch.ignite.placement;

import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.ignite.compute.PartPlan;
import io.fabricstitch.ignite.compute.TaskRequest;
import static io.fabricstitch.ignite.placement.Fabrics.online;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.util.List;
import org.junit.jupiter.api.Test;

/** How a partitioned task's work is shared out: by speed over cost, never equally unless the fabrics are alike. */
class PartitionPlannerTest {
    private final PartitionPlanner planner = new PartitionPlanner(new FabricSelector(CostFunction.standard(), false));
    private static final CostWeights W = CostWeights.of(0.1, 1.0);

    static FabricEntry withSpeed(FabricEntry e, double speed) {
        return e.toBuilder().speedFactor(speed).build();
    }

    @Test
    void sharesFollowSpeedOverCost() {
        List<FabricEntry> map = List.of(
            withSpeed(online(1, FabricType.GPU, 1000, 1000, 0, "blur"), 4),
            withSpeed(online(2, FabricType.FPGA, 1000, 1000, 0, "blur"), 2),
            online(3, FabricType.CPU, 1000, 1000, 0, "blur"));
        List<PartPlan> plan = planner.plan(map, TaskRequest.builder("blur").build(), W, 8, 0.02);
        assertEquals(3, plan.size());
        assertEquals(Fabrics.id(1), plan.get(0).fabric().getFabricId());
        assertEquals(4.0 / 7, plan.get(0).share(), 1e-3, "speed 4 of 7, equal costs");
        assertEquals(2.0 / 7, plan.get(1).share(), 1e-3);
        assertEquals(1.0 / 7, plan.get(2).share(), 1e-3);
    }

    @Test
    void aFarOrLoadedFabric_getsLess_andTinySharesAreDropped() {
        List<FabricEntry> map = List.of(
            online(1, FabricType.GPU, 1000, 1000, 0, "blur"),
            online(2, FabricType.GPU, 1000, 1000, 30, "blur"),
            online(3, FabricType.GPU, 4, 1, 0, "blur"));
        List<PartPlan> plan = planner.plan(map, TaskRequest.builder("blur").build(), W, 8, 0.02);
        assertEquals(Fabrics.id(1), plan.get(0).fabric().getFabricId());
        assertTrue(plan.get(0).share() > plan.get(1).share(), plan::toString);
        assertEquals(1.0, plan.stream().mapToDouble(PartPlan::share).sum(), 1e-9);
        List<PartPlan> one = planner.plan(map, TaskRequest.builder("blur").build(), W, 1, 0.02);
        assertEquals(List.of(1.0), one.stream().map(PartPlan::share).collect(java.util.stream.Collectors.toList()));
    }

    @Test
    void noFabricForAPart_isRefusedWithTheSelectorsReason() {
        List<FabricEntry> map = List.of(online(1, FabricType.CPU, 2, 2, 0, "sha256"));
        NoSuitableFabricException e = assertThrows(NoSuitableFabricException.class,
            () -> planner.plan(map, TaskRequest.builder("blur").build(), W, 8, 0.02));
        assertTrue(e.getMessage().startsWith("no fabric can take a part of blur: no fabric runs blur: it is not a "
            + "registered function"), e.getMessage());
    }
}
