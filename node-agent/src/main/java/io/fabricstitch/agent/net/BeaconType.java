package io.fabricstitch.agent.net;

/** The kinds of beacon datagram, with their code on the wire. */
enum BeaconType {
    /** An agent tells who it is and what fabrics it has. */
    ANNOUNCE(1),
    /** Asks for a {@link #PONG}; measures round-trip time. */
    PING(2),
    /** Answers a {@link #PING}, echoing its sequence number and send time. */
    PONG(3);

    private static final BeaconType[] BY_CODE = {null, ANNOUNCE, PING, PONG};

    private final int code;

    BeaconType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    int code() {
        return code;
    }

    /** The type with wire code {@code code}; null when there is none. */
    static BeaconType ofCode(int code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
