/**
 * The application API: FabricCompute, TaskRequest, TaskResult, FabricTaskContext, the two compute SPIs, Splitter,
 * Reducer, PartitionedResult, ProgressListener, the exceptions and the cost types (README, "The API"). It reaches the
 * engine that runs the tasks (in {@code io.fabricstitch.ignite.internal}) through {@link
 * io.fabricstitch.ignite.compute.ComputeEngine}, which the plugin implements.
 * <p>
 * Uses: model, function, agent and io.fabricstitch.internal; no other package of the plugin.
 */
package io.fabricstitch.ignite.compute;
