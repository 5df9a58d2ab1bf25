/**
 * The plugin's implementation: the plugin object (FabricPlugin), the task engine behind FabricCompute and the SPIs
 * (FabricComputeImpl, TaskRun, PlacedTask, JobRouter, ...), cache rows, the map writer, the orchestrator, membership
 * tracking. <b>Not public API</b>: anything here may change without notice.
 * <p>
 * Uses: the plugin's public packages (io.fabricstitch.ignite, ignite.compute), the placement engine, the agent and its
 * subpackages, function, model and internal; not its own subpackages console and security, which use it.
 */
package io.fabricstitch.ignite.internal;
