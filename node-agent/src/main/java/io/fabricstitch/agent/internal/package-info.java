/**
 * The agent's implementation: device claims, allow-lists, identity and merging of probe results.
 * <b>Not public API</b>: anything here may change without notice.
 * <p>
 * Uses: the probe SPI of {@code io.fabricstitch.agent} (a cycle listed in PackageCyclesTest).
 */
package io.fabricstitch.agent.internal;
