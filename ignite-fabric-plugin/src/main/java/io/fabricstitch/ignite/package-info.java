/**
 * The plugin's entry and configuration, public API: FabricPluginProvider, FabricPlugin, FabricPluginConfiguration, the
 * security configuration, FabricMapSchema (cache, table and attribute names).
 * <p>
 * Uses: compute, placement, internal (and its console and security), the agent's and the model's public packages; in a
 * cycle with compute and internal until the configuration has its own package (see PackageCyclesTest).
 */
package io.fabricstitch.ignite;
