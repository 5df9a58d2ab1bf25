package io.fabricstitch.function.process;

import java.io.InputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** {@code size} bytes of a fixed pattern, made as they are read and digested on the way: no buffer holds them all. */
final class GeneratedInput extends InputStream {
    private final long size;
    private final MessageDigest md;
    private long pos;

    GeneratedInput(long size) throws NoSuchAlgorithmException {
        this.size = size;
        md = MessageDigest.getInstance("SHA-256");
    }

    @Override
    public int read() {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) {
        if (pos == size)
            return -1;
        int n = (int)Math.min(len, size - pos);
        for (int i = 0; i < n; i++)
            b[off + i] = (byte)((pos + i) * 31 + ((pos + i) >>> 13));
        md.update(b, off, n);
        pos += n;
        return n;
    }

    /** The digest of every byte read; call once, at the end. */
    byte[] digest() {
        return md.digest();
    }
}
