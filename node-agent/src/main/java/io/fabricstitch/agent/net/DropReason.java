package io.fabricstitch.agent.net;

/** Why a datagram was dropped; each reason has its own counter in {@link NetworkStats}. */
enum DropReason {
    /** Longer than {@code maxPacketBytes}. */
    OVERSIZED("oversized"),
    /** Not a well-formed beacon: frame or body. */
    MALFORMED("malformed"),
    /** HMAC mismatch: another secret, or altered on the way. */
    UNAUTHENTICATED("unauthenticated"),
    /** Timestamp outside the replay window, or a nonce seen before. */
    REPLAYED("replayed");

    private final String label;

    DropReason(String label) {
        this.label = label;
    }

    /** Lower-case name for log lines. */
    String label() {
        return label;
    }

    /** What a datagram needs to pass this check, for the {@code (expected: ...)} part of a warning. */
    String expected(NetworkConfiguration cfg) {
        switch (this) {
            case OVERSIZED:
                return "at most maxPacketBytes = " + cfg.maxPacketBytes() + " bytes";
            case MALFORMED:
                return "a Fabric Stitch beacon: magic FABR, version " + BeaconFrameDecoder.VERSION
                    + ", a well-formed body";
            case UNAUTHENTICATED:
                return "HMAC-SHA256 under this cluster's network.beaconSecret";
            default:
                return "a timestamp within replayWindow = " + Durations.text(cfg.replayWindow())
                    + " of this node's clock and a nonce not seen before";
        }
    }
}
