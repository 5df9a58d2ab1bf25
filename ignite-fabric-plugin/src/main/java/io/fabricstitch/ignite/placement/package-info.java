/**
 * The placement engine: candidate tables, the selector and its cost loop, partition planning and data-path choice. Not
 * API: its public types are the entry points the plugin's internals, affinity and the benchmarks call.
 * <p>
 * Uses: {@code io.fabricstitch.ignite.compute} (requests, weights, cost function, results), FabricMapSchema's attribute
 * names, model and internal.
 */
package io.fabricstitch.ignite.placement;
