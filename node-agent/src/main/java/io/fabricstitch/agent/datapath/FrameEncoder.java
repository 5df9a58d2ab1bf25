package io.fabricstitch.agent.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes a {@link Frame} as its {@link FrameDecoder#HEADER_BYTES}-byte header, with the payload's CRC32C, followed by
 * the payload itself (not copied). The layout is drawn in {@link FrameDecoder}.
 */
final class FrameEncoder extends MessageToMessageEncoder<Frame> {
    private final Crc32c crc = new Crc32c();

    @Override
    protected void encode(ChannelHandlerContext ctx, Frame frame, List<Object> out) {
        ByteBuf payload = frame.content();
        ByteBuf header = ctx.alloc().buffer(FrameDecoder.HEADER_BYTES).writeByte(frame.type().code())
            .writeInt(payload.readableBytes()).writeInt(crc.of(payload));
        out.add(header);
        out.add(payload.retain());
    }
}
