package io.fabricstitch.agent.datapath;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Checks each {@link Frame}'s CRC32C against its payload; a mismatch (bytes altered on the way, or a broken sender)
 * releases the frame and fails the transfer with a {@link DataPathException.Failure#CHECKSUM CHECKSUM} failure.
 */
final class ChecksumVerifier extends ChannelInboundHandlerAdapter {
    private final Crc32c crc = new Crc32c();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        Frame frame = (Frame)msg;
        boolean pass = false;
        try {
            int computed = crc.of(frame.content());
            if (computed != frame.crc())
                throw Failures.checksum(ctx.channel(), frame, computed);
            pass = true;
        }
        finally {
            if (!pass)
                frame.release();
        }
        ctx.fireChannelRead(frame);
    }
}
