package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import java.io.Serializable;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.UUID;

/**
 * A signed {@link TransferGrant}: what a client presents in a transfer's OPEN so that the agent stages or serves
 * anything at all. Short-lived and good for one transfer; whoever holds it can use it, so it travels only inside the
 * cluster (placements, job results) and on the data-path connection it opens. Immutable. The layout (big-endian):
 * <pre>
 * offset size  field
 * 0      1     version: 1
 * 1      1     direction: 1 UPLOAD, 2 DOWNLOAD
 * 2      16    transfer id (most, least significant bits)
 * 18     16    fabric id
 * 34     8     max bytes
 * 42     8     expires at, wall-clock ms since the epoch
 * 50     32    HMAC-SHA256 of bytes 0..49 under the cluster's {@link TransferKey}
 * </pre>
 * {@link #toString()} names the grant, never the signature.
 */
public final class TransferToken implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The layout's version. */
    static final int VERSION = 1;

    /** Bytes before the signature. */
    static final int SIGNED_BYTES = 50;

    /** Bytes of a token: {@value}. */
    public static final int BYTES = SIGNED_BYTES + 32;

    private final byte[] bytes;

    private TransferToken(byte[] bytes) {
        this.bytes = bytes;
    }

    static TransferToken sign(TransferGrant g, TransferKey key) {
        byte[] b = new byte[BYTES];
        ByteBuffer buf = ByteBuffer.wrap(b).put((byte)VERSION).put((byte)g.direction().code())
            .putLong(g.transferId().getMostSignificantBits()).putLong(g.transferId().getLeastSignificantBits())
            .putLong(g.fabricId().getMostSignificantBits()).putLong(g.fabricId().getLeastSignificantBits())
            .putLong(g.maxBytes()).putLong(g.expiresAtMillis());
        buf.put(key.mac(b, 0, SIGNED_BYTES));
        return new TransferToken(b);
    }

    /**
     * The token of these bytes (copied), as {@link #bytes()} gave them; not checked against any key.
     *
     * @throws IllegalArgumentException unless {@code bytes} has the layout's length, version and a known direction
     */
    public static TransferToken of(byte[] bytes) {
        String wrong = malformation(Checks.notNull(bytes, "bytes"));
        if (wrong != null)
            throw new IllegalArgumentException("bytes: " + wrong);
        return new TransferToken(bytes.clone());
    }

    /** What is wrong with {@code b} as a token, as {@code found (expected: ...)}; null when it is well formed. */
    static String malformation(byte[] b) {
        if (b.length != BYTES)
            return b.length + " bytes (expected: " + BYTES + ")";
        if (b[0] != VERSION)
            return "version " + (b[0] & 0xff) + " (expected: " + VERSION + ")";
        if (TransferGrant.Direction.ofCode(b[1]) == null)
            return "direction " + (b[1] & 0xff) + " (expected: 1 UPLOAD or 2 DOWNLOAD)";
        return null;
    }

    /** Whether {@code key} signed this token. Constant time. */
    boolean signedBy(TransferKey key) {
        return MessageDigest.isEqual(key.mac(bytes, 0, SIGNED_BYTES), Arrays.copyOfRange(bytes, SIGNED_BYTES, BYTES));
    }

    /** The grant the token says it carries; trust it only once the signature is checked. */
    public TransferGrant grant() {
        ByteBuffer b = ByteBuffer.wrap(bytes, 1, SIGNED_BYTES - 1);
        TransferGrant.Direction d = TransferGrant.Direction.ofCode(b.get());
        UUID transfer = new UUID(b.getLong(), b.getLong());
        UUID fabric = new UUID(b.getLong(), b.getLong());
        return new TransferGrant(d, transfer, fabric, b.getLong(), b.getLong());
    }

    /** The transfer the token opens. */
    public UUID transferId() {
        return grant().transferId();
    }

    /** The token on the wire (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TransferToken && Arrays.equals(bytes, ((TransferToken)o).bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "TransferToken [" + grant() + ']';
    }
}
