/**
 * The plugin's implementation: cache rows, the map writer, membership tracking. <b>Not public API</b>: anything here
 * may change without notice.
 * <p>
 * Uses: the plugin's public packages (io.fabricstitch.ignite, ignite.compute), the placement engine, the agent and its
 * subpackages, function, model and internal.
 */
package io.fabricstitch.ignite.internal;
