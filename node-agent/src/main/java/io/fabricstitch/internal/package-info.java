/**
 * Implementation helpers shared by the agent's packages. <b>Not public API</b>: anything here may change without
 * notice.
 */
package io.fabricstitch.internal;
