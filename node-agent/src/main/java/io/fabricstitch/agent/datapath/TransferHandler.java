package io.fabricstitch.agent.datapath;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.ssl.SslHandshakeTimeoutException;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;

/**
 * The last handler of a data path connection, one per connection: what every transfer handler does the same way.
 * It starts the transfer once the connection is ready (active, or TLS handshake done), hands each {@link Frame} to
 * {@link #frame} and releases it, and turns every way a transfer can fail (a handler's exception, a TLS failure, a
 * timeout, the connection closing early) into one call of {@link #failed} with a {@link DataPathException}. Runs on
 * the channel's event loop.
 */
abstract class TransferHandler extends ChannelInboundHandlerAdapter {
    final DataPathConfiguration cfg;
    private final boolean tls;
    private boolean finished;

    /**
     * @param tls whether the pipeline has TLS, so that the transfer starts when the handshake is done
     */
    TransferHandler(DataPathConfiguration cfg, boolean tls) {
        this.cfg = cfg;
        this.tls = tls;
    }

    /** The connection is ready: plain and active, or the TLS handshake succeeded. */
    abstract void begin(ChannelHandlerContext ctx);

    /** A verified frame; released by the caller. Throw a {@link DataPathException} to fail the transfer. */
    abstract void frame(ChannelHandlerContext ctx, Frame frame);

    /** The transfer failed; called once, and never after {@link #finish()}. */
    abstract void failed(ChannelHandlerContext ctx, DataPathException e);

    /** Payload bytes moved so far, for messages. */
    abstract long payloadBytes();

    /** Whether this side is sending now, so that a stalled peer is one that takes nothing. */
    abstract boolean sending();

    /** The failure when the connection closes before the transfer ended. */
    DataPathException closedEarly(ChannelHandlerContext ctx) {
        return Failures.truncated(ctx.channel(), payloadBytes(), "");
    }

    /** The failure when the peer made no progress for readTimeout. */
    DataPathException stalled(ChannelHandlerContext ctx) {
        return Failures.timeout(ctx.channel(), cfg.readTimeout(), sending());
    }

    /** Whether this side stopped reading on purpose (a slow consumer): a quiet peer is then not a timeout. */
    boolean paused() {
        return false;
    }

    /** The transfer ended well: no failure from now on. */
    final void finish() {
        finished = true;
    }

    final boolean finished() {
        return finished;
    }

    /** Fails the transfer unless it already ended. */
    final void fail(ChannelHandlerContext ctx, DataPathException e) {
        if (finished)
            return;
        finished = true;
        failed(ctx, e);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (!tls)
            begin(ctx);
        super.channelActive(ctx);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) throws Exception {
        if (evt instanceof SslHandshakeCompletionEvent) {
            SslHandshakeCompletionEvent e = (SslHandshakeCompletionEvent)evt;
            if (e.isSuccess())
                begin(ctx);
            else if (e.cause() instanceof SslHandshakeTimeoutException)
                fail(ctx, Failures.timeout(ctx.channel(), cfg.readTimeout(), false));
            else
                fail(ctx, Failures.of(ctx.channel(), e.cause()));
        }
        else if (evt instanceof IdleStateEvent) {
            if (finished)
                ctx.close();
            else if (!paused())
                fail(ctx, stalled(ctx));
        }
        else
            super.userEventTriggered(ctx, evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof Frame)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        Frame f = (Frame)msg;
        try {
            if (!finished)
                frame(ctx, f);
        }
        catch (RuntimeException e) {
            fail(ctx, Failures.of(ctx.channel(), e));
        }
        finally {
            f.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        fail(ctx, Failures.of(ctx.channel(), cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        if (!finished)
            fail(ctx, closedEarly(ctx));
        super.channelInactive(ctx);
    }

    /** A frame this side does not expect now. */
    static DataPathException unexpected(ChannelHandlerContext ctx, Frame f, String expected) {
        return DataPathException.expected(DataPathException.Failure.PROTOCOL, "data path: " + f.type() + " frame "
            + f.index() + ' ' + Failures.from(ctx.channel()) + " came out of order (expected: " + expected + ")");
    }
}
