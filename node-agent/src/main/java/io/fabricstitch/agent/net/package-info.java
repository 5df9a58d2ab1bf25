/**
 * The agent's network side: authenticated UDP beacons announce each agent (multicast, plus unicast seeds for sites
 * multicast does not reach), a table of the {@link io.fabricstitch.agent.net.Peer peers} heard, and smoothed
 * round-trip times to them measured with authenticated UDP ping/pong.
 * <p>
 * API: {@link io.fabricstitch.agent.net.AgentNetwork}, {@link io.fabricstitch.agent.net.FabricNetworkConfiguration}
 * (the {@code network} part of the plugin's configuration tree, which the agent's network reads as it is),
 * {@link io.fabricstitch.agent.net.NetworkConfiguration}, {@link io.fabricstitch.agent.net.PeerListener} and the
 * immutable values it hands out. The package-private classes (the beacon pipeline, its codec and the peer protocol)
 * are not API. Like the rest of the agent, this package knows
 * nothing of Ignite.
 * <p>
 * Uses: model and internal only.
 */
package io.fabricstitch.agent.net;
