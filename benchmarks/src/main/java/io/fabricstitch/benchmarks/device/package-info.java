/**
 * Benchmarks on a real OpenCL device: kernel rounds, build times and placement on real fabrics.
 * <p>
 * Uses: the plugin's API and test fixtures, agent, agent.opencl, function, model, the benchmarks' Flags and Percentiles, and the suite's heterogeneous cluster.
 */
package io.fabricstitch.benchmarks.device;
