/**
 * The application API: FabricCompute, TaskRequest, TaskResult, FabricTaskContext, the two compute SPIs, Splitter,
 * Reducer, PartitionedResult, ProgressListener, the exceptions and the cost types (README, "The API"); its
 * package-private classes run the tasks.
 * <p>
 * Uses: model, function, agent, internal, and today the plugin's io.fabricstitch.ignite, ignite.internal and
 * ignite.placement (the task engine that still lives here; see PackageCyclesTest).
 */
package io.fabricstitch.ignite.compute;
