package io.fabricstitch.benchmarks.partitioned;

import io.fabricstitch.ignite.compute.PartitionedResult;
import io.fabricstitch.ignite.compute.TaskResult;
import java.util.List;

/** One round of {@link PartitionedBenchmark}: both cases' times and results. */
final class PartitionedRound {
    final String label;
    final boolean oneFirst;
    double oneMs;
    double mapMs;
    double splitMs;
    double reduceMs;
    List<int[]> rows;
    List<Integer> inputBytes;
    int oneInputBytes;
    TaskResult one;
    PartitionedResult<byte[]> result;

    /** The time of map() outside the splitter and the reducer: placing, running and collecting the parts. */
    double partsMs() {
        return mapMs - splitMs - reduceMs;
    }

    PartitionedRound(String label, boolean oneFirst) {
        this.label = label;
        this.oneFirst = oneFirst;
    }
}
