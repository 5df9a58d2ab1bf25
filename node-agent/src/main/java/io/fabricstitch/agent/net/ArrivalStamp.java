package io.fabricstitch.agent.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.AttributeKey;
import java.util.function.LongSupplier;

/**
 * The first inbound handler: notes when a datagram came off the socket ({@code nanoTime}), before its frame is checked
 * and its signature verified, so that a round trip measures the path rather than this node's decoding. The datagram
 * then passes through the rest of the pipeline in the same call, and {@link BeaconBodyDecoder} hands the stamp on in
 * the {@link ReceivedBeacon}.
 */
final class ArrivalStamp extends ChannelInboundHandlerAdapter {
    /** {@code nanoTime} when the datagram now in the pipeline arrived. */
    static final AttributeKey<Long> ARRIVED = AttributeKey.valueOf(ArrivalStamp.class, "arrived");

    private final LongSupplier nanoTime;

    ArrivalStamp(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ctx.channel().attr(ARRIVED).set(nanoTime.getAsLong());
        ctx.fireChannelRead(msg);
    }

    /** When the datagram now in {@code ctx}'s pipeline arrived; {@code fallback} without a stamp. */
    static long arrived(ChannelHandlerContext ctx, LongSupplier fallback) {
        Long at = ctx.channel().attr(ARRIVED).get();
        return at != null ? at : fallback.getAsLong();
    }
}
