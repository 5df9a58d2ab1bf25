package io.fabricstitch.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.model.FabricType;
import java.util.List;
import org.junit.jupiter.api.Test;

class LowerBoundTest {
    private static final Device FAST = new Device("fast", FabricType.GPU, "fast", 8, 4, 3, "default", List.of("a", "b"));
    private static final Device SLOW = new Device("slow", FabricType.GPU, "slow", 1, 2, 0, "default", List.of("a"));

    @Test
    void workOverCapacityDividesTotalWorkBySpeedTimesSlots() {
        List<BenchTask> tasks = List.of(task("a", 170), task("b", 170));
        assertEquals(10.0, LowerBound.workOverCapacity(tasks, List.of(FAST, SLOW)), 1e-9); // 340 / (32 + 2)
    }

    @Test
    void longestTaskCountsOnTheDeviceThatFinishesItSoonest() {
        // 80 units: fast 3 + 80/8 = 13 ms, slow 0 + 80 = 80 ms.
        assertEquals(13.0, LowerBound.longestTask(List.of(task("a", 80)), List.of(FAST, SLOW)), 1e-9);
        // Only the fast device runs "b".
        assertEquals(3 + 400 / 8.0, LowerBound.longestTask(List.of(task("a", 8), task("b", 400)),
            List.of(FAST, SLOW)), 1e-9);
    }

    @Test
    void theBoundIsTheLargerOfTheTwo() {
        List<BenchTask> manySmall = java.util.stream.IntStream.range(0, 100).mapToObj(i -> task("a", 34)).toList();
        assertEquals(100.0, LowerBound.of(manySmall, List.of(FAST, SLOW)), 1e-9); // 3400 / 34 > 3 + 34/8
        List<BenchTask> oneLarge = List.of(task("a", 3400));
        assertEquals(3 + 3400 / 8.0, LowerBound.of(oneLarge, List.of(FAST, SLOW)), 1e-9); // > 3400 / 34
    }

    @Test
    void aTaskNoDeviceRunsIsRefusedNamingIt() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> LowerBound.longestTask(List.of(task("c", 1)), List.of(FAST, SLOW)));
        assertTrue(e.getMessage().contains("no device runs c"), e.getMessage());
    }

    @Test
    void theBenchmarksDevicesHaveTheDocumentedCapacity() {
        assertEquals(46.0, HeterogeneousCluster.DEVICES.stream().mapToDouble(Device::capacity).sum(), 1e-9);
    }

    private static BenchTask task(String function, double work) {
        return new BenchTask(0, function, work, "balanced");
    }
}
