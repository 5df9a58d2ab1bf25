package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.stream.ChunkedInput;
import io.netty.handler.stream.ChunkedWriteHandler;
import java.io.IOException;
import java.io.InputStream;

/**
 * The sending side of a transfer, for {@link ChunkedWriteHandler}: reads a stream into DATA frames of
 * {@code chunkBytes} each (the last may be shorter), then gives the END frame with the total. The handler asks for the
 * next chunk only while the channel is writable, so at most a few chunks are in memory however long the stream.
 * <p>
 * When a length is declared the stream must hold exactly that many bytes; more or fewer, or a stream that cannot be
 * read, fails the transfer with an {@link Failure#IO IO} failure before the END is sent, so the peer discards what it
 * got.
 */
final class ChunkedFrames implements ChunkedInput<Frame> {
    private final InputStream in;
    private final int chunkBytes;
    private final long declared;
    private final boolean closeStream;
    private final String what;
    /** The stream is read into this, then copied once into the frame's direct buffer. */
    private final byte[] staging;
    private long sent;
    private boolean endWritten;
    private boolean aborted;

    /**
     * @param declared bytes the stream holds, or -1 when unknown
     * @param closeStream whether {@link #close()} closes {@code in} (not when the caller owns it)
     * @param what how messages name the transfer, e.g. {@code the input of transfer <id>}
     */
    ChunkedFrames(InputStream in, int chunkBytes, long declared, boolean closeStream, String what) {
        this.in = in;
        this.chunkBytes = chunkBytes;
        this.declared = declared;
        this.closeStream = closeStream;
        this.what = what;
        staging = new byte[declared < 0 || declared >= chunkBytes ? chunkBytes : (int)declared + 1];
    }

    @Override
    public boolean isEndOfInput() {
        return endWritten || aborted;
    }

    @Override
    public void close() throws IOException {
        if (closeStream)
            in.close();
    }

    @Deprecated
    @Override
    public Frame readChunk(ChannelHandlerContext ctx) {
        return readChunk(ctx.alloc());
    }

    @Override
    public Frame readChunk(ByteBufAllocator alloc) {
        if (isEndOfInput())
            return null;
        // Past the declared length, read one byte more: the stream must end there.
        int want = declared < 0 ? chunkBytes : (int)Math.max(1, Math.min(chunkBytes, declared - sent));
        ByteBuf buf = alloc.ioBuffer(want); // direct where the transport wants it: no copy on the way out
        boolean pass = false;
        try {
            fill(buf);
            if (buf.isReadable()) {
                sent += buf.readableBytes();
                if (declared >= 0 && sent > declared)
                    throw failure("has more than the declared " + declared + " bytes");
                pass = true;
                return Frame.data(buf);
            }
        }
        finally {
            if (!pass)
                buf.release();
        }
        if (declared >= 0 && sent != declared)
            throw failure("ended after " + sent + " bytes, fewer than the declared " + declared);
        endWritten = true;
        return Frame.end(alloc, sent);
    }

    /**
     * Fills {@code buf} from the stream, or up to its end: a stream may return fewer bytes than asked before it. The
     * stream reads into one array kept for the transfer ({@code ByteBuf.writeBytes(InputStream)} on a direct buffer
     * would take a temporary heap buffer from the pool for every read).
     */
    private void fill(ByteBuf buf) {
        try {
            for (int n; buf.isWritable() && (n = in.read(staging, 0, Math.min(staging.length, buf.writableBytes())))
                >= 0;)
                buf.writeBytes(staging, 0, n);
        }
        catch (IOException e) {
            throw new DataPathException(Failure.IO, "data path: " + what + " could not be read after " + sent
                + " bytes: " + e + " (expected: a readable stream; the transfer is discarded)", e);
        }
    }

    private DataPathException failure(String detail) {
        return DataPathException.expected(Failure.IO, "data path: " + what + ' ' + detail + " (expected: exactly the "
            + "declared length, or -1 for unknown; the transfer is discarded)");
    }

    /** Ends the input at once, without END: the transfer failed. */
    void abort() {
        aborted = true;
    }

    /** Whether the END frame was read. */
    boolean endWritten() {
        return endWritten;
    }

    @Override
    public long length() {
        return declared;
    }

    @Override
    public long progress() {
        return sent;
    }
}
