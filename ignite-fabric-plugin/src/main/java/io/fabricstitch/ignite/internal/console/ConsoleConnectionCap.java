package io.fabricstitch.ignite.internal.console;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.util.AttributeKey;
import io.netty.util.ReferenceCountUtil;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ignite.IgniteLogger;

/**
 * Caps the connections open at once, in all and from one client address. A connection over either cap is answered
 * 503 without reading its request, and closed. Shared by every connection of one console. Not API.
 */
@ChannelHandler.Sharable
final class ConsoleConnectionCap extends ChannelInboundHandlerAdapter {
    private static final AttributeKey<Boolean> REFUSED = AttributeKey.valueOf(ConsoleConnectionCap.class, "refused");

    private final int max;
    private final int maxPerPeer;
    private final Clock clock;
    private final IgniteLogger log;
    private final AtomicInteger open = new AtomicInteger();
    private final ConcurrentHashMap<InetAddress, Integer> perPeer = new ConcurrentHashMap<>();

    ConsoleConnectionCap(ConsoleLimits limits, Clock clock, IgniteLogger log) {
        this.max = limits.maxConnections();
        this.maxPerPeer = limits.maxConnectionsPerPeer();
        this.clock = clock;
        this.log = log;
    }

    /** Connections open now. */
    int open() {
        return open.get();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        InetAddress peer = addressOf(ctx.channel().remoteAddress());
        String refusal = admit(peer);
        if (refusal == null) {
            ctx.channel().closeFuture().addListener(f -> release(peer));
            ctx.fireChannelActive();
            return;
        }
        ctx.channel().attr(REFUSED).set(Boolean.TRUE);
        if (log.isDebugEnabled())
            log.debug("Fabric Stitch: web console refused a connection from " + ctx.channel().remoteAddress() + ": "
                + refusal);
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(ConsoleResponse.text(503, refusal).with("Retry-After", "1")
            .toHttp(false, false, HttpVersion.HTTP_1_1, clock.instant())).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (ctx.channel().hasAttr(REFUSED))
            ReferenceCountUtil.release(msg); // a refused connection's request: never answered
        else
            ctx.fireChannelRead(msg);
    }

    /** Counts a connection from {@code peer}; null when admitted, else why not. */
    private String admit(InetAddress peer) {
        int all = open.incrementAndGet();
        int fromPeer = perPeer.merge(peer, 1, Integer::sum);
        if (all <= max && fromPeer <= maxPerPeer)
            return null;
        release(peer);
        if (all > max)
            return "the console has " + max + " connections open, its most (expected: fewer at once, "
                + "console.maxConnections=" + max + "; retry)";
        return "too many connections from " + peer.getHostAddress() + ": " + maxPerPeer + " open (expected: at most "
            + "console.maxConnectionsPerPeer=" + maxPerPeer + " at once; close idle ones, or retry)";
    }

    private void release(InetAddress peer) {
        open.decrementAndGet();
        perPeer.computeIfPresent(peer, (k, n) -> n == 1 ? null : n - 1);
    }

    private static InetAddress addressOf(SocketAddress a) {
        return a instanceof InetSocketAddress ? ((InetSocketAddress)a).getAddress() : InetAddress.getLoopbackAddress();
    }
}
