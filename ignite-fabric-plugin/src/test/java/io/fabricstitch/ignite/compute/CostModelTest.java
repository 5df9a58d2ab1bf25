package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.model.FabricType;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The cost arithmetic, priority class specs and request validation. */
class CostModelTest {
    @Test
    void cost_isLatencyWeightTimesLatency_plusResourceWeightTimesUtilizationAfterTimesPrice() {
        CostTerms t = CostFunction.parse("FPGA=1.5").terms(CostWeights.of(0.2, 3.0), 7.5, FabricType.FPGA, 1024, 512,
            128);
        assertEquals(0.2 * 7.5, t.latencyTerm(), 1e-12);
        assertEquals((1024 - 512 + 128) / 1024.0, t.utilizationAfter(), 1e-12);
        assertEquals(3.0 * (640 / 1024.0) * 1.5, t.resourceTerm(), 1e-12);
        assertEquals(t.latencyTerm() + t.resourceTerm(), t.cost(), 1e-12);
        assertEquals(1.5, t.price());
    }

    @Test
    void utilizationAfter_isCappedAtOne() {
        assertEquals(1.0, CostFunction.utilizationAfter(10, 2, 5));
    }

    @Test
    void unnamedTypes_costThePriceOne() {
        CostFunction f = CostFunction.parse("GPU=2.5");
        assertEquals(2.5, f.price(FabricType.GPU));
        assertEquals(1.0, f.price(FabricType.CPU));
    }

    @Test
    void priceSpecs_withUnknownTypes_repeats_orBadNumbers_areRefusedByName() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CostFunction.parse("TPU=1"))
            .getMessage().startsWith("fabricPrices: "));
        assertEquals("fabricPrices: GPU given twice",
            assertThrows(IllegalArgumentException.class, () -> CostFunction.parse("GPU=1, gpu=2")).getMessage());
        assertEquals("fabricPrices GPU: 'cheap' (expected: a number >= 0)",
            assertThrows(IllegalArgumentException.class, () -> CostFunction.parse("GPU=cheap")).getMessage());
    }

    @Test
    void priorityClassSpec_roundTrips() {
        PriorityClass pc = PriorityClass.parse("  interactive : latencyWeight=2.0,resourceWeight=0.25 ");
        assertEquals("interactive", pc.name());
        assertEquals(CostWeights.of(2.0, 0.25), pc.weights());
        assertEquals(pc, PriorityClass.parse(pc.spec()));
    }

    @Test
    void priorityClassSpec_refusesUnknownRepeatedAndMissingKeys() {
        assertEquals("priority class 'x: latencyWeight=1, speed=2': unknown key 'speed' (expected: latencyWeight or "
            + "resourceWeight)", assertThrows(IllegalArgumentException.class,
                () -> PriorityClass.parse("x: latencyWeight=1, speed=2")).getMessage());
        assertEquals("priority class 'x: latencyWeight=1, latencyWeight=2': key 'latencyWeight' given twice",
            assertThrows(IllegalArgumentException.class,
                () -> PriorityClass.parse("x: latencyWeight=1, latencyWeight=2")).getMessage());
        assertEquals("priority class 'x: latencyWeight=1': missing key 'resourceWeight'",
            assertThrows(IllegalArgumentException.class, () -> PriorityClass.parse("x: latencyWeight=1")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> PriorityClass.parse("x: latencyWeight=-1, resourceWeight=1")).getMessage()
            .endsWith("latencyWeight: -1.0 (expected: a finite number >= 0)"));
    }

    @Test
    void defaultClasses_rankLatencyAgainstLoadAsDocumented() {
        for (PriorityClass pc : PriorityClass.defaults()) {
            double msPerFullFabric = pc.weights().resourceWeight() / pc.weights().latencyWeight();
            switch (pc.name()) {
                case PriorityClass.LATENCY_CRITICAL: assertEquals(0.5, msPerFullFabric, 1e-9); break;
                case PriorityClass.BALANCED: assertEquals(10, msPerFullFabric, 1e-9); break;
                case PriorityClass.BATCH: assertEquals(100, msPerFullFabric, 1e-9); break;
                default: throw new AssertionError(pc.name());
            }
        }
    }

    @Test
    void zeroWeights_areRefused() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> CostWeights.of(0, 0)).getMessage()
            .contains("at least one weight > 0"));
    }

    @Test
    void taskRequest_namesTheFieldItRefuses() {
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskRequest.builder("no spaces"))
            .getMessage().startsWith("function: 'no spaces'"));
        assertEquals("amount: 0 (expected: 1..9223372036854775807)", assertThrows(IllegalArgumentException.class,
            () -> TaskRequest.builder("sha256").amount(0)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> TaskRequest.builder("sha256").timeout(Duration.ZERO)).getMessage().startsWith("timeout: PT0S"));
        assertTrue(assertThrows(IllegalArgumentException.class,
            () -> TaskRequest.builder("sha256").priority("batch").weights(CostWeights.of(1, 1))).getMessage()
            .startsWith("weights: [latencyWeight=1.0, resourceWeight=1.0] after priority 'batch'"));
    }

    @Test
    void taskSize_isTheWorkGiven_elseTheInputSize_andBadWorkIsRefused() {
        assertEquals(12.5, TaskRequest.builder("sha256").work(12.5).input(new byte[3]).build().size(), 0);
        assertEquals(3, TaskRequest.builder("sha256").input(new byte[3]).build().size(), 0);
        assertEquals(0, TaskRequest.builder("sha256").build().size(), 0);
        assertEquals("work: -1.0 (expected: a finite number >= 0, 0 for unknown)", assertThrows(
            IllegalArgumentException.class, () -> TaskRequest.builder("sha256").work(-1)).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> TaskRequest.builder("sha256")
            .work(Double.NaN)).getMessage().startsWith("work: NaN"));
    }

    @Test
    void perSpeedPrices_divideTheTypePriceByTheSpeedFactor() {
        CostFunction f = CostFunction.parse("GPU=2.0").perSpeed(true);
        CostTerms t = f.terms(CostWeights.of(0, 1), 0, io.fabricstitch.model.FabricType.GPU, 4.0, 10, 10, 5);
        assertEquals(0.5, t.price(), 1e-12);
        assertEquals(0.25, t.resourceTerm(), 1e-12); // utilization 0.5 x price 0.5
        assertEquals(2.0, CostFunction.parse("GPU=2.0").terms(CostWeights.of(0, 1), 0,
            io.fabricstitch.model.FabricType.GPU, 4.0, 10, 10, 5).price(), 1e-12);
    }

    @Test
    void taskRequest_defaults_anyTypeOneUnitBalanced_andDropsItsInputForTheOrchestrator() {
        TaskRequest r = TaskRequest.builder("sha256").input(new byte[] {1, 2, 3}).build();
        assertTrue(r.anyFabricType());
        assertEquals(1, r.amount());
        assertEquals(PriorityClass.BALANCED, r.priority());
        assertEquals(TaskRequest.DFLT_TIMEOUT, r.timeout());
        assertEquals(3, r.inputLength());
        assertEquals(0, r.withoutInput().inputLength());
        assertEquals("FPGA|ASIC", TaskRequest.builder("x").fabricTypes(FabricType.ASIC, FabricType.FPGA).build()
            .fabricTypesText());
    }
}
