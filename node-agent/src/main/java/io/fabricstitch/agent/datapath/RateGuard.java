package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.concurrent.ScheduledFuture;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Drops a server connection whose peer is too slow to be anything but a burden, which the idle {@code readTimeout}
 * alone does not: a peer sending one byte a second is never idle. A new connection must deliver its OPEN within
 * {@code openTimeout} (TLS handshake included); once an upload is open, its bytes must arrive at
 * {@code minReceiveRate} or more, averaged over {@code minRateWindow}. Both are capped by {@code readTimeout}, so
 * nothing slow outlives it. Sits before TLS and framing, so that it counts every byte read, whole frames or not. A
 * slow peer fails the transfer as {@link Failure#TIMEOUT TIMEOUT} through the pipeline, answered and logged by the
 * transfer handler like any failure. One per connection; runs on its event loop.
 */
final class RateGuard extends ChannelInboundHandlerAdapter {
    /** Checks per window: the rate is averaged over the last window, measured in these steps. */
    static final int STEPS = 5;

    private final Duration openTimeout;
    private final long minRate;
    private final Duration window;
    private final long[] readAtStep = new long[STEPS + 1];
    private ChannelHandlerContext ctx;
    private ScheduledFuture<?> timer;
    private long read;
    private long steps;
    private boolean done;

    RateGuard(DataPathConfiguration cfg) {
        openTimeout = min(cfg.openTimeout(), cfg.readTimeout());
        minRate = cfg.minReceiveRate();
        window = min(cfg.minRateWindow(), cfg.readTimeout());
    }

    private static Duration min(Duration a, Duration b) {
        return a.compareTo(b) <= 0 ? a : b;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.ctx = ctx;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        timer = ctx.executor().schedule(this::openOverdue, openTimeout.toNanos(), TimeUnit.NANOSECONDS);
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof ByteBuf)
            read += ((ByteBuf)msg).readableBytes();
        else if (msg instanceof ByteBufHolder)
            read += ((ByteBufHolder)msg).content().readableBytes();
        ctx.fireChannelRead(msg);
    }

    /**
     * The OPEN arrived: no deadline from now on; an upload's rate is watched.
     *
     * @param upload whether the client sends from now on (a PUT), rather than the server (a GET)
     */
    void opened(boolean upload) {
        cancel();
        if (!upload || minRate == 0 || done)
            return;
        readAtStep[0] = read;
        long step = window.toNanos() / STEPS;
        timer = ctx.executor().scheduleAtFixedRate(this::step, step, step, TimeUnit.NANOSECONDS);
    }

    /** The transfer ended, well or not: nothing more to watch. */
    void stop() {
        done = true;
        cancel();
    }

    private void openOverdue() {
        if (done)
            return;
        stop();
        ctx.fireExceptionCaught(DataPathException.expected(Failure.TIMEOUT, "data path: " + Failures.with(ctx.channel())
            + ": no OPEN within openTimeout = " + Units.duration(openTimeout) + " of connecting, " + read + " bytes "
            + "read (expected: the TLS handshake, when TLS, and an OPEN frame within openTimeout; the connection is "
            + "closed)"));
    }

    private void step() {
        steps++;
        readAtStep[(int)(steps % readAtStep.length)] = read;
        if (done || steps < STEPS)
            return;
        long inWindow = read - readAtStep[(int)((steps - STEPS) % readAtStep.length)];
        double seconds = window.toNanos() / 1e9;
        if (inWindow >= minRate * seconds || inWindow == 0)
            return; // Nothing at all is the idle handler's to report, within readTimeout of the last byte.
        stop();
        ctx.fireExceptionCaught(DataPathException.expected(Failure.TIMEOUT, "data path: " + Failures.with(ctx.channel())
            + ": peer sent " + inWindow + " bytes in the last " + Units.duration(window) + ", "
            + Math.round(inWindow / seconds) + " bytes/s (expected: at least minReceiveRate = " + Units.bytes(minRate)
            + "/s averaged over " + Units.duration(window) + "; the transfer is discarded)"));
    }

    private void cancel() {
        if (timer != null) {
            timer.cancel(false);
            timer = null;
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        stop();
        super.channelInactive(ctx);
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        stop();
    }
}
