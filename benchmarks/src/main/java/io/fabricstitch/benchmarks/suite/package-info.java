/**
 * The benchmark suite (BenchmarkSuite): one class per figure of BENCHMARKS.md over a simulated heterogeneous cluster.
 * <p>
 * Uses: the plugin's API and test fixtures, the agent, function and model, and the benchmarks that it runs
 * (io.fabricstitch.benchmarks with its shared figures and tables, throughput).
 */
package io.fabricstitch.benchmarks.suite;
