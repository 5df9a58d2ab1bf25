package io.fabricstitch.agent.net;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Refuses a copy of an authenticated datagram: its timestamp must be within {@code replayWindow} of our clock (either
 * way) and its nonce not seen within the window; otherwise a {@link DropReason#REPLAYED replayed} drop. Runs after
 * {@link BeaconAuthenticator}, so forged datagrams never fill the {@link NonceMemory}.
 */
final class ReplayGuard extends ChannelInboundHandlerAdapter {
    private final Clock clock;
    private final long windowMillis;
    private final String windowText;
    private final NonceMemory nonces;

    ReplayGuard(Clock clock, Duration replayWindow, NonceMemory nonces) {
        this.clock = clock;
        this.windowMillis = replayWindow.toMillis();
        this.windowText = Durations.text(replayWindow);
        this.nonces = nonces;
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
            check(frame, clock.millis());
            pass = true;
        }
        finally {
            if (!pass)
                frame.release();
        }
        ctx.fireChannelRead(frame);
    }

    private void check(BeaconFrame frame, long now) {
        long ts = frame.timestampMillis();
        if (ts < now - windowMillis || ts > now + windowMillis)
            throw new DroppedDatagramException(DropReason.REPLAYED, frame.sender(), frame.type() + " timestamp "
                + Instant.ofEpochMilli(ts) + ", " + Durations.text(Duration.ofMillis(Math.abs(ts - now)))
                + (ts < now ? " old" : " ahead") + " (expected: within replayWindow = " + windowText
                + " of this node's clock " + Instant.ofEpochMilli(now) + ")");
        if (!nonces.add(frame.nonceHigh(), frame.nonceLow(), ts, now))
            throw new DroppedDatagramException(DropReason.REPLAYED, frame.sender(), frame.type() + " nonce "
                + String.format("%016x%016x", frame.nonceHigh(), frame.nonceLow()) + " seen before (expected: a "
                + "nonce not seen within replayWindow = " + windowText + ")");
    }
}
