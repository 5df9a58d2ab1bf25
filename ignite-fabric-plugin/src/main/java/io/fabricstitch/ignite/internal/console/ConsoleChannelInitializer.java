package io.fabricstitch.ignite.internal.console;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpDecoderConfig;
import io.netty.handler.codec.http.HttpServerCodec;
import java.time.Clock;
import org.apache.ignite.IgniteLogger;

/**
 * The console's pipeline. Each concern has its own handler, and the event loop never waits: whatever may block runs
 * on the console workers.
 * <pre>
 *  socket
 *     |
 *  http         HTTP/1.1 codec: request line &lt;= 4 KiB, headers &lt;= 8 KiB ----------&gt; 414, 431, 400 (answered below)
 *     |
 *  connections  at most maxConnections open, maxConnectionsPerPeer from one address -&gt; 503, closed
 *     |
 *  deadlines    head within headerTimeout, request within readTimeout of its first byte -&gt; 408, closed;
 *               idle for readTimeout, or an answer not taken within it ---------------&gt; closed
 *     |
 *  body         head and body joined, body &lt;= 4 KiB ------------------------------------&gt; 413, closed
 *     |
 *  requests     one at a time, in order: pages from memory; host and token checks; API calls on the workers
 *                                                           ---&gt; 401, 403, 404, 405; 503 when the workers are full
 * </pre>
 * Not API.
 */
final class ConsoleChannelInitializer extends ChannelInitializer<SocketChannel> {
    private final ConsoleLimits limits;
    private final ConsoleConnectionCap connections;
    private final ConsoleRoutes routes;
    private final Clock clock;
    private final IgniteLogger log;

    ConsoleChannelInitializer(ConsoleLimits limits, ConsoleConnectionCap connections, ConsoleRoutes routes, Clock clock,
        IgniteLogger log) {
        this.limits = limits;
        this.connections = connections;
        this.routes = routes;
        this.clock = clock;
        this.log = log;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
            .addLast("http", new HttpServerCodec(new HttpDecoderConfig()
                .setMaxInitialLineLength(ConsoleLimits.MAX_REQUEST_LINE)
                .setMaxHeaderSize(ConsoleLimits.MAX_HEADER_BYTES)))
            .addLast("connections", connections)
            .addLast("deadlines", new ConsoleDeadlines(limits, clock, log))
            .addLast("body", new ConsoleBodyLimit(clock))
            .addLast("requests", new ConsoleHttpHandler(routes, clock, log));
    }
}
