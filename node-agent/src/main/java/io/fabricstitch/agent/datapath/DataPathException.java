package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;

/**
 * A transfer that failed, with the {@link Failure kind} of failure and a message that says what happened and what was
 * expected. Unchecked: callers that care switch on {@link #kind()}.
 */
public class DataPathException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** What went wrong; the server counts failures by kind in {@link DataPathStats}. */
    public enum Failure {
        /** The peer's certificate is not signed by a trusted CA, it refused ours, or it does not speak TLS. */
        UNTRUSTED_PEER(1),
        /** The connection closed, or the stream ended, before the whole transfer arrived. */
        TRUNCATED(2),
        /** A frame's CRC32C does not match its payload. */
        CHECKSUM(3),
        /** A frame longer than {@code maxFrameBytes}. */
        OVERSIZED_FRAME(4),
        /** The peer made no progress for {@code readTimeout}. */
        TIMEOUT(5),
        /** The server said no: unknown transfer, too large, more bytes than declared, disk. */
        REFUSED(6),
        /** Frames out of order, an unknown frame type or a malformed frame payload. */
        PROTOCOL(7),
        /** A local or network I/O failure: cannot connect, cannot read the input, cannot write the output. */
        IO(8),
        /**
         * The OPEN carries no valid transfer token: none, malformed, not signed with the cluster's key, expired, for
         * another transfer, direction or fabric, or declaring more bytes than it allows.
         */
        UNAUTHORIZED(9),
        /** The server is at a limit: its staging capacity, or its connections per peer address or in all. */
        BUSY(10);

        private final int code;

        Failure(int code) {
            this.code = code;
        }

        /** The byte that carries this kind in an ERROR frame. */
        int code() {
            return code;
        }

        /** The kind with this code; {@link #PROTOCOL} for an unknown code. */
        static Failure ofCode(int code) {
            for (Failure f : values()) {
                if (f.code == code)
                    return f;
            }
            return PROTOCOL;
        }
    }

    private final Failure kind;

    /**
     * @param message what happened and what was expected, e.g. {@code data path: ... (expected: ...)}
     */
    public DataPathException(Failure kind, String message) {
        this(kind, message, null);
    }

    /**
     * @param message what happened and what was expected
     * @param cause the underlying failure; may be null
     */
    public DataPathException(Failure kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = Checks.notNull(kind, "kind");
    }

    /** An exception raised inside the pipeline, for an expected condition: no stack trace. */
    static DataPathException expected(Failure kind, String message) {
        return new DataPathException(kind, message, null, false);
    }

    private DataPathException(Failure kind, String message, Throwable cause, boolean writableStackTrace) {
        super(message, cause, false, writableStackTrace);
        this.kind = kind;
    }

    /** What went wrong. */
    public Failure kind() {
        return kind;
    }
}
