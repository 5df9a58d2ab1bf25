package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.benchmarks.Percentiles;
import java.util.Map;

/**
 * What one policy did with the batch.
 *
 * @param policy the policy
 * @param makespanMs first submission to last completion
 * @param latency per-task submission-to-completion times, ms
 * @param tasksByDevice tasks each device served
 * @param workByDevice work units each device served
 */
public record PlacementResult(Policy policy, double makespanMs, Percentiles latency, Map<String, Integer> tasksByDevice,
    Map<String, Double> workByDevice) {
}
