package io.fabricstitch.ignite.internal.console;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricstitch.ignite.FabricConsoleConfiguration;
import io.fabricstitch.ignite.internal.FabricMetrics;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;

/**
 * The web console of a server node: the page ({@code /}) and the JSON REST API ({@code /api/...}) over HTTP/1.1 on
 * Netty, bound to {@code console.host} on the first free port of {@code console.port .. +console.portRange-1}. One
 * event-loop thread reads, checks and answers; API calls run on a few worker threads with a bounded queue. Slow and
 * idle clients are cut off, connections and request sizes capped ({@link ConsoleChannelInitializer} draws the
 * pipeline); answers are never cached. Not API.
 */
public final class ConsoleServer implements AutoCloseable {
    private final Channel channel;
    private final EventLoopGroup loop;
    private final ConsoleWorkers workers;
    private final ConsoleConnectionCap connections;
    private final ConsoleAccess access;
    private final URI address;

    private ConsoleServer(Channel channel, EventLoopGroup loop, ConsoleWorkers workers,
        ConsoleConnectionCap connections, ConsoleAccess access, String host) {
        this.channel = channel;
        this.loop = loop;
        this.workers = workers;
        this.connections = connections;
        this.access = access;
        String h = host.contains(":") && !host.startsWith("[") ? '[' + host + ']' : host;
        this.address = URI.create("http://" + h + ':' + ((InetSocketAddress)channel.localAddress()).getPort() + '/');
    }

    /**
     * Starts the console of node {@code nodeName}.
     *
     * @throws IllegalStateException naming the ports tried when none is free
     */
    public static ConsoleServer start(Ignite ignite, FabricConsoleConfiguration cfg, FabricMetrics metrics,
        String nodeName, IgniteLogger log) {
        ConsoleAccess access = new ConsoleAccess(cfg.effectiveToken(), cfg.isFaultInjection());
        ConsoleLimits limits = ConsoleLimits.of(cfg);
        Clock clock = Clock.systemUTC();
        ConsoleApi api = new ConsoleApi(ignite, metrics, nodeName, access, new ObjectMapper(), clock);
        ConsoleWorkers workers = new ConsoleWorkers("fabric-console-" + nodeName, limits.workerThreads(),
            limits.maxQueuedRequests());
        ConsoleConnectionCap connections = new ConsoleConnectionCap(limits, clock, log);
        ConsoleRoutes routes = new ConsoleRoutes(ConsolePages.load(), api, access, workers, log);
        EventLoopGroup loop = new NioEventLoopGroup(1, r -> {
            Thread t = new FastThreadLocalThread(r, "fabric-console-" + nodeName + "-io");
            t.setDaemon(true);
            return t;
        });
        try {
            Channel ch = bind(new ServerBootstrap().group(loop).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 128).childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new ConsoleChannelInitializer(limits, connections, routes, clock, log)),
                cfg.getHost(), cfg.getPort(), cfg.getPortRange());
            return new ConsoleServer(ch, loop, workers, connections, access, cfg.getHost());
        }
        catch (RuntimeException e) {
            shutdown(loop);
            workers.close();
            throw e;
        }
    }

    private static Channel bind(ServerBootstrap b, String host, int port, int range) {
        int last = port == 0 ? 0 : Math.min(65535, port + range - 1);
        Throwable lastError = null;
        for (int p = port; p <= last; p++) {
            ChannelFuture f = b.bind(new InetSocketAddress(host, p)).awaitUninterruptibly();
            if (f.isSuccess())
                return f.channel();
            if (!(f.cause() instanceof BindException))
                throw new IllegalStateException("web console cannot listen on " + host + ':' + p + ": "
                    + (f.cause().getMessage() == null ? f.cause().toString() : f.cause().getMessage())
                    + " (expected: console.host an address of this host)");
            lastError = f.cause();
        }
        throw new IllegalStateException("web console: no free port in " + host + ':' + port + ".." + last + " ("
            + (lastError == null ? "none tried" : lastError.getMessage()) + "; expected: a free port, or "
            + "console.port=0 for any, or console.enabled=false)");
    }

    /** The console's address, e.g. {@code http://127.0.0.1:8090/}. */
    public URI address() {
        return address;
    }

    /** Whether the console asks for a token. */
    public boolean tokenRequired() {
        return access.tokenRequired();
    }

    /** Connections open now. */
    int openConnections() {
        return connections.open();
    }

    /** Whether a {@code Host} header names the loopback interface (a DNS-rebinding page sends its own name). */
    static boolean isLoopbackHost(String host) {
        if (host == null)
            return false;
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        if (h.startsWith("[")) {
            int end = h.indexOf(']');
            return end > 0 && h.substring(1, end).equals("::1");
        }
        int colon = h.indexOf(':');
        String name = colon < 0 ? h : h.substring(0, colon);
        return name.equals("localhost") || name.matches("127(\\.\\d{1,3}){3}");
    }

    static Map<String, String> params(String rawQuery) {
        Map<String, String> out = new LinkedHashMap<>();
        if (rawQuery == null || rawQuery.isEmpty())
            return out;
        for (String pair : rawQuery.split("&")) {
            if (pair.isEmpty())
                continue;
            int eq = pair.indexOf('=');
            String k;
            String v;
            try {
                k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
            catch (IllegalArgumentException e) {
                throw new ConsoleException(400, "query '" + rawQuery + "' is not URL-encoded (" + e.getMessage()
                    + "; expected: name=value pairs joined by &)");
            }
            if (out.put(k, v) != null)
                throw new ConsoleException(400, "parameter '" + k + "' given twice (expected: once)");
        }
        return out;
    }

    /** Stops listening, closes every connection and stops the workers. */
    @Override
    public void close() {
        channel.close().awaitUninterruptibly();
        shutdown(loop);
        workers.close();
    }

    private static void shutdown(EventLoopGroup g) {
        g.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(10, TimeUnit.SECONDS);
    }
}
