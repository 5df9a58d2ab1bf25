/**
 * The plugin's configuration and face, public API: FabricPluginConfiguration (whose agent, network and dataPath beans
 * are the node agent's own: FabricAgentConfiguration, FabricNetworkConfiguration, FabricDataPathConfiguration), the
 * orchestrator and console beans, the security configuration, FabricStitch (a node's fabrics, the Fabric Map, fault
 * injection, the console's address), FabricFaultsMXBean and FabricMapSchema (cache, table and attribute names).
 * <p>
 * Uses: compute (cost function, priority classes, FabricCompute), the agent's and the model's public packages.
 */
package io.fabricstitch.ignite;
