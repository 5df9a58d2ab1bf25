package io.fabricstitch.agent.net;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.security.MessageDigest;

/**
 * Checks a {@link BeaconFrame}'s HMAC-SHA256 under the beacon secret, comparing in constant time; a mismatch (another
 * secret, or bytes altered on the way) is an {@link DropReason#UNAUTHENTICATED unauthenticated} drop. One per
 * channel: it reuses its {@link BeaconMac} and buffers for every datagram.
 */
final class BeaconAuthenticator extends ChannelInboundHandlerAdapter {
    private final BeaconMac mac;
    private final byte[] expected = new byte[BeaconMac.BYTES];
    private final byte[] received = new byte[BeaconMac.BYTES];

    BeaconAuthenticator(byte[] secret) {
        mac = new BeaconMac(secret);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof BeaconFrame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        BeaconFrame frame = (BeaconFrame)msg;
        boolean pass = false;
        try {
            ByteBuf buf = frame.content();
            int signed = frame.signedLength();
            mac.compute(buf, buf.readerIndex(), signed, expected);
            buf.getBytes(buf.readerIndex() + signed, received);
            if (!MessageDigest.isEqual(expected, received))
                throw new DroppedDatagramException(DropReason.UNAUTHENTICATED, frame.sender(), frame.type()
                    + " datagram with an HMAC that does not match (expected: HMAC-SHA256 under this cluster's "
                    + "network.beaconSecret)");
            pass = true;
        }
        finally {
            if (!pass)
                frame.release();
        }
        ctx.fireChannelRead(frame);
    }
}
