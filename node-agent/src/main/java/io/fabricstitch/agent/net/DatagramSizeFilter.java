package io.fabricstitch.agent.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

/**
 * First beacon handler: counts every datagram read and refuses one longer than {@code maxPacketBytes}. The channel
 * reads into buffers of {@code maxPacketBytes + 1} bytes, so a longer datagram arrives truncated to that length and
 * is recognisable here.
 */
final class DatagramSizeFilter extends ChannelInboundHandlerAdapter {
    private final int maxPacketBytes;
    private final NetworkCounters counters;

    DatagramSizeFilter(int maxPacketBytes, NetworkCounters counters) {
        this.maxPacketBytes = maxPacketBytes;
        this.counters = counters;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        counters.received();
        boolean pass = false;
        try {
            if (msg instanceof DatagramPacket) {
                DatagramPacket p = (DatagramPacket)msg;
                int n = p.content().readableBytes();
                if (n > maxPacketBytes)
                    throw new DroppedDatagramException(DropReason.OVERSIZED, p.sender(), "more than " + maxPacketBytes
                        + " bytes (expected: at most maxPacketBytes = " + maxPacketBytes + ")");
            }
            pass = true;
        }
        finally {
            if (!pass)
                ReferenceCountUtil.release(msg);
        }
        ctx.fireChannelRead(msg);
    }
}
