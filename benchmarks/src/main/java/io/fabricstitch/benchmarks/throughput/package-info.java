/**
 * The throughput benchmark: a load against a real cluster, its options, the reserving-path measurement and a JFR
 * breakdown.
 * <p>
 * Uses: the plugin's API and test fixtures, agent, model, the suite's figures and the benchmarks' Flags.
 */
package io.fabricstitch.benchmarks.throughput;
