/**
 * Ignite security for a Fabric Stitch cluster, when {@code FabricPluginConfiguration.security} is on: the plugin's
 * security processor authenticates joining nodes by the cluster secret and JDBC/thin clients by login or client
 * certificate, and refuses readers every change. Built on Ignite's internal security SPI (2.17). Not API.
 * <p>
 * Uses: {@code io.fabricstitch.ignite} (the security configuration and its users) only.
 */
package io.fabricstitch.ignite.internal.security;
