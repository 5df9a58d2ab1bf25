package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The key {@link TransferToken}s are signed and checked with (HMAC-SHA256): one per cluster, held by the nodes that
 * issue tokens (the orchestrator, an agent staging an output) and by the data-path servers that check them; it is
 * never sent to a data-path peer. Immutable. {@link #toString()} shows only a {@link #fingerprint() fingerprint}.
 */
public final class TransferKey {
    /** Bytes of a key: 32. */
    public static final int BYTES = 32;

    private static final String HMAC = "HmacSHA256";

    /** The salt of {@link #derive}'s extract step: names the use, so that another use of the secret gets another key. */
    private static final byte[] SALT = "fabric-stitch transfer key".getBytes(StandardCharsets.UTF_8);

    private final byte[] key;
    private final String fingerprint;

    private TransferKey(byte[] key) {
        this.key = key;
        fingerprint = HexFormat.of().formatHex(sha256(key), 0, 4);
    }

    /**
     * A key of these bytes (copied).
     *
     * @throws IllegalArgumentException unless {@code key} holds {@value #BYTES} bytes
     */
    public static TransferKey of(byte[] key) {
        Checks.notNull(key, "key");
        if (key.length != BYTES)
            throw new IllegalArgumentException("key: " + key.length + " bytes (expected: " + BYTES + ")");
        return new TransferKey(key.clone());
    }

    /** A new random key. */
    public static TransferKey generate(SecureRandom random) {
        byte[] k = new byte[BYTES];
        Checks.notNull(random, "random").nextBytes(k);
        return new TransferKey(k);
    }

    /**
     * The key derived from a shared secret for one use, HKDF with SHA-256 (RFC 5869): extract with a fixed salt, then
     * expand one block with {@code label}. Every node with the same secret and label derives the same key; the key
     * tells nothing of the secret, and another label gives an unrelated key.
     *
     * @param secret at least 16 bytes
     * @param label names the use, e.g. {@code fabric-stitch/data-path/transfer-tokens/v1}
     */
    public static TransferKey derive(byte[] secret, String label) {
        Checks.notNull(secret, "secret");
        if (secret.length < 16)
            throw new IllegalArgumentException("secret: " + secret.length + " bytes (expected: at least 16)");
        byte[] prk = hmac(SALT, secret);
        byte[] info = Checks.notBlank(label, "label", 256).getBytes(StandardCharsets.UTF_8);
        byte[] block = new byte[info.length + 1];
        System.arraycopy(info, 0, block, 0, info.length);
        block[info.length] = 1;
        return new TransferKey(hmac(prk, block));
    }

    /**
     * The key's bytes (a copy), to share it with another member of the cluster over a private channel. Never log,
     * store or send them to a data-path peer.
     */
    public byte[] bytes() {
        return key.clone();
    }

    /** The first 4 bytes of the key's SHA-256 in hex: tells two keys apart in logs without saying anything of them. */
    public String fingerprint() {
        return fingerprint;
    }

    /** HMAC-SHA256 of {@code data[off, off+len)} under this key. */
    byte[] mac(byte[] data, int off, int len) {
        try {
            Mac m = Mac.getInstance(HMAC);
            m.init(new SecretKeySpec(key, HMAC));
            m.update(data, off, len);
            return m.doFinal();
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available (expected: any Java 17 runtime)", e);
        }
    }

    private static byte[] hmac(byte[] key, byte[] data) {
        return new TransferKey(key).mac(data, 0, data.length);
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("SHA-256 is not available (expected: any Java 17 runtime)", e);
        }
    }

    /** Equal when the bytes are, compared in constant time. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TransferKey && MessageDigest.isEqual(key, ((TransferKey)o).key);
    }

    @Override
    public int hashCode() {
        return fingerprint.hashCode();
    }

    @Override
    public String toString() {
        return "TransferKey [fingerprint=" + fingerprint + ']';
    }
}
