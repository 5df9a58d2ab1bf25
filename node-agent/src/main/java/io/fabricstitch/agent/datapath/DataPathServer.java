package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The agent's side of the data path: a TCP server (DIRECT, or TLS 1.3 with client certificates when the configuration
 * has {@link DataPathConfiguration#tls() TLS material}) that stages uploads on disk as they arrive and serves staged
 * outputs. One transfer per connection; see the frame layout in the decoder's Javadoc ({@code FrameDecoder}).
 * <p>
 * Lifecycle: {@link #start()} once, then {@link #close()}. Network and disk work run on daemon event-loop threads
 * {@code fabric-datapath-<agentName>-server-N}; the other methods may be called from any thread. An upload becomes
 * visible to {@link #take} only once committed: every byte arrived, each frame's CRC32C matched, and the END's total
 * matched what was received and declared. Failed transfers are counted by kind in {@link #stats()} and logged, a
 * WARNING at most once a minute per kind.
 * <p>
 * Every transfer needs a {@link TransferToken} signed with the cluster's key, checked at its OPEN before a byte is
 * staged or served; uploads reserve staging capacity and connections are capped, in the {@link DataPathBudget} the
 * server shares with the agent's other server; slow peers are dropped (see {@link DataPathConfiguration}).
 */
public final class DataPathServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(DataPathServer.class.getName());

    private enum State { NEW, STARTED, CLOSED }

    private final DataPathConfiguration cfg;
    private final String name;
    private final DataPathCounters counters = new DataPathCounters();
    private final DataPathBudget budget;
    private final FailureLog failures;
    private final StagingArea staging;
    private final Set<Channel> connections = ConcurrentHashMap.newKeySet();
    private State state = State.NEW;
    private final Transport transport;
    private volatile EventLoopGroup group;
    private volatile InetSocketAddress address;

    /**
     * A server with a budget of its own.
     *
     * @throws IllegalStateException when the staging capacity is to be measured and the free space cannot be read
     */
    public DataPathServer(DataPathConfiguration cfg) {
        this(cfg, DataPathBudget.of(Checks.notNull(cfg, "cfg")));
    }

    /** A server sharing {@code budget} (staging capacity, connection caps) with the agent's other servers. */
    public DataPathServer(DataPathConfiguration cfg, DataPathBudget budget) {
        this.cfg = Checks.notNull(cfg, "cfg");
        this.budget = Checks.notNull(budget, "budget");
        name = "data path " + cfg.agentName();
        failures = new FailureLog(name, cfg.nanoTime());
        staging = new StagingArea(name, cfg, budget);
        transport = Transport.choose(cfg.nativeTransport());
    }

    /**
     * Creates the staging directory and listens on the first free port of {@code port..port+portRange-1}.
     *
     * @throws IllegalStateException when started twice or after {@link #close()}, or naming the address, port range
     *     or directory that could not be used and what is expected; whatever was bound is released
     */
    public synchronized void start() {
        if (state != State.NEW)
            throw new IllegalStateException(name + ": " + (state == State.STARTED ? "already started"
                : "closed (expected: a new DataPathServer)"));
        state = State.CLOSED;
        InetAddress bindAddress = resolveBindHost();
        SslContext ssl = cfg.tls() == null ? null : cfg.tls().serverContext();
        staging.create();
        EventLoopGroup g = Threads.group(transport, Math.max(2, Runtime.getRuntime().availableProcessors()),
            "fabric-datapath-" + cfg.agentName() + "-server");
        try {
            Channel server = bind(g, bindAddress, ssl);
            long sweep = Math.min(cfg.stagedTtl().toNanos(), TimeUnit.MINUTES.toNanos(1));
            if (!cfg.spareFileTtl().isZero())
                sweep = Math.min(sweep, Math.max(cfg.spareFileTtl().toNanos(), TimeUnit.MILLISECONDS.toNanos(100)));
            server.eventLoop().scheduleAtFixedRate(staging::expire, sweep, sweep, TimeUnit.NANOSECONDS);
            server.eventLoop().scheduleAtFixedRate(failures::flush, 10, 10, TimeUnit.SECONDS);
            address = (InetSocketAddress)server.localAddress();
            group = g;
            state = State.STARTED;
        }
        catch (RuntimeException e) {
            Threads.shutdown(g);
            throw e;
        }
        LOG.log(Level.INFO, name + ": started on TCP " + address.getAddress().getHostAddress() + ':'
            + address.getPort() + (ssl == null ? " (DIRECT)" : " (TLS 1.3, client certificates required)") + " over "
            + transport + (transport == Transport.EPOLL ? "" : " (" + Transport.fallbackReason(cfg.nativeTransport())
            + ")")
            + ", staging in " + staging.directory() + ", chunks of " + Units.bytes(cfg.chunkBytes()) + ", readTimeout "
            + Units.duration(cfg.readTimeout()) + "; transfer tokens required" + (cfg.transferKey().get() == null
            ? " (no key yet: every transfer is refused until one is installed)" : "") + ", staging capacity "
            + Units.approx(budget.stagingCapacityBytes()) + " (" + budget.capacitySource() + "), at most "
            + cfg.maxConnections() + " connections (" + cfg.maxConnectionsPerPeer() + " per peer), OPEN within "
            + Units.duration(cfg.openTimeout()) + ", uploads " + (cfg.minReceiveRate() == 0 ? "at any rate"
            : "at " + Units.bytes(cfg.minReceiveRate()) + "/s or more over " + Units.duration(cfg.minRateWindow())));
    }

    private Channel bind(EventLoopGroup g, InetAddress bindAddress, SslContext ssl) {
        TokenCheck tokens = new TokenCheck(cfg);
        ConnectionLimiter limiter = new ConnectionLimiter(budget, counters, failures);
        ServerBootstrap b = new ServerBootstrap().group(g).channel(transport.serverChannel())
            .childOption(ChannelOption.TCP_NODELAY, true)
            .childOption(ChannelOption.ALLOCATOR, BufferPool.ALLOCATOR)
            .childHandler(new DataPathChannelInitializer(cfg, ssl, limiter, ch -> {
                connections.add(ch);
                ch.closeFuture().addListener(f -> connections.remove(ch));
                return new ServerTransferHandler(cfg, ssl != null, name, staging, counters, failures, tokens);
            }));
        int first = cfg.port();
        int last = first + cfg.portRange() - 1;
        Throwable failure = null;
        boolean allInUse = true;
        for (int port = first; port <= last; port++) {
            ChannelFuture f = b.bind(new InetSocketAddress(bindAddress, port)).awaitUninterruptibly();
            if (f.isSuccess())
                return f.channel();
            failure = f.cause();
            // NIO throws a BindException, epoll a NativeIoException: "bind(..) failed: Address already in use".
            allInUse &= failure instanceof IOException
                && String.valueOf(failure.getMessage()).toLowerCase(Locale.ROOT).contains("in use");
        }
        String ports = "TCP " + bindAddress.getHostAddress() + ':' + first + (last > first ? ".." + last : "");
        if (allInUse)
            throw new IllegalStateException(name + ": " + ports + (last > first ? " all in use" : " in use")
                + " (expected: a free port in port..port+portRange-1, or port 0)");
        throw new IllegalStateException(name + ": " + ports + " could not be bound: " + failure
            + " (expected: bindHost naming an address of this host, or 0.0.0.0)", failure);
    }

    private InetAddress resolveBindHost() {
        try {
            return InetAddress.getByName(cfg.bindHost());
        }
        catch (UnknownHostException e) {
            throw new IllegalStateException(name + ": bindHost '" + cfg.bindHost() + "' does not resolve (expected: "
                + "an address or host name of this host, or 0.0.0.0)", e);
        }
    }

    /**
     * The address the server listens on.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress address() {
        InetSocketAddress a = address;
        if (a == null)
            throw new IllegalStateException(name + ": not started");
        return a;
    }

    /** The socket layer this server uses: EPOLL, or NIO where epoll is off or does not load. */
    public String transport() {
        return transport.name();
    }

    /** Whether the server speaks TLS (it then refuses plain connections); false for DIRECT. */
    public boolean tls() {
        return cfg.tls() != null;
    }

    /**
     * Removes a committed upload from the server and hands it over: the caller closes it, which deletes its file.
     * Empty for an unknown transfer, one still in progress, one that failed, one already taken or expired.
     */
    public Optional<StagedInput> take(UUID transferId) {
        return staging.take(Checks.notNull(transferId, "transferId"));
    }

    /**
     * Stages an input that came another way than this server's TCP port (an RDMA transport): exactly
     * {@code length} bytes read from {@code data}, committed under {@code transferId} once complete, then taken like
     * any upload. It reserves staging capacity like an upload, but carries no token: the transport answers for its
     * peers. Nothing is staged when it fails.
     *
     * @throws DataPathException {@link DataPathException.Failure#TRUNCATED TRUNCATED} when {@code data} ends early,
     *     {@link DataPathException.Failure#REFUSED REFUSED} when it is too large, the id is in use, or the disk fails,
     *     {@link DataPathException.Failure#BUSY BUSY} when the staging capacity would be passed
     * @throws IOException when reading {@code data} fails
     */
    public void stageInput(UUID transferId, InputStream data, long length) throws IOException {
        Checks.notNull(transferId, "transferId");
        Checks.notNull(data, "data");
        Checks.inRange(length, 0, Long.MAX_VALUE, "length");
        String from = "of transfer " + transferId + " from a local transport";
        IncomingFile f = staging.receive(new OpenRequest(OpenRequest.Op.PUT, transferId, length, null), length,
            from);
        boolean staged = false;
        try {
            byte[] buf = new byte[cfg.chunkBytes()];
            for (int n; f.received() < length && (n = data.read(buf, 0, (int)Math.min(buf.length,
                length - f.received()))) > 0;)
                f.write(Unpooled.wrappedBuffer(buf, 0, n));
            if (f.received() < length)
                throw DataPathException.expected(DataPathException.Failure.TRUNCATED, "data path: input " + from
                    + " ended after " + f.received() + " of " + length + " bytes (expected: all of them; the transfer "
                    + "is discarded)");
            staging.commit(f, length);
            staged = true;
        }
        finally {
            if (!staged)
                staging.discard(f);
        }
    }

    /**
     * Makes a file available to a GET by the returned id until {@code stagedTtl} passes; the file must not change
     * until then.
     *
     * @param deleteAfterDownload whether the server owns the file: it is then deleted after the first download the
     *     client acknowledges (or when it expires, or the server closes), and served only once; otherwise it may be
     *     downloaded again until it expires, and is never deleted by the server
     * @throws IllegalArgumentException when {@code file} is not a readable regular file
     */
    public UUID stageOutput(Path file, boolean deleteAfterDownload) {
        return staging.stage(Checks.notNull(file, "file"), deleteAfterDownload);
    }

    /**
     * Makes bytes available to one GET by the returned id until {@code stagedTtl} passes. Not copied: the caller must
     * not change them.
     */
    public UUID stageOutput(byte[] data) {
        return staging.stage(Checks.notNull(data, "data"));
    }

    /** The counters now. */
    public DataPathStats stats() {
        return counters.snapshot();
    }

    /** The staging capacity and connection caps this server counts against. */
    public DataPathBudget budget() {
        return budget;
    }

    /** The configuration this server runs with. */
    public DataPathConfiguration configuration() {
        return cfg;
    }

    /** Test hook: the open connections. */
    Set<Channel> connections() {
        return connections;
    }

    /** Test hook: the staged data. */
    StagingArea staging() {
        return staging;
    }

    /**
     * Closes the port and every connection (transfers in progress fail and are deleted), stops the threads and deletes
     * what was staged and not taken. Idempotent.
     */
    @Override
    public void close() {
        EventLoopGroup g;
        synchronized (this) {
            state = State.CLOSED;
            g = group;
            group = null;
        }
        if (g == null)
            return;
        Threads.shutdown(g);
        staging.clear();
        LOG.log(Level.INFO, name + ": stopped");
    }

    @Override
    public String toString() {
        InetSocketAddress a = address;
        return "DataPathServer [" + name + ", " + (a == null ? "unbound" : a.getAddress().getHostAddress() + ':'
            + a.getPort()) + (tls() ? ", TLS" : ", DIRECT") + ", " + stats() + ']';
    }
}
