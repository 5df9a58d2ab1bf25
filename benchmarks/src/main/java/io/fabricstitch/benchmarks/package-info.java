/**
 * JMH and end-to-end benchmarks; results go to BENCHMARKS.md with the command that produced them.
 * {@link io.fabricstitch.benchmarks.SelectionBenchmark} measures fabric selection against a naive stream baseline.
 * Build {@code benchmarks/target/benchmarks.jar} and run it with {@code java -jar}.
 * <p>
 * Uses: the plugin's API, its placement entry points and test fixtures, agent, agent.datapath, agent.net,
 * function.builtin, model, and the suite's cluster (a cycle listed in PackageCyclesTest).
 */
package io.fabricstitch.benchmarks;
