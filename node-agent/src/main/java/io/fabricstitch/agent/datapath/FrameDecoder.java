package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Splits the byte stream of a data path connection into {@link Frame}s, refusing a frame longer than
 * {@code maxFrameBytes} before reading it; the CRC32C is checked next, by {@link ChecksumVerifier}. The layout
 * (big-endian):
 * <pre>
 * offset size  field
 * 0      1     type: 1 OPEN, 2 DATA, 3 END, 4 ACK, 5 ERROR
 * 1      4     payload length N (unsigned)
 * 5      4     CRC32C (Castagnoli) of the payload
 * 9      N     payload
 *
 * BEFORE DECODE (9 + N bytes)                           AFTER DECODE
 * +------+------------+------------+----------------+       +-------------------------------------+
 * | Type |   Length   |   CRC32C   |    Payload     |------&gt;| Frame(DATA, payload, crc, index)    |
 * | 0x02 | 0x00010000 | 0x1A2B3C4D | 65536 bytes... |       +-------------------------------------+
 * +------+------------+------------+----------------+
 *
 * payloads
 *   OPEN   op u8 (1 PUT, 2 GET) | transfer id (16: most, least significant bits) | declared length i64 (-1: unknown)
 *          | token length u16 | token ({@link TransferToken}; the server refuses an OPEN without one)
 *   DATA   the transfer's bytes, at most chunkBytes
 *   END    total length i64: the sum of the DATA payloads
 *   ACK    status u8 (0 = ok) | UTF-8 message
 *   ERROR  failure kind u8 ({@link DataPathException.Failure}) | UTF-8 message
 * </pre>
 * One transfer per connection. PUT: client OPEN, DATA*, END; server ACK (or ERROR). GET: client OPEN; server DATA*,
 * END (or ERROR); client ACK. An unknown type, a frame longer than {@code maxFrameBytes} (header included) or a
 * connection closed inside a frame fails the transfer; the decoder then discards whatever else arrives. On the server
 * the first frame must be an OPEN of at most {@link OpenRequest#MAX_BYTES} payload bytes, so that a peer that has not
 * shown a token yet never makes it buffer more than that.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    /** Bytes before the payload: type, length, CRC32C. */
    static final int HEADER_BYTES = 9;

    private final int maxFrameBytes;
    private final boolean openFirst;
    private long frames;
    private boolean failed;

    /**
     * A client's decoder.
     *
     * @param maxFrameBytes largest frame accepted, header included
     */
    FrameDecoder(int maxFrameBytes) {
        this(maxFrameBytes, false);
    }

    /**
     * @param maxFrameBytes largest frame accepted, header included
     * @param openFirst whether the first frame must be a small OPEN: the server's decoder
     */
    FrameDecoder(int maxFrameBytes, boolean openFirst) {
        this.maxFrameBytes = maxFrameBytes;
        this.openFirst = openFirst;
        // A frame spans several socket reads: the composite keeps each read's buffer as it is, where the default
        // merging cumulator would copy every byte once more into one buffer before the frame is sliced off.
        setCumulator(COMPOSITE_CUMULATOR);
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < HEADER_BYTES)
            return;
        int r = in.readerIndex();
        long index = frames + 1;
        int code = in.getUnsignedByte(r);
        FrameType type = FrameType.ofCode(code);
        if (type == null)
            throw fail(in, Failure.PROTOCOL, "data path: frame " + index + ' ' + Failures.from(ctx.channel())
                + " has type " + code + " (expected: " + FrameType.EXPECTED + ")" + tlsHint(code));
        long length = in.getUnsignedInt(r + 1);
        if (openFirst && index == 1)
            checkOpen(ctx, in, type, length);
        if (length + HEADER_BYTES > maxFrameBytes)
            throw fail(in, Failure.OVERSIZED_FRAME, "data path: " + type + " frame " + index + ' '
                + Failures.from(ctx.channel()) + " declares " + length + " payload bytes, " + (length + HEADER_BYTES)
                + " with the header (expected: at most maxFrameBytes = " + maxFrameBytes + "; the transfer is "
                + "discarded)");
        if (in.readableBytes() < HEADER_BYTES + length)
            return;
        int crc = in.getInt(r + 5);
        in.skipBytes(HEADER_BYTES);
        frames = index;
        out.add(new Frame(type, in.readRetainedSlice((int)length), index, crc));
    }

    private void checkOpen(ChannelHandlerContext ctx, ByteBuf in, FrameType type, long length) {
        if (type != FrameType.OPEN)
            throw fail(in, Failure.PROTOCOL, "data path: frame 1 " + Failures.from(ctx.channel()) + " is " + type
                + " (expected: OPEN first)");
        if (length > OpenRequest.MAX_BYTES)
            throw fail(in, Failure.OVERSIZED_FRAME, "data path: OPEN frame 1 " + Failures.from(ctx.channel())
                + " declares " + length + " payload bytes (expected: at most " + OpenRequest.MAX_BYTES + ")");
    }

    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        decode(ctx, in, out);
        if (failed || !in.isReadable())
            return;
        int have = in.readableBytes();
        String whole = have < HEADER_BYTES ? "the " + HEADER_BYTES + "-byte header"
            : HEADER_BYTES + in.getUnsignedInt(in.readerIndex() + 1) + " bytes";
        throw fail(in, Failure.TRUNCATED, "data path: frame " + (frames + 1) + ' ' + Failures.from(ctx.channel())
            + " was cut off: the connection closed after " + have + " of its bytes (expected: " + whole
            + "; the transfer is discarded)");
    }

    private DataPathException fail(ByteBuf in, Failure kind, String message) {
        failed = true;
        in.skipBytes(in.readableBytes());
        return DataPathException.expected(kind, message);
    }

    private static String tlsHint(int code) {
        return code >= 20 && code <= 23 ? "; a TLS record starts with " + code + ": the peer uses TLS, this side DIRECT"
            : "";
    }
}
