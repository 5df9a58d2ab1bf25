package io.fabricstitch.agent.datapath;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.CRC32C;

/** Configurations, data, digests, TLS material and raw frames for the data path tests. */
final class DataPathFixtures {
    private DataPathFixtures() {
    }

    /** The tests' cluster key: every server of {@link #config} checks tokens with it. */
    static final TransferKey KEY = TransferKey.of(HexFormat.of().parseHex(
        "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f"));

    /** The fabric the tests' servers answer for. */
    static final UUID FABRIC = UUID.fromString("0000fab0-0000-4000-8000-000000000001");

    /** Most bytes the tests' upload tokens allow unless a test says otherwise: 1 GiB. */
    static final long TOKEN_MAX_BYTES = 1L << 30;

    /**
     * A configuration on loopback, staging in {@code staging}, with a readTimeout short enough for tests, checking
     * tokens with {@link #KEY} for {@link #FABRIC}, and a staging capacity of 8 GiB (not the disk's free space).
     */
    static DataPathConfiguration.Builder config(Path staging, String agentName) {
        return DataPathConfiguration.builder().stagingDirectory(staging).agentName(agentName)
            .readTimeout(Duration.ofSeconds(5)).transferKey(KEY).hostsFabric(FABRIC::equals)
            .stagingCapacityBytes(8L << 30);
    }

    /** A valid token for uploading transfer {@code id} of at most {@link #TOKEN_MAX_BYTES}. */
    static TransferToken uploadToken(UUID id) {
        return uploadToken(id, TOKEN_MAX_BYTES);
    }

    /** A valid token for uploading transfer {@code id} of at most {@code maxBytes}. */
    static TransferToken uploadToken(UUID id, long maxBytes) {
        return TransferGrant.upload(id, FABRIC, maxBytes, System.currentTimeMillis() + 60_000).sign(KEY);
    }

    /** A valid token for downloading output {@code id}. */
    static TransferToken downloadToken(UUID id) {
        return TransferGrant.download(id, FABRIC, 0, System.currentTimeMillis() + 60_000).sign(KEY);
    }

    /** {@code n} pseudo-random bytes. */
    static byte[] random(int n, long seed) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    static String sha256(byte[] data) {
        return HexFormat.of().formatHex(digest().digest(data));
    }

    static String sha256(Path file) throws IOException {
        MessageDigest d = digest();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = in.read(buf)) > 0;)
                d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    static String sha256(StagedInput in) throws IOException {
        MessageDigest d = digest();
        try (InputStream s = in.open()) {
            byte[] buf = new byte[1 << 16];
            for (int n; (n = s.read(buf)) > 0;)
                d.update(buf, 0, n);
        }
        return HexFormat.of().formatHex(d.digest());
    }

    private static MessageDigest digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        }
        catch (NoSuchAlgorithmException e) {
            throw new AssertionError(e);
        }
    }

    /**
     * Uploads in progress ({@code .part}) and committed ({@code .input}) files in the staging directory; not the spare
     * file ({@code .spare}) kept for the next upload to write over.
     */
    static List<Path> stagedFiles(Path staging) throws IOException {
        try (Stream<Path> s = Files.list(staging)) {
            return s.filter(p -> p.toString().endsWith(".part") || p.toString().endsWith(".input")).toList();
        }
    }

    /**
     * TLS material whose certificate is issued by {@code issuer} but which trusts the CA certificate in
     * {@code trustedCa}: written as PEM files into {@code dir} and loaded with {@link TlsMaterial#ofPem}.
     */
    static TlsMaterial issuedBy(DevelopmentCa issuer, Path trustedCa, Path dir, String node) throws Exception {
        KeyPair kp = DevelopmentCa.ecKeyPair();
        X509Certificate cert = issuer.issue(node, kp.getPublic());
        Files.createDirectories(dir);
        Path chain = dir.resolve(node + ".crt");
        Path key = dir.resolve(node + ".key");
        PemFiles.writeCertificates(chain, List.of(cert, issuer.certificate()));
        PemFiles.writeKey(key, kp.getPrivate());
        return TlsMaterial.ofPem(chain, key, trustedCa);
    }

    // Raw frames, as a hostile or broken peer would write them.

    static byte[] frame(int type, byte[] payload) {
        CRC32C crc = new CRC32C();
        crc.update(payload);
        return frame(type, payload, (int)crc.getValue());
    }

    static byte[] frame(int type, byte[] payload, int crc) {
        return ByteBuffer.allocate(FrameDecoder.HEADER_BYTES + payload.length).put((byte)type).putInt(payload.length)
            .putInt(crc).put(payload).array();
    }

    /** An OPEN with a valid token for {@code op} and {@code id}. */
    static byte[] open(OpenRequest.Op op, UUID id, long declared) {
        TransferToken t = op == OpenRequest.Op.PUT ? uploadToken(id) : downloadToken(id);
        return open(op, id, declared, t.bytes());
    }

    /** An OPEN carrying {@code token} as it is; none when null. */
    static byte[] open(OpenRequest.Op op, UUID id, long declared, byte[] token) {
        ByteBuffer p = ByteBuffer.allocate(OpenRequest.BYTES + (token == null ? 0 : 2 + token.length))
            .put((byte)op.code()).putLong(id.getMostSignificantBits()).putLong(id.getLeastSignificantBits())
            .putLong(declared);
        if (token != null)
            p.putShort((short)token.length).put(token);
        return frame(FrameType.OPEN.code(), p.array());
    }

    static byte[] data(byte[] payload) {
        return frame(FrameType.DATA.code(), payload);
    }

    static byte[] end(long total) {
        return frame(FrameType.END.code(), ByteBuffer.allocate(8).putLong(total).array());
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts)
            out.writeBytes(p);
        return out.toByteArray();
    }

    /** A frame read from a raw socket. */
    static final class RawFrame {
        final int type;
        final byte[] payload;

        RawFrame(int type, byte[] payload) {
            this.type = type;
            this.payload = payload;
        }

        /** The failure kind of an ERROR frame. */
        DataPathException.Failure errorKind() {
            return DataPathException.Failure.ofCode(payload[0] & 0xff);
        }

        /** The message of an ACK or ERROR frame. */
        String message() {
            return new String(payload, 1, payload.length - 1, StandardCharsets.UTF_8);
        }

        @Override
        public String toString() {
            return FrameType.ofCode(type) + (type == FrameType.ERROR.code() ? " " + errorKind() + ": " + message()
                : " (" + payload.length + " bytes)");
        }
    }

    /** Reads one frame; fails on end of stream. */
    static RawFrame readFrame(InputStream in) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int type = d.readUnsignedByte();
        int len = d.readInt();
        d.readInt();
        byte[] payload = new byte[len];
        d.readFully(payload);
        return new RawFrame(type, payload);
    }

    /** An output stream that discards what it is given and counts it. */
    static final class CountingSink extends OutputStream {
        volatile long count;

        @Override
        public void write(int b) {
            count++;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            count += len;
        }
    }
}
