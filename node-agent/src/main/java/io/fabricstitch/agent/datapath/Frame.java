package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * One frame of the data path: its type and payload (see {@link FrameDecoder} for the layout). Frames read carry their
 * position in the connection (1 for the first) and the CRC32C the peer sent, checked by {@link ChecksumVerifier};
 * frames written get theirs from {@link FrameEncoder}. Reference-counted: whoever ends up with it releases it.
 */
final class Frame extends DefaultByteBufHolder {
    private final FrameType type;
    private final long index;
    private final int crc;

    /**
     * @param index position in the connection, from 1; 0 for a frame to write
     * @param crc the CRC32C the peer sent; 0 for a frame to write
     */
    Frame(FrameType type, ByteBuf payload, long index, int crc) {
        super(payload);
        this.type = type;
        this.index = index;
        this.crc = crc;
    }

    /** A frame to write: OPEN, with the request's token when it has one. */
    static Frame open(ByteBufAllocator alloc, OpenRequest req) {
        byte[] token = req.token();
        ByteBuf p = alloc.buffer(OpenRequest.BYTES + (token == null ? 0 : 2 + token.length))
            .writeByte(req.op().code())
            .writeLong(req.transferId().getMostSignificantBits()).writeLong(req.transferId().getLeastSignificantBits())
            .writeLong(req.declaredLength());
        if (token != null)
            p.writeShort(token.length).writeBytes(token);
        return new Frame(FrameType.OPEN, p, 0, 0);
    }

    /** A frame to write: DATA carrying {@code payload}, which it now owns. */
    static Frame data(ByteBuf payload) {
        return new Frame(FrameType.DATA, payload, 0, 0);
    }

    /** A frame to write: END with the total of the DATA payloads. */
    static Frame end(ByteBufAllocator alloc, long total) {
        return new Frame(FrameType.END, alloc.buffer(8).writeLong(total), 0, 0);
    }

    /** A frame to write: ACK ok. */
    static Frame ack(ByteBufAllocator alloc, String message) {
        ByteBuf p = alloc.buffer(1 + ByteBufUtil.utf8MaxBytes(message)).writeByte(0);
        ByteBufUtil.writeUtf8(p, message);
        return new Frame(FrameType.ACK, p, 0, 0);
    }

    /** A frame to write: ERROR of {@code kind}. */
    static Frame error(ByteBufAllocator alloc, Failure kind, String message) {
        ByteBuf p = alloc.buffer(1 + ByteBufUtil.utf8MaxBytes(message)).writeByte(kind.code());
        ByteBufUtil.writeUtf8(p, message);
        return new Frame(FrameType.ERROR, p, 0, 0);
    }

    FrameType type() {
        return type;
    }

    /** Position in the connection, from 1; 0 for a frame to write. */
    long index() {
        return index;
    }

    /** The CRC32C the peer sent. */
    int crc() {
        return crc;
    }

    /** Payload bytes. */
    int length() {
        return content().readableBytes();
    }

    /** The request of an OPEN frame; its token is judged by the server, not here. */
    OpenRequest openRequest(String from) {
        ByteBuf p = content();
        int n = p.readableBytes();
        int tokenBytes = n >= OpenRequest.BYTES + 2 ? p.getUnsignedShort(p.readerIndex() + OpenRequest.BYTES) : -1;
        if (n != OpenRequest.BYTES && (tokenBytes < 0 || n != OpenRequest.BYTES + 2 + tokenBytes))
            throw malformed(from, n + " payload bytes (expected: " + OpenRequest.BYTES + ", or " + (OpenRequest.BYTES + 2)
                + " and the token's length)");
        int code = p.getUnsignedByte(p.readerIndex());
        OpenRequest.Op op = OpenRequest.Op.ofCode(code);
        if (op == null)
            throw malformed(from, "op " + code + " (expected: 1 PUT or 2 GET)");
        UUID id = new UUID(p.getLong(p.readerIndex() + 1), p.getLong(p.readerIndex() + 9));
        long declared = p.getLong(p.readerIndex() + 17);
        if (declared < -1)
            throw malformed(from, "declared length " + declared + " (expected: -1 for unknown, or 0 or more)");
        byte[] token = null;
        if (tokenBytes >= 0) {
            token = new byte[tokenBytes];
            p.getBytes(p.readerIndex() + OpenRequest.BYTES + 2, token);
        }
        return new OpenRequest(op, id, declared, token);
    }

    /** The total length of an END frame. */
    long endTotal(String from) {
        ByteBuf p = content();
        if (p.readableBytes() != 8)
            throw malformed(from, p.readableBytes() + " payload bytes (expected: 8)");
        long total = p.getLong(p.readerIndex());
        if (total < 0)
            throw malformed(from, "total " + total + " (expected: 0 or more)");
        return total;
    }

    /** The status byte of an ACK frame, 0 for ok. */
    int ackStatus(String from) {
        if (!content().isReadable())
            throw malformed(from, "no payload (expected: a status byte)");
        return content().getUnsignedByte(content().readerIndex());
    }

    /** The failure kind of an ERROR frame. */
    Failure errorKind() {
        return content().isReadable() ? Failure.ofCode(content().getUnsignedByte(content().readerIndex()))
            : Failure.PROTOCOL;
    }

    /** The message of an ACK or ERROR frame. */
    String message() {
        ByteBuf p = content();
        return p.readableBytes() <= 1 ? "" : p.toString(p.readerIndex() + 1, p.readableBytes() - 1,
            StandardCharsets.UTF_8);
    }

    private DataPathException malformed(String from, String detail) {
        return DataPathException.expected(Failure.PROTOCOL, "data path: " + type + " frame " + index + " " + from
            + " has " + detail);
    }

    @Override
    public Frame replace(ByteBuf content) {
        return new Frame(type, content, index, crc);
    }

    @Override
    public Frame retain() {
        super.retain();
        return this;
    }

    @Override
    public Frame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return type + " frame" + (index > 0 ? " " + index : "") + " (" + length() + " bytes)";
    }
}
