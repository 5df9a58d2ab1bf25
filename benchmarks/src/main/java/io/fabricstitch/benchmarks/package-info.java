/**
 * JMH and end-to-end benchmarks; results go to BENCHMARKS.md with the command that produced them.
 * {@link io.fabricstitch.benchmarks.SelectionBenchmark} measures fabric selection against a naive stream baseline.
 * Build {@code benchmarks/target/benchmarks.jar} and run it with {@code java -jar}.
 */
package io.fabricstitch.benchmarks;
