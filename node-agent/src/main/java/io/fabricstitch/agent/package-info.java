/**
 * The node agent, public API: probes a host's fabrics, checks their health and keeps their inventory (FabricAgent,
 * AgentConfiguration, the FabricProbe SPI). FabricAgentConfiguration is the {@code agent} part of the plugin's
 * configuration tree, which AgentConfiguration holds as it is.
 * <p>
 * Uses: model, function, internal and the agent's subpackages (net, datapath, probe, opencl, internal); still in a
 * cycle with probe, opencl and internal (see PackageCyclesTest).
 */
package io.fabricstitch.agent;
