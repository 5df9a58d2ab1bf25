package io.fabricstitch.agent.datapath;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Keys, grants and tokens: what is signed, what is checked, what is never shown. */
class TransferTokenTest {
    private static final byte[] SECRET = "a cluster secret of some length".getBytes(StandardCharsets.UTF_8);

    private static final UUID TRANSFER = UUID.fromString("11111111-2222-4333-8444-555555555555");

    private static final UUID FABRIC = UUID.fromString("66666666-7777-4888-9999-000000000000");

    @Test
    void signedToken_carriesItsGrant_andIsSignedByItsKeyOnly() {
        TransferKey key = TransferKey.generate(new SecureRandom());
        TransferGrant g = TransferGrant.upload(TRANSFER, FABRIC, 12345, 1_700_000_000_000L);

        TransferToken t = TransferToken.of(g.sign(key).bytes());

        assertEquals(TransferToken.BYTES, t.bytes().length);
        assertEquals(g, t.grant());
        assertEquals(TRANSFER, t.transferId());
        assertTrue(t.signedBy(key));
        assertFalse(t.signedBy(TransferKey.generate(new SecureRandom())));
    }

    @Test
    void anyChangedByte_breaksTheSignature() {
        TransferKey key = TransferKey.generate(new SecureRandom());
        byte[] b = TransferGrant.download(TRANSFER, FABRIC, 10, 1_700_000_000_000L).sign(key).bytes();
        for (int i = 2; i < b.length; i++) {
            byte[] changed = b.clone();
            changed[i] ^= 1;
            assertFalse(TransferToken.of(changed).signedBy(key), "byte " + i + " changed");
        }
    }

    @Test
    void derivedKeys_agreeForTheSameSecretAndLabel_only() {
        TransferKey a = TransferKey.derive(SECRET, "fabric-stitch/data-path/transfer-tokens/v1");

        assertEquals(a, TransferKey.derive(SECRET.clone(), "fabric-stitch/data-path/transfer-tokens/v1"));
        assertNotEquals(a, TransferKey.derive(SECRET, "another use"));
        assertNotEquals(a, TransferKey.derive("another cluster's secret".getBytes(StandardCharsets.UTF_8),
            "fabric-stitch/data-path/transfer-tokens/v1"));
        assertFalse(HexFormat.of().formatHex(a.bytes()).contains(HexFormat.of().formatHex(SECRET, 0, 8)));
    }

    @Test
    void keyAndToken_neverShowTheirSecrets() {
        TransferKey key = TransferKey.derive(SECRET, "label");
        TransferToken t = TransferGrant.upload(TRANSFER, FABRIC, 1, 0).sign(key);

        assertEquals("TransferKey [fingerprint=" + key.fingerprint() + ']', key.toString());
        assertEquals(8, key.fingerprint().length());
        assertEquals("TransferToken [TransferGrant [UPLOAD of transfer " + TRANSFER + ", fabric " + FABRIC
            + ", maxBytes=1, expiresAt=1970-01-01T00:00:00Z]]", t.toString());
    }

    @Test
    void malformedBytes_areRefusedWithWhatWasWrong() {
        assertEquals("bytes: 10 bytes (expected: 82)", assertThrows(IllegalArgumentException.class,
            () -> TransferToken.of(new byte[10])).getMessage());
        byte[] version = new byte[TransferToken.BYTES];
        version[0] = 9;
        assertEquals("bytes: version 9 (expected: 1)", assertThrows(IllegalArgumentException.class,
            () -> TransferToken.of(version)).getMessage());
        assertEquals("key: 16 bytes (expected: 32)", assertThrows(IllegalArgumentException.class,
            () -> TransferKey.of(new byte[16])).getMessage());
        assertEquals("secret: 8 bytes (expected: at least 16)", assertThrows(IllegalArgumentException.class,
            () -> TransferKey.derive(new byte[8], "label")).getMessage());
    }
}
