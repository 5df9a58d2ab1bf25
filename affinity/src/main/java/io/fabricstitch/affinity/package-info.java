/**
 * Data-locality-aware routing of closures over partitioned Ignite caches. This module holds no code yet: it arrives
 * with the data-path work (choice between a key's primary node and an accelerated node by the cost function with a
 * transfer term).
 */
package io.fabricstitch.affinity;
