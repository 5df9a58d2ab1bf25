package io.fabricstitch.agent.net;

import java.net.InetSocketAddress;

/** Where the {@link PeerProtocol} sends beacons; the network's unicast channel, or a test's. */
interface BeaconSender {
    /**
     * Sends {@code message} to {@code recipient}, at once or {@code delayNanos} later (injected latency).
     * Fire-and-forget: failures are logged, never thrown.
     */
    void send(BeaconMessage message, InetSocketAddress recipient, long delayNanos);
}
