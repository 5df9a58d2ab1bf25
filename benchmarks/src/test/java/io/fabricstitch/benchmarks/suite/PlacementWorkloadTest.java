package io.fabricstitch.benchmarks.suite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.compute.PriorityClass;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class PlacementWorkloadTest {
    @Test
    void theSameSeedGivesTheSameBatch() {
        assertEquals(PlacementWorkload.generate(600, 42), PlacementWorkload.generate(600, 42));
    }

    @Test
    void anotherSeedGivesAnotherBatch() {
        assertNotEquals(PlacementWorkload.generate(600, 42), PlacementWorkload.generate(600, 43));
    }

    @Test
    void tasksAreNumberedInOrderWithSizesWithinTheTiers() {
        List<BenchTask> batch = PlacementWorkload.generate(2000, 1);
        for (int i = 0; i < batch.size(); i++) {
            assertEquals(i, batch.get(i).index());
            double w = batch.get(i).work();
            assertTrue(w >= 40 && w <= 3200, "work " + w);
        }
    }

    @Test
    void theBatchMixesEveryFunctionAndPriorityInRoughlyTheDocumentedShares() {
        List<BenchTask> batch = PlacementWorkload.generate(5000, 7);
        assertEquals(Set.of(PlacementWorkload.INFER, PlacementWorkload.ENCODE, PlacementWorkload.FILTER),
            batch.stream().map(BenchTask::function).collect(Collectors.toSet()));
        assertEquals(Set.of(PriorityClass.LATENCY_CRITICAL, PriorityClass.BALANCED, PriorityClass.BATCH),
            batch.stream().map(BenchTask::priority).collect(Collectors.toSet()));
        assertEquals(0.5, share(batch, t -> t.function().equals(PlacementWorkload.INFER)), 0.05);
        assertEquals(0.2, share(batch, t -> t.priority().equals(PriorityClass.LATENCY_CRITICAL)), 0.05);
        assertEquals(0.1, share(batch, t -> t.work() >= 800), 0.03);
    }

    @Test
    void everyFunctionOfTheBatchRunsOnSomeDevice() {
        for (BenchTask t : PlacementWorkload.generate(500, 3))
            assertTrue(HeterogeneousCluster.DEVICES.stream().anyMatch(d -> d.runs(t.function())), t.function());
    }

    @Test
    void anEmptyBatchIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> PlacementWorkload.generate(0, 1));
        assertTrue(e.getMessage().contains("tasks: 0"), e.getMessage());
    }

    private static double share(List<BenchTask> batch, java.util.function.Predicate<BenchTask> p) {
        return batch.stream().filter(p).count() / (double)batch.size();
    }
}
