package io.fabricstitch.agent.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Reads the body of an authenticated, fresh {@link BeaconFrame} into a {@link ReceivedBeacon} and releases the
 * datagram. A body that is not well formed (see {@link BeaconBody}) is a {@link DropReason#MALFORMED malformed}
 * drop: a peer that shares our secret but speaks another body layout, or a bug.
 */
final class BeaconBodyDecoder extends ChannelInboundHandlerAdapter {
    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof BeaconFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        BeaconFrame frame = (BeaconFrame)msg;
        ReceivedBeacon beacon;
        try {
            beacon = new ReceivedBeacon(BeaconBody.read(frame.type(), frame.body()), frame.sender(),
                ArrivalStamp.arrived(ctx, System::nanoTime));
        }
        catch (IllegalArgumentException | IndexOutOfBoundsException e) {
            throw new DroppedDatagramException(DropReason.MALFORMED, frame.sender(), frame.type() + " body: "
                + e.getMessage());
        }
        finally {
            frame.release();
        }
        ctx.fireChannelRead(beacon);
    }
}
