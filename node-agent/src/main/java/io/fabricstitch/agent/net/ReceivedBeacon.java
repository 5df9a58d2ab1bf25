package io.fabricstitch.agent.net;

import java.net.InetSocketAddress;

/** A beacon that passed every check, with the datagram's source. */
record ReceivedBeacon(BeaconMessage message, InetSocketAddress sender) {
}
