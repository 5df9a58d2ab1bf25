package io.fabricstitch.agent.net;

import java.net.InetSocketAddress;

/** A beacon to send, and where to; the {@link BeaconEncoder} turns it into a signed datagram. */
record OutgoingBeacon(BeaconMessage message, InetSocketAddress recipient) {
}
