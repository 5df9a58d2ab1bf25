package io.fabricstitch.benchmarks.suite;

/**
 * One task of the placement workload.
 *
 * @param index position in the batch (submission order)
 * @param function function the task needs
 * @param work work units (a speed-1 slot needs {@code work} ms)
 * @param priority Fabric Stitch priority class (the built-in balancers ignore it)
 */
public record BenchTask(int index, String function, double work, String priority) {
}
