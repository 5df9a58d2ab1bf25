/**
 * The node agent, public API: probes a host's fabrics, checks their health and keeps their inventory (FabricAgent,
 * AgentConfiguration); its package-private ProbeRunner and InventoryMerger run the probes and merge their results.
 * FabricAgentConfiguration is the {@code agent} part of the plugin's configuration tree, which AgentConfiguration
 * holds as it is.
 * <p>
 * Uses: model, function, internal and the agent's subpackages (net, datapath, probe, opencl, internal), none of which
 * uses it back (PackageCyclesTest).
 */
package io.fabricstitch.agent;
