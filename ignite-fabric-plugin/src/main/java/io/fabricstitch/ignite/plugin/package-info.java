/**
 * The plugin's entry, public API: FabricPluginProvider, which a node lists in {@code pluginProviders} (or finds on
 * its class path) and which starts and wires the rest: agent, Fabric Map, orchestrator, console and security.
 * <p>
 * Uses: every package of the plugin; none uses it.
 */
package io.fabricstitch.ignite.plugin;
