package io.fabricstitch.agent.net;

import java.util.UUID;

/** The body of a beacon datagram, decoded; what the peer protocol reads and writes. */
sealed interface BeaconMessage permits BeaconMessage.Announce, BeaconMessage.Ping, BeaconMessage.Pong {
    /** The datagram type that carries this body. */
    BeaconType type();

    /** The sending agent's node. */
    UUID nodeId();

    /** An agent's announcement, with the unicast port it answers pings on. */
    record Announce(Announcement announcement, int unicastPort) implements BeaconMessage {
        @Override
        public BeaconType type() {
            return BeaconType.ANNOUNCE;
        }

        @Override
        public UUID nodeId() {
            return announcement.nodeId();
        }
    }

    /** A ping: its sequence number and the sender's {@code nanoTime} when it was made. */
    record Ping(UUID nodeId, long seq, long sentNanos) implements BeaconMessage {
        @Override
        public BeaconType type() {
            return BeaconType.PING;
        }
    }

    /** The answer to a ping, from node {@code nodeId}, echoing the ping's sequence number and send time. */
    record Pong(UUID nodeId, long seq, long sentNanos) implements BeaconMessage {
        @Override
        public BeaconType type() {
            return BeaconType.PONG;
        }
    }
}
