package io.fabricstitch.ignite.internal;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/** An input stream that tells a counter how many bytes have been read from it in all, after every read. */
final class CountingInputStream extends FilterInputStream {
    private final LongConsumer counter;
    private long count;

    CountingInputStream(InputStream in, LongConsumer counter) {
        super(in);
        this.counter = counter;
        counter.accept(0);
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0)
            counted(1);
        return b;
    }

    @Override
    public int read(byte[] buf, int off, int len) throws IOException {
        int n = super.read(buf, off, len);
        if (n > 0)
            counted(n);
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        long skipped = super.skip(n);
        if (skipped > 0)
            counted(skipped);
        return skipped;
    }

    private void counted(long n) {
        count += n;
        counter.accept(count);
    }
}
