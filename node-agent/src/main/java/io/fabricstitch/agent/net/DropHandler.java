package io.fabricstitch.agent.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Last beacon handler: hands every {@link DroppedDatagramException} a handler above threw to the {@link DropLog}, and
 * counts anything unexpected (another exception, a message nobody consumed) as malformed with one log line. Nothing
 * goes past it, so Netty never reports an unhandled {@code exceptionCaught()}.
 */
final class DropHandler extends ChannelInboundHandlerAdapter {
    private final DropLog drops;

    DropHandler(DropLog drops) {
        this.drops = drops;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DroppedDatagramException)
            drops.dropped((DroppedDatagramException)cause);
        else
            drops.unexpected(cause, null);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            drops.unexpected(new IllegalStateException("unhandled message " + msg.getClass().getName()), null);
        }
        finally {
            ReferenceCountUtil.release(msg);
        }
    }
}
