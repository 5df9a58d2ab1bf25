package io.fabricstitch.agent.datapath;

import java.util.UUID;

/** The payload of an OPEN frame: what the client asks for. Immutable. */
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

    /** Bytes of the payload: op, transfer id, declared length. */
    static final int BYTES = 1 + 16 + 8;

    private final Op op;
    private final UUID transferId;
    private final long declaredLength;

    /**
     * @param declaredLength bytes the client will send, or -1 when unknown; -1 for GET
     */
    OpenRequest(Op op, UUID transferId, long declaredLength) {
        this.op = op;
        this.transferId = transferId;
        this.declaredLength = declaredLength;
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

    @Override
    public String toString() {
        return op + " " + transferId + (declaredLength < 0 ? "" : ", " + declaredLength + " bytes");
    }
}
