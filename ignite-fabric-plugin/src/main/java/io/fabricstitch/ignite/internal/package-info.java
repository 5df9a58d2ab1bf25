/**
 * The plugin's implementation: cache rows, the map writer, membership tracking. <b>Not public API</b>: anything here
 * may change without notice.
 */
package io.fabricstitch.ignite.internal;
