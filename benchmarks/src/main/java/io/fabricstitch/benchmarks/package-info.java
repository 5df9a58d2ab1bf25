/**
 * JMH and end-to-end benchmarks; results go to BENCHMARKS.md with the command that produced them.
 * {@link io.fabricstitch.benchmarks.SelectionBenchmark} measures fabric selection against a naive stream baseline.
 * Build {@code benchmarks/target/benchmarks.jar} and run it with {@code java -jar}.
 * <p>
 * The shared reporting pieces (Figure, ResultTable, Percentiles, Flags) live here too, so every measurement package
 * may use this one and this one uses none of them.
 * <p>
 * Uses: the plugin's API, its placement entry points and test fixtures, agent, agent.datapath, agent.net,
 * function.builtin, model.
 */
package io.fabricstitch.benchmarks;
