/**
 * The partitioned-task benchmark (PartitionedBenchmark): one class per measurement (PartitionedBlur,
 * PartitionedMatmul) over a shared workload, cutter and round, on the suite's heterogeneous cluster.
 * <p>
 * Uses: the plugin's API and placement entry points, model, the benchmarks' Flags, and the suite's cluster.
 */
package io.fabricstitch.benchmarks.partitioned;
