package io.fabricstitch.agent.datapath;

import java.util.UUID;

/**
 * The payload of an OPEN frame: what the client asks for, and the token that allows it (checked by the server's
 * {@link TokenCheck}). Immutable.
 */
final class OpenRequest {
    /** The client's operation. */
    enum Op {
        /** Upload: DATA frames and END follow from the client. */
        PUT(1),
        /** Download: the server answers with DATA frames and END. */
        GET(2);

        private final int code;

        Op(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }

        static Op ofCode(int code) {
            return code == 1 ? PUT : code == 2 ? GET : null;
        }
    }

    /** Bytes of the payload without a token: op, transfer id, declared length. */
    static final int BYTES = 1 + 16 + 8;

    /** Most bytes of a token the server reads; more fails the OPEN. */
    static final int MAX_TOKEN_BYTES = 1024;

    /** Most payload bytes of an OPEN: without a token, a token's length (u16) and the token. */
    static final int MAX_BYTES = BYTES + 2 + MAX_TOKEN_BYTES;

    private final Op op;
    private final UUID transferId;
    private final long declaredLength;
    private final byte[] token;

    /**
     * @param declaredLength bytes the client will send, or -1 when unknown; -1 for GET
     * @param token the token's bytes as sent, not copied; null when the OPEN carries none
     */
    OpenRequest(Op op, UUID transferId, long declaredLength, byte[] token) {
        this.op = op;
        this.transferId = transferId;
        this.declaredLength = declaredLength;
        this.token = token;
    }

    Op op() {
        return op;
    }

    UUID transferId() {
        return transferId;
    }

    /** Bytes the client will send, -1 when unknown. */
    long declaredLength() {
        return declaredLength;
    }

    /** The token's bytes as sent, not to be changed; null when the OPEN carries none. */
    byte[] token() {
        return token;
    }

    @Override
    public String toString() {
        return op + " " + transferId + (declaredLength < 0 ? "" : ", " + declaredLength + " bytes");
    }
}
