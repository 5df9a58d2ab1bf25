package io.fabricstitch.ignite.internal.console;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpUtil;
import java.time.Clock;

/**
 * Joins a request's head and body into one message, up to {@link ConsoleLimits#MAX_BODY} bytes of body. A larger
 * body (declared by {@code Content-Length}, or sent in chunks) is answered 413 before it is read, whoever sends it.
 * On a keep-alive connection whose client has not started the body yet, the rest of it is then read and dropped
 * (within the read timeout), so that the client reads the 413 rather than a reset; otherwise the connection is closed.
 * A refused {@code Expect: 100-continue} closes it too. Not API.
 */
final class ConsoleBodyLimit extends HttpObjectAggregator {
    static final String TOO_LARGE = "request body over " + ConsoleLimits.MAX_BODY + " bytes (expected: "
        + "{\"reason\": \"...\"} or no body)";

    private final Clock clock;

    ConsoleBodyLimit(Clock clock) {
        super(ConsoleLimits.MAX_BODY, true);
        this.clock = clock;
    }

    @Override
    protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
        boolean api = oversized instanceof HttpRequest && ((HttpRequest)oversized).uri().startsWith("/api/");
        boolean keepOpen = !(oversized instanceof FullHttpMessage) && HttpUtil.isKeepAlive(oversized);
        ConsoleResponse r = api ? ConsoleResponse.error(413, TOO_LARGE) : ConsoleResponse.text(413, TOO_LARGE);
        if (!keepOpen)
            ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(r.toHttp(false, keepOpen, oversized.protocolVersion(), clock.instant()))
            .addListener(keepOpen ? ChannelFutureListener.CLOSE_ON_FAILURE : ChannelFutureListener.CLOSE);
    }
}
