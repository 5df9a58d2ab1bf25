package io.fabricstitch.agent.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;

/**
 * Checks the frame of a beacon datagram and turns it into a {@link BeaconFrame}; the MAC is checked next, by
 * {@link BeaconAuthenticator}. The layout (big-endian):
 * <pre>
 * offset size  field
 * 0      4     magic 0x46414252 ("FABR")
 * 4      1     version = 1
 * 5      1     type: 1 ANNOUNCE, 2 PING, 3 PONG
 * 6      8     timestamp: sender's wall clock, epoch milliseconds
 * 14     16    nonce: random bytes
 * 30     2     body length N (unsigned)
 * 32     N     body (see {@link BeaconBody})
 * 32+N   32    HMAC-SHA256(secret, bytes 0 .. 32+N-1)
 *
 * +-------+---+---+-----------+---------------+----+--------------+-------------------+
 * | FABR  | 1 | T | timestamp |     nonce     | N  |  body (N)    | HMAC-SHA256 (32)  |
 * +-------+---+---+-----------+---------------+----+--------------+-------------------+
 * |&lt;------------------------- signed: 32 + N bytes -------------&gt;|
 * </pre>
 * A datagram is 64 + N bytes. Shorter than 64 bytes, another magic, version or type, or a length other than
 * 64 + N: a {@link DropReason#MALFORMED malformed} drop.
 */
final class BeaconFrameDecoder extends ChannelInboundHandlerAdapter {
    /** "FABR". */
    static final int MAGIC = 0x46414252;

    /** The only version this decoder reads. */
    static final int VERSION = 1;

    /** Bytes before the body. */
    static final int HEADER_BYTES = 32;

    /** Smallest datagram: header, empty body, MAC. */
    static final int MIN_BYTES = HEADER_BYTES + BeaconMac.BYTES;

    static final int VERSION_OFFSET = 4;
    static final int TYPE_OFFSET = 5;
    static final int TIMESTAMP_OFFSET = 6;
    static final int NONCE_OFFSET = 14;
    static final int BODY_LENGTH_OFFSET = 30;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof DatagramPacket)) {
            ctx.fireChannelRead(msg);
            return;
        }
        DatagramPacket p = (DatagramPacket)msg;
        BeaconFrame frame = null;
        try {
            frame = decode(p.content(), p.sender());
        }
        finally {
            if (frame == null)
                p.release();
        }
        ctx.fireChannelRead(frame);
    }

    private static BeaconFrame decode(ByteBuf buf, InetSocketAddress sender) {
        int r = buf.readerIndex();
        int len = buf.readableBytes();
        if (len < MIN_BYTES)
            throw malformed(sender, len + " bytes (expected: at least " + MIN_BYTES + ")");
        int magic = buf.getInt(r);
        if (magic != MAGIC)
            throw malformed(sender, "magic 0x" + Integer.toHexString(magic) + " (expected: 0x"
                + Integer.toHexString(MAGIC) + ", \"FABR\")");
        int version = buf.getUnsignedByte(r + VERSION_OFFSET);
        if (version != VERSION)
            throw malformed(sender, "version " + version + " (expected: " + VERSION + ")");
        int code = buf.getUnsignedByte(r + TYPE_OFFSET);
        BeaconType type = BeaconType.ofCode(code);
        if (type == null)
            throw malformed(sender, "type " + code + " (expected: 1 ANNOUNCE, 2 PING or 3 PONG)");
        int bodyLength = buf.getUnsignedShort(r + BODY_LENGTH_OFFSET);
        if (len != MIN_BYTES + bodyLength)
            throw malformed(sender, len + " bytes with body length " + bodyLength + " (expected: " + MIN_BYTES
                + " + body length = " + (MIN_BYTES + bodyLength) + " bytes)");
        return new BeaconFrame(buf, sender, type, buf.getLong(r + TIMESTAMP_OFFSET), buf.getLong(r + NONCE_OFFSET),
            buf.getLong(r + NONCE_OFFSET + 8), bodyLength);
    }

    private static DroppedDatagramException malformed(InetSocketAddress sender, String detail) {
        return new DroppedDatagramException(DropReason.MALFORMED, sender, detail);
    }
}
