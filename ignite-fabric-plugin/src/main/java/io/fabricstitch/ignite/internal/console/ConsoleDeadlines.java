package io.fabricstitch.ignite.internal.console;

import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.http.HttpObject;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpStatusClass;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.IgniteLogger;

/**
 * The time a client may take, on one connection, between the HTTP decoder and the aggregator:
 * <ul>
 *   <li>a request's line and headers must arrive within {@code headerTimeout} of its first byte, and the whole
 *   request within {@code readTimeout}; else it is answered 408 and the connection closed. These are deadlines, not
 *   idle timers: a client that sends one byte a second is cut off all the same;</li>
 *   <li>a connection with no request under way and no answer pending is closed after {@code readTimeout};</li>
 *   <li>an answer the client does not take within {@code readTimeout} closes the connection.</li>
 * </ul>
 * While the console works on an answer no timer runs: that time is the server's, not the client's. Not API.
 */
final class ConsoleDeadlines extends ChannelDuplexHandler {
    private final ConsoleLimits limits;
    private final Clock clock;
    private final IgniteLogger log;
    /** Some of a request arrived, not all of it. */
    private boolean receiving;
    /** A message came out of the decoder since the last end of a read. */
    private boolean decodedThisRead;
    /**
     * Requests received less answers sent: above 0 while answers are under way, below 0 while a request answered
     * early (a 413 before its body) is still arriving.
     */
    private int unanswered;
    private ScheduledFuture<?> idle;
    private ScheduledFuture<?> head;
    private ScheduledFuture<?> whole;
    private ScheduledFuture<?> send;

    ConsoleDeadlines(ConsoleLimits limits, Clock clock, IgniteLogger log) {
        this.limits = limits;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive())
            awaitRequest(ctx);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        awaitRequest(ctx);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof HttpObject) {
            decodedThisRead = true;
            if (!receiving)
                requestStarted(ctx);
            if (msg instanceof HttpRequest)
                head = cancel(head);
            if (msg instanceof LastHttpContent) {
                whole = cancel(whole);
                receiving = false;
                if (++unanswered <= 0)
                    awaitRequest(ctx); // its answer left already
            }
        }
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // bytes came in and the decoder made nothing of them yet: the start of a request's head
        if (!decodedThisRead && !receiving && unanswered == 0)
            requestStarted(ctx);
        decodedThisRead = false;
        ctx.fireChannelReadComplete();
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof LastHttpContent && !informational(msg)) {
            send = cancel(send);
            send = schedule(ctx, limits.readTimeout(), () -> expired(ctx, "its answer was not taken within "
                + "console.readTimeoutMs=" + limits.readTimeout().toMillis() + " ms"));
            promise = promise.unvoid();
            promise.addListener(f -> answered(ctx));
        }
        ctx.write(msg, promise);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        cancelAll();
        ctx.fireChannelInactive();
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        cancelAll();
    }

    private void requestStarted(ChannelHandlerContext ctx) {
        receiving = true;
        idle = cancel(idle);
        head = schedule(ctx, limits.headerTimeout(), () -> tooSlow(ctx, "its request line and headers did not arrive "
            + "within console.headerTimeoutMs=" + limits.headerTimeout().toMillis() + " ms of their first byte "
            + "(expected: a whole request head at once, as HTTP clients send it)"));
        whole = schedule(ctx, limits.readTimeout(), () -> tooSlow(ctx, "its request did not arrive within "
            + "console.readTimeoutMs=" + limits.readTimeout().toMillis() + " ms of its first byte (expected: the body "
            + "right after the headers)"));
    }

    private void answered(ChannelHandlerContext ctx) {
        send = cancel(send);
        if (--unanswered <= 0 && !receiving)
            awaitRequest(ctx);
    }

    /** Whether {@code msg} is a 1xx answer, which another one follows ({@code 100 Continue}). */
    private static boolean informational(Object msg) {
        return msg instanceof HttpResponse && ((HttpResponse)msg).status().codeClass() == HttpStatusClass.INFORMATIONAL;
    }

    private void awaitRequest(ChannelHandlerContext ctx) {
        idle = cancel(idle);
        idle = schedule(ctx, limits.readTimeout(), () -> expired(ctx, "it sent nothing for console.readTimeoutMs="
            + limits.readTimeout().toMillis() + " ms"));
    }

    /** A request too slow to arrive: answered 408 (unless another answer is under way or was sent), then closed. */
    private void tooSlow(ChannelHandlerContext ctx, String why) {
        if (unanswered != 0) {
            expired(ctx, why);
            return;
        }
        cancelAll();
        debug(ctx, why);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(ConsoleResponse.text(408, "request timeout: " + why).toHttp(false, false,
            HttpVersion.HTTP_1_1, clock.instant())).addListener(ChannelFutureListener.CLOSE);
    }

    private void expired(ChannelHandlerContext ctx, String why) {
        cancelAll();
        debug(ctx, why);
        ctx.close();
    }

    private void debug(ChannelHandlerContext ctx, String why) {
        if (log.isDebugEnabled())
            log.debug("Fabric Stitch: web console closes the connection from " + ctx.channel().remoteAddress() + ": "
                + why);
    }

    private void cancelAll() {
        idle = cancel(idle);
        head = cancel(head);
        whole = cancel(whole);
        send = cancel(send);
    }

    private static ScheduledFuture<?> schedule(ChannelHandlerContext ctx, Duration after, Runnable task) {
        return ctx.executor().schedule(task, after.toNanos(), TimeUnit.NANOSECONDS);
    }

    private static ScheduledFuture<?> cancel(ScheduledFuture<?> f) {
        if (f != null)
            f.cancel(false);
        return null;
    }
}
