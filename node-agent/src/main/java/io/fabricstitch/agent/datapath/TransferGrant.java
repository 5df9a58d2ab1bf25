package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import java.time.Instant;
import java.util.Objects;
import java.util.UUID;

/**
 * What a {@link TransferToken} allows: one direction (upload to, or download from, a fabric's agent) of one transfer,
 * for one fabric, of at most so many bytes, until an instant. The orchestrator grants an upload with each placement;
 * the agent that staged an output grants its download. {@link #sign} turns it into the token the client presents.
 * Immutable.
 */
public final class TransferGrant {
    /** Which way the bytes go. */
    public enum Direction {
        /** The client sends the transfer's bytes to the agent (a PUT). */
        UPLOAD(1),
        /** The client fetches an output the agent staged (a GET). */
        DOWNLOAD(2);

        private final int code;

        Direction(int code) {
            this.code = code;
        }

        int code() {
            return code;
        }

        /** The direction with this code; null when none has it. */
        static Direction ofCode(int code) {
            return code == 1 ? UPLOAD : code == 2 ? DOWNLOAD : null;
        }
    }

    private final Direction direction;
    private final UUID transferId;
    private final UUID fabricId;
    private final long maxBytes;
    private final long expiresAtMillis;

    TransferGrant(Direction direction, UUID transferId, UUID fabricId, long maxBytes, long expiresAtMillis) {
        this.direction = direction;
        this.transferId = transferId;
        this.fabricId = fabricId;
        this.maxBytes = maxBytes;
        this.expiresAtMillis = expiresAtMillis;
    }

    /**
     * An upload of at most {@code maxBytes} as transfer {@code transferId} to the agent of fabric {@code fabricId},
     * opened before {@code expiresAtMillis} (wall-clock milliseconds since the epoch).
     */
    public static TransferGrant upload(UUID transferId, UUID fabricId, long maxBytes, long expiresAtMillis) {
        return new TransferGrant(Direction.UPLOAD, Checks.notNull(transferId, "transferId"),
            Checks.notNull(fabricId, "fabricId"), Checks.inRange(maxBytes, 0, Long.MAX_VALUE, "maxBytes"),
            expiresAtMillis);
    }

    /**
     * The download of output {@code transferId}, {@code length} bytes, staged by the agent of fabric {@code fabricId},
     * opened before {@code expiresAtMillis} (wall-clock milliseconds since the epoch).
     */
    public static TransferGrant download(UUID transferId, UUID fabricId, long length, long expiresAtMillis) {
        return new TransferGrant(Direction.DOWNLOAD, Checks.notNull(transferId, "transferId"),
            Checks.notNull(fabricId, "fabricId"), Checks.inRange(length, 0, Long.MAX_VALUE, "length"),
            expiresAtMillis);
    }

    /** The token of this grant, signed with {@code key}. */
    public TransferToken sign(TransferKey key) {
        return TransferToken.sign(this, Checks.notNull(key, "key"));
    }

    public Direction direction() {
        return direction;
    }

    /** The one transfer the token opens. */
    public UUID transferId() {
        return transferId;
    }

    /** The fabric whose agent accepts the token. */
    public UUID fabricId() {
        return fabricId;
    }

    /** Most bytes the upload may declare and send (for a download, the output's length). */
    public long maxBytes() {
        return maxBytes;
    }

    /** Wall-clock milliseconds since the epoch from which the token no longer opens a transfer. */
    public long expiresAtMillis() {
        return expiresAtMillis;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof TransferGrant))
            return false;
        TransferGrant g = (TransferGrant)o;
        return direction == g.direction && transferId.equals(g.transferId) && fabricId.equals(g.fabricId)
            && maxBytes == g.maxBytes && expiresAtMillis == g.expiresAtMillis;
    }

    @Override
    public int hashCode() {
        return Objects.hash(direction, transferId, fabricId, maxBytes, expiresAtMillis);
    }

    @Override
    public String toString() {
        return "TransferGrant [" + direction + " of transfer " + transferId + ", fabric " + fabricId + ", maxBytes="
            + maxBytes + ", expiresAt=" + Instant.ofEpochMilli(expiresAtMillis) + ']';
    }
}
