package io.fabricstitch.agent.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/** Hands each accepted beacon to the {@link PeerProtocol}, noting whether it came by multicast. */
final class BeaconHandler extends ChannelInboundHandlerAdapter {
    private final PeerProtocol protocol;
    private final boolean multicast;

    /**
     * @param multicast whether this handler's channel is the one joined to the multicast group
     */
    BeaconHandler(PeerProtocol protocol, boolean multicast) {
        this.protocol = protocol;
        this.multicast = multicast;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ReceivedBeacon)
            protocol.receive((ReceivedBeacon)msg, multicast);
        else
            ctx.fireChannelRead(msg);
    }
}
