/**
 * The latency-probe benchmark: what the agents' RTT probes cost.
 * <p>
 * Uses: agent.net and the plugin's test fixtures.
 */
package io.fabricstitch.benchmarks.latency;
