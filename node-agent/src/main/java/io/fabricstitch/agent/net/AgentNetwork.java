package io.fabricstitch.agent.net;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.internal.RateLimitedWarning;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.util.concurrent.FastThreadLocalThread;
import java.lang.System.Logger.Level;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The agent's network side: announces this agent with authenticated UDP beacons (to the multicast group, the seeds,
 * and peers heard by unicast), keeps a table of the peers heard, and measures smoothed round-trip times to them with
 * authenticated UDP ping/pong.
 * <p>
 * Lifecycle: {@link #start()} once, then {@link #close()}. All network work runs on one daemon event-loop thread,
 * {@code fabric-net-<agentName>}, which also calls the {@link PeerListener}s. The queries ({@link #peers()},
 * {@link #latencies()}, {@link #stats()}) return snapshots and may be called from any thread.
 * <p>
 * Untrusted input is dropped and counted, never thrown: see {@link NetworkStats} and the beacon pipeline.
 */
public final class AgentNetwork implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(AgentNetwork.class.getName());

    private enum State { NEW, STARTED, CLOSED }

    private final NetworkConfiguration cfg;
    private final Supplier<Announcement> self;
    private final NetworkCounters counters = new NetworkCounters();
    private final PeerTable peers = new PeerTable();
    private final List<PeerListener> listeners = new CopyOnWriteArrayList<>();
    private State state = State.NEW;
    private volatile String name = "agent network";
    private volatile EventLoopGroup group;
    private volatile PeerProtocol protocol;
    private volatile InetSocketAddress unicastAddress;

    /**
     * @param self this agent's announcement; called on the event loop before each send, so it must be cheap and
     *     always give the same node id and agent name
     */
    public AgentNetwork(NetworkConfiguration cfg, Supplier<Announcement> self) {
        this.cfg = Checks.notNull(cfg, "cfg");
        this.self = Checks.notNull(self, "self");
    }

    /**
     * Binds the unicast socket and, when multicast is enabled, joins the group; then announces at once and every
     * beacon interval, and pings every peer every latency interval.
     *
     * @throws IllegalStateException when started twice or after {@link #close()}, or naming what could not be bound,
     *     joined or resolved; whatever was bound is released, and the network stays closed
     */
    public synchronized void start() {
        if (state != State.NEW)
            throw new IllegalStateException(name + ": " + (state == State.STARTED ? "already started"
                : "closed (expected: a new AgentNetwork)"));
        state = State.CLOSED;
        Announcement me = Checks.notNull(self.get(), "self");
        name = "agent network " + me.agentName();
        InetAddress bindAddress = resolveBindHost();
        NetworkInterface nif = cfg.multicastEnabled() ? multicastInterface(bindAddress) : null;
        InetSocketAddress groupAddress = nif == null ? null : new InetSocketAddress(literal(cfg.multicastGroup()),
            cfg.multicastPort());
        List<InetSocketAddress> targets = targets(groupAddress);
        EventLoopGroup g = new NioEventLoopGroup(1, threadFactory("fabric-net-" + me.agentName()));
        try {
            ChannelSender sender = new ChannelSender(name, counters, cfg.nanoTime());
            PeerProtocol p = new PeerProtocol(name, cfg, me.nodeId(), self, peers, sender, counters, listeners,
                targets);
            DropLog drops = new DropLog(name, cfg, counters);
            NonceMemory nonces = new NonceMemory(NonceMemory.DFLT_CAPACITY, cfg.replayWindow().toMillis());
            DatagramBinder binder = new DatagramBinder(name, g, cfg);
            Channel unicast = binder.bindUnicast(bindAddress, nif,
                new BeaconChannelInitializer(cfg, counters, nonces, drops, p, false));
            InetSocketAddress local = (InetSocketAddress)unicast.localAddress();
            p.bound(local);
            sender.channel(unicast);
            if (nif != null)
                binder.bindMulticast(groupAddress.getAddress(), nif,
                    new BeaconChannelInitializer(cfg, counters, nonces, drops, p, true));
            schedule(unicast.eventLoop(), p, drops);
            group = g;
            protocol = p;
            unicastAddress = local;
            state = State.STARTED;
        }
        catch (RuntimeException e) {
            shutdown(g);
            throw e;
        }
        logStarted(nif, targets);
    }

    private void schedule(EventLoop loop, PeerProtocol p, DropLog drops) {
        long beacon = cfg.beaconInterval().toNanos();
        long latency = cfg.latencyInterval().toNanos();
        loop.scheduleAtFixedRate(guarded("beacon", () -> {
            p.beaconTick();
            drops.flush();
        }), 0, beacon, TimeUnit.NANOSECONDS);
        loop.scheduleAtFixedRate(guarded("latency", p::latencyTick), latency, latency, TimeUnit.NANOSECONDS);
    }

    /** A timer task that logs (at most once a minute) instead of dying on an unexpected failure. */
    private Runnable guarded(String what, Runnable task) {
        RateLimitedWarning failures = new RateLimitedWarning();
        return () -> {
            try {
                task.run();
            }
            catch (RuntimeException e) {
                failures.record(e.toString(), cfg.nanoTime().getAsLong(), (count, last) -> LOG.log(Level.WARNING,
                    name + ": " + what + " timer failed " + count + " time(s) in the last minute", e));
            }
        };
    }

    private void logStarted(NetworkInterface nif, List<InetSocketAddress> targets) {
        InetSocketAddress a = unicastAddress;
        LOG.log(Level.INFO, name + ": started on UDP " + a.getAddress().getHostAddress() + ':' + a.getPort()
            + (nif == null ? ", multicast disabled" : ", multicast " + cfg.multicastGroup() + ':' + cfg.multicastPort()
            + " on " + nif.getName() + " (ttl " + cfg.ttl() + ")") + ", seeds " + cfg.seeds() + " ("
            + (targets.size() - (nif == null ? 0 : 1)) + " address(es)), beacon every "
            + Durations.text(cfg.beaconInterval()) + ", ping every " + Durations.text(cfg.latencyInterval()));
        if (!cfg.injectedLatency().isEmpty())
            LOG.log(Level.WARNING, name + ": TEST-ONLY latency injection: pings and pongs to "
                + NetworkConfiguration.injectedText(cfg.injectedLatency()) + " are delayed, emulating far sites "
                + "(expected: no network.injectedLatency outside tests)");
    }

    private InetAddress resolveBindHost() {
        try {
            for (InetAddress a : InetAddress.getAllByName(cfg.bindHost())) {
                if (a instanceof Inet4Address)
                    return a;
            }
        }
        catch (UnknownHostException ignored) {
            // Reported below.
        }
        throw new IllegalStateException(name + ": bindHost '" + cfg.bindHost() + "' does not resolve to an IPv4 "
            + "address (expected: an IPv4 address or host name of this host, or 0.0.0.0)");
    }

    private NetworkInterface multicastInterface(InetAddress bindAddress) {
        NetworkInterface nif;
        try {
            nif = InterfaceResolver.resolve(cfg.interfaceName(), bindAddress);
        }
        catch (IllegalStateException e) {
            throw new IllegalStateException(name + ": " + e.getMessage(), e.getCause());
        }
        if (bindAddress.isLoopbackAddress() && !InterfaceResolver.isLoopback(nif))
            LOG.log(Level.WARNING, name + ": beacons to the multicast group leave " + nif.getName() + " from bindHost "
                + bindAddress.getHostAddress() + ", a source other hosts drop (expected: bindHost an address of "
                + nif.getName() + ", or 0.0.0.0)");
        return nif;
    }

    /** Where every announcement goes: the group (null when multicast is disabled) and the seeds' addresses. */
    private List<InetSocketAddress> targets(InetSocketAddress groupAddress) {
        List<InetSocketAddress> all = new ArrayList<>();
        if (groupAddress != null)
            all.add(groupAddress);
        for (String seed : cfg.seeds()) {
            try {
                all.addAll(SeedAddress.parse(seed).resolve());
            }
            catch (UnknownHostException e) {
                LOG.log(Level.WARNING, name + ": seed " + seed + " skipped: " + e.getMessage() + " (expected: a host "
                    + "that resolves to an IPv4 address)");
            }
        }
        return all;
    }

    private static InetAddress literal(String ipv4) {
        try {
            return InetAddress.getByName(ipv4);
        }
        catch (UnknownHostException e) {
            throw new IllegalStateException("multicastGroup: '" + ipv4 + "' (expected: an IPv4 literal)", e);
        }
    }

    private static ThreadFactory threadFactory(String threadName) {
        return r -> {
            Thread t = new FastThreadLocalThread(r, threadName);
            t.setDaemon(true);
            return t;
        };
    }

    /** Leaves the group, releases the sockets and stops the thread; waits at most a second or so. Idempotent. */
    @Override
    public void close() {
        EventLoopGroup g;
        synchronized (this) {
            state = State.CLOSED;
            g = group;
            group = null;
            protocol = null;
        }
        if (g == null)
            return;
        shutdown(g);
        peers.clear();
        LOG.log(Level.INFO, name + ": stopped");
    }

    private static void shutdown(EventLoopGroup g) {
        var terminated = g.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        if (!g.next().inEventLoop())
            terminated.awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /**
     * The address the unicast socket is bound to.
     *
     * @throws IllegalStateException before {@link #start()}
     */
    public InetSocketAddress unicastAddress() {
        InetSocketAddress a = unicastAddress;
        if (a == null)
            throw new IllegalStateException(name + ": not started");
        return a;
    }

    /** The peers heard and not lost, sorted by agent name; empty after {@link #close()}. */
    public List<Peer> peers() {
        return peers.peers();
    }

    /** The peer of node {@code nodeId}, if heard and not lost. */
    public Optional<Peer> peer(UUID nodeId) {
        return peers.peer(nodeId);
    }

    /** Round-trip times by peer node id, for each peer with at least one sample or lost ping. */
    public Map<UUID, PeerLatency> latencies() {
        return peers.latencies();
    }

    /** The counters now. */
    public NetworkStats stats() {
        return counters.snapshot();
    }

    /**
     * Sends an announcement now (to the group, the seeds and peers heard by unicast), e.g. after the fabrics changed.
     * Thread-safe; returns at once. Does nothing before {@link #start()} or after {@link #close()}.
     */
    public void announceNow() {
        EventLoopGroup g = group;
        PeerProtocol p = protocol;
        if (g == null || p == null)
            return;
        try {
            g.next().execute(p::announce);
        }
        catch (RejectedExecutionException e) {
            // Closing.
        }
    }

    /** Adds a listener; it hears of peers heard or lost from now on. */
    public void addListener(PeerListener listener) {
        listeners.add(Checks.notNull(listener, "listener"));
    }

    /** The configuration this network runs with. */
    public NetworkConfiguration configuration() {
        return cfg;
    }

    @Override
    public String toString() {
        InetSocketAddress a = unicastAddress;
        return "AgentNetwork [" + name + ", unicast=" + (a == null ? "unbound" : a.getAddress().getHostAddress() + ':'
            + a.getPort()) + ", peers=" + peers.entries().size() + ']';
    }
}
