package io.fabricstitch.ignite.internal.console;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.util.ReferenceCountUtil;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import org.apache.ignite.IgniteLogger;

/**
 * Answers the requests of one connection, in the order they came, one at a time: it stops reading the socket while an
 * answer is under way, so a client cannot queue work faster than the console answers it. Requests the decoder could
 * not read are answered 400, 414 or 431 and the connection closed; answers are written from the event loop. Not API.
 */
final class ConsoleHttpHandler extends ChannelInboundHandlerAdapter {
    private final ConsoleRoutes routes;
    private final Clock clock;
    private final IgniteLogger log;
    /** Requests received, not yet being answered (pipelined, or arrived in one read with the one being answered). */
    private final ArrayDeque<FullHttpRequest> waiting = new ArrayDeque<>();
    private boolean answering;

    ConsoleHttpHandler(ConsoleRoutes routes, Clock clock, IgniteLogger log) {
        this.routes = routes;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof FullHttpRequest)) {
            ReferenceCountUtil.release(msg);
            return;
        }
        if (waiting.size() >= ConsoleLimits.MAX_PIPELINED) {
            ReferenceCountUtil.release(msg);
            if (log.isDebugEnabled())
                log.debug("Fabric Stitch: web console closes the connection from " + ctx.channel().remoteAddress()
                    + ": more than " + ConsoleLimits.MAX_PIPELINED + " requests sent ahead of their answers");
            ctx.close();
            return;
        }
        waiting.add((FullHttpRequest)msg);
        if (!answering)
            answerNext(ctx);
    }

    private void answerNext(ChannelHandlerContext ctx) {
        FullHttpRequest req = waiting.poll();
        if (req == null) {
            ctx.channel().config().setAutoRead(true);
            return;
        }
        answering = true;
        ctx.channel().config().setAutoRead(false);
        boolean head = req.method().equals(HttpMethod.HEAD);
        HttpVersion version = req.protocolVersion();
        boolean keepAlive;
        CompletableFuture<ConsoleResponse> answer;
        try {
            keepAlive = req.decoderResult().isSuccess() && HttpUtil.isKeepAlive(req);
            answer = req.decoderResult().isSuccess() ? routes.answer(ConsoleRequest.of(req,
                ctx.channel().remoteAddress())) : CompletableFuture.completedFuture(unreadable(req.decoderResult()
                .cause()));
        }
        finally {
            req.release();
        }
        answer.whenComplete((r, e) -> {
            if (ctx.executor().inEventLoop())
                send(ctx, r, e, head, keepAlive, version);
            else {
                try {
                    ctx.executor().execute(() -> send(ctx, r, e, head, keepAlive, version));
                }
                catch (RejectedExecutionException stopped) {
                    // the console is closing: the connection goes with it
                }
            }
        });
    }

    private void send(ChannelHandlerContext ctx, ConsoleResponse r, Throwable e, boolean head, boolean keepAlive,
        HttpVersion version) {
        if (e != null) {
            log.warning("Fabric Stitch: web console failed to answer " + ctx.channel().remoteAddress(), e);
            r = ConsoleResponse.error(500, "the console failed to answer: " + e);
        }
        ctx.writeAndFlush(r.toHttp(head, keepAlive, version, clock.instant())).addListener(f -> {
            if (!f.isSuccess() || !keepAlive) {
                ctx.close();
                return;
            }
            answering = false;
            answerNext(ctx);
        });
    }

    /** The answer to a request the decoder could not read. */
    private static ConsoleResponse unreadable(Throwable cause) {
        if (cause instanceof TooLongHttpLineException)
            return ConsoleResponse.text(414, "request line over " + ConsoleLimits.MAX_REQUEST_LINE + " bytes "
                + "(expected: a shorter address)");
        if (cause instanceof TooLongHttpHeaderException)
            return ConsoleResponse.text(431, "request headers over " + ConsoleLimits.MAX_HEADER_BYTES + " bytes "
                + "(expected: fewer or shorter headers)");
        return ConsoleResponse.text(400, "malformed HTTP request: " + cause.getMessage() + " (expected: HTTP/1.1)");
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        releaseWaiting();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        releaseWaiting();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (log.isDebugEnabled())
            log.debug("Fabric Stitch: web console connection from " + ctx.channel().remoteAddress() + " failed: "
                + cause);
        ctx.close();
    }

    private void releaseWaiting() {
        for (FullHttpRequest r; (r = waiting.poll()) != null; )
            r.release();
    }
}
