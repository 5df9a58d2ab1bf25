/**
 * The web console: its HTTP server, JSON API and pages over the Fabric Map. Not public API.
 * <p>
 * Uses: {@code io.fabricstitch.ignite} (configuration, schema) and {@code io.fabricstitch.ignite.internal} (the plugin,
 * its metrics and map rows).
 */
package io.fabricstitch.ignite.internal.console;
