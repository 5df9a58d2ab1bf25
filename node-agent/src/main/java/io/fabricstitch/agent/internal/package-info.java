/**
 * The agent's implementation: device claims, allow-lists, identity and merging of probe results.
 * <b>Not public API</b>: anything here may change without notice.
 */
package io.fabricstitch.agent.internal;
