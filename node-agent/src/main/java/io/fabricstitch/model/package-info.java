/**
 * The Fabric Map's model, public API: a fabric's entry, type, status, runtimes and functions, as every module sees
 * them.
 * <p>
 * Uses: {@code io.fabricstitch.internal} only.
 */
package io.fabricstitch.model;
