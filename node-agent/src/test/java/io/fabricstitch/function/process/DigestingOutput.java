package io.fabricstitch.function.process;

import java.io.OutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** Counts and digests what is written to it, keeping none of it. */
final class DigestingOutput extends OutputStream {
    private final MessageDigest md;
    private long count;

    DigestingOutput() throws NoSuchAlgorithmException {
        md = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public void write(int b) {
        md.update((byte)b);
        count++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        md.update(b, off, len);
        count += len;
    }

    long count() {
        return count;
    }

    /** The digest of every byte written; call once, at the end. */
    byte[] digest() {
        return md.digest();
    }
}
