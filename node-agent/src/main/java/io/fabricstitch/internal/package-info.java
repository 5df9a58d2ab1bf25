/**
 * Implementation helpers shared by the agent's packages. <b>Not public API</b>: anything here may change without
 * notice.
 * <p>
 * Uses: nothing of the project: every other package may use it.
 */
package io.fabricstitch.internal;
