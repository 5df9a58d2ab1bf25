package io.fabricstitch.examples;

import io.fabricstitch.examples.api.TiledBlur;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.PartPlan;
import io.fabricstitch.ignite.compute.PartitionedResult;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A large image blurred in tiles across GPU, FPGA and CPU fabrics of three real nodes gives the same bytes as the
 * whole image blurred on one fabric; the work is shared by speed and cost, not equally.
 */
class PartitionedBlurTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite p0;

    static DeclaredFabric fabric(String name, FabricType type, String unit, double speed) {
        return new DeclaredFabric().setName(name).setType(type).setModel(name + " (declared)").setResourceUnit(unit)
            .setResourceCount(1024).setSpeedFactor(speed).setFunctions(List.of("image.gaussian-blur"));
    }

    @BeforeAll
    static void startCluster() {
        List<DeclaredFabric> declared = List.of(fabric("gpu", FabricType.GPU, "MiB", 4),
            fabric("fpga", FabricType.FPGA, "slices", 2));
        p0 = CLUSTER.start("p0", p -> {
            p.getAgent().setDeclaredFabrics(declared).setDeviceAllowList(List.of("declared:gpu"))
                .setRealProbesEnabled(false);
            p.getNetwork().setBeaconsEnabled(false);
        });
        CLUSTER.start("p1", p -> {
            p.getAgent().setDeclaredFabrics(declared).setDeviceAllowList(List.of("declared:fpga"))
                .setRealProbesEnabled(false);
            p.getNetwork().setBeaconsEnabled(false);
        });
        Timing.await("2 CPUs, the GPU and the FPGA in the map", () -> FabricPlugin.of(p0).fabricMap().size() == 4);
    }

    @Test
    void tiledBlurAcrossGpuFpgaAndCpu_isByteIdenticalToTheWholeImageOnOneFabric() {
        byte[] png = DemoRouting.demoPng(640, 480);
        TaskRequest perPart = TaskRequest.builder("image.gaussian-blur").amount(1).priority("balanced").build();
        byte[] whole = FabricCompute.of(p0).execute(TaskRequest.builder("image.gaussian-blur")
            .require(FabricType.GPU, 1).input(png).build()).output();

        TiledBlur tiles = new TiledBlur();
        PartitionedResult<byte[]> r = FabricCompute.of(p0).map(perPart, png, tiles, tiles);

        assertArrayEquals(whole, r.value(), "byte-identical to the single-fabric blur");
        Set<FabricType> types = r.placements().stream().map(Placement::fabricType)
            .collect(Collectors.toCollection(() -> EnumSet.noneOf(FabricType.class)));
        assertEquals(EnumSet.of(FabricType.GPU, FabricType.FPGA, FabricType.CPU), types, r::toString);
        assertEquals(r.plan().size(), tiles.strips().size());
        double gpu = share(r, FabricType.GPU);
        double fpga = share(r, FabricType.FPGA);
        double cpu = r.plan().stream().filter(p -> p.fabric().getFabricType() == FabricType.CPU)
            .mapToDouble(PartPlan::share).max().orElseThrow();
        assertTrue(gpu > fpga && fpga > cpu, "shares follow speed: " + r.plan());
        assertEquals(1.0, r.plan().stream().mapToDouble(PartPlan::share).sum(), 1e-9);
        Timing.await("the ledger empty", () -> FabricCompute.of(p0).orchestrator().reservedUnits().isEmpty());
    }

    @Test
    void aSplitterThatReturnsTheWrongNumberOfInputs_isRefusedByName() {
        TaskRequest perPart = TaskRequest.builder("image.gaussian-blur").build();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FabricCompute.of(p0)
            .map(perPart, "x", (d, shares) -> List.of(new byte[1]), outputs -> outputs.size()));
        assertTrue(e.getMessage().startsWith("splitter: 1 inputs for "), e.getMessage());
        assertTrue(e.getMessage().endsWith(" shares (expected: one input per share, in order)"), e.getMessage());
    }

    static double share(PartitionedResult<?> r, FabricType type) {
        return r.plan().stream().filter(p -> p.fabric().getFabricType() == type).mapToDouble(PartPlan::share).sum();
    }
}
