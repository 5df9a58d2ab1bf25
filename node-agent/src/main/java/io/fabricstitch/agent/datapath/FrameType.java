package io.fabricstitch.agent.datapath;

/** The frame types of the data path; see {@link FrameDecoder} for the layout. */
enum FrameType {
    /** Starts a transfer: op u8 (1 PUT, 2 GET), transfer id (16 bytes), declared length i64 (-1 unknown). */
    OPEN(1),
    /** A piece of the transfer's bytes. */
    DATA(2),
    /** Ends the DATA of a transfer: total length i64. */
    END(3),
    /** Acknowledges a transfer: status u8 (0 = ok), then a UTF-8 message. */
    ACK(4),
    /** Fails a transfer: the failure kind u8, then a UTF-8 message. */
    ERROR(5);

    /** What the {@code (expected: ...)} part of a message says about types. */
    static final String EXPECTED = "1 OPEN, 2 DATA, 3 END, 4 ACK or 5 ERROR";

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The type byte on the wire. */
    int code() {
        return code;
    }

    /** The type with this code; null when none has it. */
    static FrameType ofCode(int code) {
        for (FrameType t : values()) {
            if (t.code == code)
                return t;
        }
        return null;
    }
}
