package io.fabricstitch.agent.net;

import java.net.InetSocketAddress;

/**
 * A beacon that passed every check, with the datagram's source and when it came off the socket ({@code nanoTime}, see
 * {@link ArrivalStamp}).
 */
record ReceivedBeacon(BeaconMessage message, InetSocketAddress sender, long arrivedNanos) {
}
