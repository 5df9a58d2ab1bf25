package io.fabricstitch.agent.net;

import io.netty.buffer.ByteBuf;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** HMAC-SHA256 under the beacon secret. Not thread-safe: one per channel handler, reused for every datagram. */
final class BeaconMac {
    /** Length of the MAC, in bytes. */
    static final int BYTES = 32;

    private static final String ALGORITHM = "HmacSHA256";

    private final Mac mac;

    BeaconMac(byte[] secret) {
        try {
            mac = Mac.getInstance(ALGORITHM);
            mac.init(new SecretKeySpec(secret, ALGORITHM));
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("beacon MAC: " + ALGORITHM + " unavailable (expected: every Java 17 "
                + "runtime has it)", e);
        }
    }

    /** Writes the MAC of {@code buf[index .. index+length-1]} into {@code out[0 .. 31]}. */
    void compute(ByteBuf buf, int index, int length, byte[] out) {
        mac.update(buf.nioBuffer(index, length));
        try {
            mac.doFinal(out, 0);
        }
        catch (GeneralSecurityException e) {
            throw new IllegalStateException("beacon MAC: output of " + out.length + " bytes (expected: " + BYTES
                + ")", e);
        }
    }
}
