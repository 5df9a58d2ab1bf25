package io.fabricstitch.agent.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.socket.DatagramPacket;
import java.time.Clock;
import java.util.Random;

/**
 * Turns an {@link OutgoingBeacon} into a signed datagram in the layout {@link BeaconFrameDecoder} draws: stamps our
 * clock and a fresh random nonce, writes the body, appends the HMAC. A datagram longer than {@code maxPacketBytes}
 * fails the write (receivers would drop it). One per channel: it reuses its {@link BeaconMac} and buffers.
 */
final class BeaconEncoder extends ChannelOutboundHandlerAdapter {
    private final BeaconMac mac;
    private final Clock clock;
    private final Random random;
    private final int maxPacketBytes;
    private final byte[] nonce = new byte[16];
    private final byte[] signature = new byte[BeaconMac.BYTES];

    BeaconEncoder(byte[] secret, NetworkConfiguration cfg) {
        mac = new BeaconMac(secret);
        clock = cfg.clock();
        random = cfg.random();
        maxPacketBytes = cfg.maxPacketBytes();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof OutgoingBeacon)) {
            ctx.write(msg, promise);
            return;
        }
        DatagramPacket datagram;
        try {
            datagram = encode((OutgoingBeacon)msg, ctx.alloc());
        }
        catch (RuntimeException e) {
            promise.setFailure(e);
            return;
        }
        ctx.write(datagram, promise);
    }

    private DatagramPacket encode(OutgoingBeacon msg, ByteBufAllocator alloc) {
        ByteBuf buf = alloc.ioBuffer(256);
        boolean done = false;
        try {
            random.nextBytes(nonce);
            buf.writeInt(BeaconFrameDecoder.MAGIC).writeByte(BeaconFrameDecoder.VERSION)
                .writeByte(msg.message().type().code()).writeLong(clock.millis()).writeBytes(nonce).writeShort(0);
            BeaconBody.write(msg.message(), buf);
            int bodyLength = buf.readableBytes() - BeaconFrameDecoder.HEADER_BYTES;
            int total = bodyLength + BeaconFrameDecoder.MIN_BYTES;
            if (total > maxPacketBytes)
                throw new IllegalArgumentException(msg.message().type() + " datagram: " + total + " bytes (expected: "
                    + "at most maxPacketBytes = " + maxPacketBytes + "; shorter names or fewer fabric summaries)");
            buf.setShort(BeaconFrameDecoder.BODY_LENGTH_OFFSET, bodyLength);
            mac.compute(buf, 0, buf.readableBytes(), signature);
            buf.writeBytes(signature);
            done = true;
            return new DatagramPacket(buf, msg.recipient());
        }
        finally {
            if (!done)
                buf.release();
        }
    }
}
