/**
 * The agent's implementation: device claims, allow-lists and host identity.
 * <b>Not public API</b>: anything here may change without notice.
 * <p>
 * Uses: model and io.fabricstitch.internal only.
 */
package io.fabricstitch.agent.internal;
