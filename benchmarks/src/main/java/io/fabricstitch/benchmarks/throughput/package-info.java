/**
 * The throughput benchmark: a load against a real cluster, its options, the reserving-path measurement and a JFR
 * breakdown.
 * <p>
 * Uses: the plugin's API and test fixtures, agent, model, the benchmarks' shared figures, tables and Flags.
 */
package io.fabricstitch.benchmarks.throughput;
