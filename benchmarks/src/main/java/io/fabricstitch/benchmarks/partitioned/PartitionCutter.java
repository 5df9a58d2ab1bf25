package io.fabricstitch.benchmarks.partitioned;

import io.fabricstitch.ignite.compute.Reducer;
import io.fabricstitch.ignite.compute.Splitter;
import java.util.ArrayList;
import java.util.List;

/** A splitter and reducer for one task, with what they cut and how long they took. */
abstract class PartitionCutter implements Splitter<byte[]>, Reducer<byte[]> {
    /** Per part: its first row, the row after its last, the first row of its input (halo included). */
    final List<int[]> rows = new ArrayList<>();
    /** Per part: the bytes of its input. */
    final List<Integer> inputBytes = new ArrayList<>();
    long splitNanos;
    long reduceNanos;

    /**
     * Where {@code shares.size()} blocks of {@code total} rows begin, in proportion to the shares, each at least one
     * row long: block {@code i} is rows {@code b[i]} to {@code b[i + 1] - 1}.
     */
    static int[] blocks(int total, List<Double> shares, String what) {
        int parts = shares.size();
        if (total < parts)
            throw new IllegalArgumentException(what + ": " + total + " rows for " + parts + " parts (expected: at "
                + "least one row per part)");
        int[] b = new int[parts + 1];
        double sum = 0;
        for (int i = 0; i < parts; i++) {
            sum += shares.get(i);
            b[i + 1] = i == parts - 1 ? total
                : Math.min(total - (parts - 1 - i), Math.max(b[i] + 1, (int)Math.round(sum * total)));
        }
        return b;
    }
}
