package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Everything one {@link DataPathServer} or {@link DataPathClient} needs: the user's {@link FabricDataPathConfiguration}
 * as it is, whose {@code validate()} checks every setting, and the run-time values the node adds (bind host, agent
 * name, its staging folder, TLS material, the cluster's key, the fabrics it answers for, clocks, and the limits no
 * setting exposes). Built with {@link #builder()} (over a new bean with the defaults) or
 * {@link #builder(FabricDataPathConfiguration)}; its accessors of settings read the bean, so change the bean before the
 * server starts, not after. The bind host is resolved and the staging directory created when the server starts.
 * <p>
 * A server stages or serves nothing without a valid {@link TransferToken}: it needs the cluster's
 * {@link Builder#transferKey key} and {@link Builder#hostsFabric the fabrics it answers for}; there is no setting that
 * turns the check off. Its other limits: {@link #stagingCapacityBytes()}, {@link #maxConnections()},
 * {@link #maxConnectionsPerPeer()}, {@link #openTimeout()} and {@link #minReceiveRate()}.
 */
public final class DataPathConfiguration {
    /** Default address the server listens on. */
    public static final String DFLT_BIND_HOST = "127.0.0.1";

    /** Default largest frame accepted, header included, in bytes: 1 MiB + the header. */
    public static final int DFLT_MAX_FRAME_BYTES = (1 << 20) + FrameDecoder.HEADER_BYTES;

    /** Largest value of {@code maxFrameBytes}: 16 MiB + the header. */
    public static final int MAX_MAX_FRAME_BYTES = (16 << 20) + FrameDecoder.HEADER_BYTES;

    /** Default largest upload, in bytes: 64 GiB. */
    public static final long DFLT_MAX_TRANSFER_BYTES = 64L << 30;

    /** Default time a committed upload or a staged output waits to be taken before it is deleted. */
    public static final Duration DFLT_STAGED_TTL = Duration.ofMinutes(10);

    /** Default agent name, in thread names and messages. */
    public static final String DFLT_AGENT_NAME = "agent";

    private final FabricDataPathConfiguration settings;
    private final String bindHost;
    private final int port;
    private final int portRange;
    private final boolean listenPortsSet;
    private final int maxFrameBytes;
    private final Path stagingDirectory;
    private final long maxTransferBytes;
    private final Duration stagedTtl;
    private final TlsMaterial tls;
    private final String agentName;
    private final LongSupplier nanoTime;
    private final Supplier<TransferKey> transferKey;
    private final Predicate<UUID> hostsFabric;
    private final LongSupplier wallClock;
    private final boolean nativeTransport;

    private DataPathConfiguration(Builder b) {
        settings = b.settings;
        settings.validate();
        bindHost = Checks.notBlank(b.bindHost, "bindHost", 253);
        listenPortsSet = b.listenPort >= 0;
        if (!listenPortsSet) {
            port = settings.getPort();
            portRange = port == 0 ? 1 : settings.getPortRange();
        }
        else {
            port = (int)Checks.inRange(b.listenPort, 0, 65535, "listen port");
            portRange = (int)Checks.inRange(b.listenPortRange, 1, port == 0 ? 1 : 65536 - port, "listen port range");
        }
        maxFrameBytes = checkMaxFrameBytes(b.maxFrameBytes, settings.getChunkBytes());
        stagingDirectory = Checks.notNull(b.stagingDirectory, "stagingDirectory").toAbsolutePath().normalize();
        maxTransferBytes = Checks.inRange(b.maxTransferBytes, 0, Long.MAX_VALUE, "maxTransferBytes");
        stagedTtl = checkDuration(b.stagedTtl, Duration.ofSeconds(1), Duration.ofDays(30), "stagedTtl");
        tls = b.tls;
        agentName = Checks.notBlank(b.agentName, "agentName", 256); // the node's consistent id, e.g. 127.0.0.1:47500
        nanoTime = Checks.notNull(b.nanoTime, "nanoTime");
        transferKey = Checks.notNull(b.transferKey, "transferKey");
        hostsFabric = Checks.notNull(b.hostsFabric, "hostsFabric");
        wallClock = Checks.notNull(b.wallClock, "wallClock");
        nativeTransport = b.nativeTransport;
    }

    private static int checkMaxFrameBytes(int max, int chunkBytes) {
        int min = chunkBytes + FrameDecoder.HEADER_BYTES;
        if (max < min || max > MAX_MAX_FRAME_BYTES)
            throw new IllegalArgumentException("maxFrameBytes: " + max + " (expected: " + min + ".."
                + MAX_MAX_FRAME_BYTES + ", at least dataPath.chunkBytes " + chunkBytes + " + the "
                + FrameDecoder.HEADER_BYTES + "-byte header)");
        return max;
    }

    private static Duration checkDuration(Duration d, Duration min, Duration max, String name) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0)
            throw new IllegalArgumentException(name + ": " + Units.duration(d) + " (expected: " + Units.duration(min)
                + ".." + Units.duration(max) + ")");
        return d;
    }

    /**
     * Starts a builder over a new {@link FabricDataPathConfiguration} holding the defaults, but for {@code port} 0 (an
     * ephemeral port) and {@code portRange} 1.
     */
    public static Builder builder() {
        return new Builder(new FabricDataPathConfiguration().setPort(0).setPortRange(1));
    }

    /** Starts a builder over {@code settings}: its setting methods write into that bean. */
    public static Builder builder(FabricDataPathConfiguration settings) {
        return new Builder(Checks.notNull(settings, "dataPath"));
    }

    /**
     * A builder over the same settings bean (its setting methods write into it) holding this configuration's run-time
     * values: for a server that differs in a run-time value only (its TLS material, its ports, the fabrics it answers
     * for).
     */
    public Builder toBuilder() {
        Builder b = new Builder(settings).bindHost(bindHost).maxFrameBytes(maxFrameBytes)
            .stagingDirectory(stagingDirectory).maxTransferBytes(maxTransferBytes).stagedTtl(stagedTtl).tls(tls)
            .agentName(agentName).nanoTime(nanoTime).transferKey(transferKey).hostsFabric(hostsFabric)
            .wallClock(wallClock).nativeTransport(nativeTransport);
        return listenPortsSet ? b.listenPorts(port, portRange) : b;
    }

    /** The user's data-path settings, as given: every accessor of a setting reads them. */
    public FabricDataPathConfiguration settings() {
        return settings;
    }

    /** IPv4 address or host name the server listens on; {@code 0.0.0.0} for all addresses. */
    public String bindHost() {
        return bindHost;
    }

    /** First TCP port the server tries ({@code dataPath.port}, unless the builder set the listen ports); 0: any. */
    public int port() {
        return port;
    }

    /** How many ports from {@link #port()} on the server tries; the first free one is taken. */
    public int portRange() {
        return portRange;
    }

    /**
     * Payload of a DATA frame this node sends ({@code dataPath.chunkBytes}), in bytes; must fit the peers'
     * {@link #maxFrameBytes()} (one configuration for the cluster keeps it so).
     */
    public int chunkBytes() {
        return settings.getChunkBytes();
    }

    /** Largest frame accepted, header included, in bytes; a longer one fails the transfer. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * A peer that makes no progress for this long during a transfer ({@code dataPath.readTimeoutMs}), neither sending
     * bytes nor taking the ones sent to it, is dropped. Also the connect timeout of the client.
     */
    public Duration readTimeout() {
        return Duration.ofMillis(settings.getReadTimeoutMs());
    }

    /** Where the server writes uploads as they arrive; several servers on one host may share it. */
    public Path stagingDirectory() {
        return stagingDirectory;
    }

    /** Largest upload, in bytes; one declaring or sending more is refused. */
    public long maxTransferBytes() {
        return maxTransferBytes;
    }

    /** Committed uploads and staged outputs not taken within this time are deleted. */
    public Duration stagedTtl() {
        return stagedTtl;
    }

    /**
     * How long the file of a consumed upload is kept for the next upload to overwrite
     * ({@code dataPath.spareFileTtlMs}); zero: deleted when consumed.
     */
    public Duration spareFileTtl() {
        return Duration.ofMillis(settings.getSpareFileTtlMs());
    }

    /** Certificates for TLS (server and client side); null when this node speaks DIRECT (plain TCP) only. */
    public TlsMaterial tls() {
        return tls;
    }

    /** This agent's name (its node's consistent id, up to 256 characters), in thread names and messages. */
    public String agentName() {
        return agentName;
    }

    /** Monotonic nanoseconds, as {@link System#nanoTime()}: the age of staged data and transfer durations. */
    public LongSupplier nanoTime() {
        return nanoTime;
    }

    /**
     * Most bytes of uploads staged at once ({@code dataPath.stagingCapacityBytes}: declared, in progress or committed
     * and not yet taken); an OPEN that would pass it is refused as {@link DataPathException.Failure#BUSY BUSY}. 0: half
     * the free space of the staging file system, measured when the server's {@link DataPathBudget} is made.
     */
    public long stagingCapacityBytes() {
        return settings.getStagingCapacityBytes();
    }

    /** Most connections open at once ({@code dataPath.maxConnections}); a server at it closes new ones at once. */
    public int maxConnections() {
        return settings.getMaxConnections();
    }

    /** Most connections open at once from one peer address ({@code dataPath.maxConnectionsPerPeer}). */
    public int maxConnectionsPerPeer() {
        return settings.getMaxConnectionsPerPeer();
    }

    /**
     * Time a new connection has to deliver its OPEN ({@code dataPath.openTimeoutMs}), the TLS handshake included;
     * capped by {@link #readTimeout()}. One that has not is dropped as {@link DataPathException.Failure#TIMEOUT
     * TIMEOUT}.
     */
    public Duration openTimeout() {
        return Duration.ofMillis(settings.getOpenTimeoutMs());
    }

    /**
     * Least rate, in bytes per second ({@code dataPath.minRateBytesPerSecond}), at which an upload's bytes must arrive
     * once it is open, averaged over {@link #minRateWindow()}; a slower one is dropped as
     * {@link DataPathException.Failure#TIMEOUT TIMEOUT}. 0: no least rate (the idle {@link #readTimeout()} still
     * applies).
     */
    public long minReceiveRate() {
        return settings.getMinRateBytesPerSecond();
    }

    /**
     * Time over which {@link #minReceiveRate()} is averaged ({@code dataPath.minRateWindowMs}); capped by
     * {@link #readTimeout()}.
     */
    public Duration minRateWindow() {
        return Duration.ofMillis(settings.getMinRateWindowMs());
    }

    /**
     * The cluster's key, which every {@link TransferToken} must be signed with; null while unknown (a node that has
     * not joined its cluster yet), when the server refuses every transfer.
     */
    public Supplier<TransferKey> transferKey() {
        return transferKey;
    }

    /** Whether this server answers for a fabric: a token for any other is refused. */
    public Predicate<UUID> hostsFabric() {
        return hostsFabric;
    }

    /** Wall-clock milliseconds since the epoch, as {@link System#currentTimeMillis()}: the tokens' expiry. */
    public LongSupplier wallClock() {
        return wallClock;
    }

    /**
     * Whether the server and client use Netty's native epoll transport where it loads (Linux x86-64); NIO otherwise,
     * and always when false. Both speak the same bytes.
     */
    public boolean nativeTransport() {
        return nativeTransport;
    }

    @Override
    public String toString() {
        return "DataPathConfiguration [agentName=" + agentName + ", bind=" + bindHost + ':' + port
            + (portRange > 1 ? ".." + (port + portRange - 1) : "") + ", tls=" + (tls == null ? "off (DIRECT only)"
            : tls) + ", chunkBytes=" + Units.bytes(chunkBytes()) + ", maxFrameBytes=" + maxFrameBytes
            + ", readTimeout=" + Units.duration(readTimeout()) + ", stagingDirectory=" + stagingDirectory
            + ", maxTransferBytes=" + Units.bytes(maxTransferBytes) + ", stagedTtl=" + Units.duration(stagedTtl)
            + ", spareFileTtl=" + Units.duration(spareFileTtl())
            + ", stagingCapacityBytes=" + (stagingCapacityBytes() == 0 ? "half the free space" : Units.bytes(
            stagingCapacityBytes())) + ", maxConnections=" + maxConnections() + ", maxConnectionsPerPeer="
            + maxConnectionsPerPeer() + ", openTimeout=" + Units.duration(openTimeout()) + ", minReceiveRate="
            + (minReceiveRate() == 0 ? "off" : Units.bytes(minReceiveRate()) + "/s over "
            + Units.duration(minRateWindow())) + ", nativeTransport=" + nativeTransport + ']';
    }

    /**
     * Collects a configuration: its setting methods write into the {@link FabricDataPathConfiguration} it was started
     * over (whose {@code validate()} checks them in {@link #build()}); the others set run-time values.
     */
    public static final class Builder {
        private final FabricDataPathConfiguration settings;
        private String bindHost = DFLT_BIND_HOST;
        private int listenPort = -1;
        private int listenPortRange;
        private int maxFrameBytes = DFLT_MAX_FRAME_BYTES;
        private Path stagingDirectory = Path.of(System.getProperty("java.io.tmpdir"), "fabric-stitch-staging");
        private long maxTransferBytes = DFLT_MAX_TRANSFER_BYTES;
        private Duration stagedTtl = DFLT_STAGED_TTL;
        private TlsMaterial tls;
        private String agentName = DFLT_AGENT_NAME;
        private LongSupplier nanoTime = System::nanoTime;
        private Supplier<TransferKey> transferKey = () -> null;
        private Predicate<UUID> hostsFabric = id -> false;
        private LongSupplier wallClock = System::currentTimeMillis;
        private boolean nativeTransport = true;

        private Builder(FabricDataPathConfiguration settings) {
            this.settings = settings;
        }

        /** Address the server listens on; default {@value #DFLT_BIND_HOST}. */
        public Builder bindHost(String bindHost) {
            this.bindHost = bindHost;
            return this;
        }

        /** First TCP port tried ({@code dataPath.port}). */
        public Builder port(int port) {
            settings.setPort(port);
            return this;
        }

        /** Number of ports tried ({@code dataPath.portRange}). */
        public Builder portRange(int portRange) {
            settings.setPortRange(portRange);
            return this;
        }

        /**
         * The ports this server tries, in place of {@code dataPath.port} and its range: a second server of the same
         * settings (the agent's TLS server takes the ports after the one its DIRECT server bound).
         */
        public Builder listenPorts(int port, int range) {
            listenPort = port;
            listenPortRange = range;
            return this;
        }

        /** Payload of a DATA frame ({@code dataPath.chunkBytes}). */
        public Builder chunkBytes(int chunkBytes) {
            settings.setChunkBytes(chunkBytes);
            return this;
        }

        /** Largest frame accepted, at least chunkBytes + the header; default 1 MiB + the header. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** Longest time without progress during a transfer ({@code dataPath.readTimeoutMs}), whole ms. */
        public Builder readTimeout(Duration readTimeout) {
            settings.setReadTimeoutMs(readTimeout.toMillis());
            return this;
        }

        /**
         * Directory of this server's uploads in progress and committed; default
         * {@code <java.io.tmpdir>/fabric-stitch-staging}. A node's is {@code dataPath.stagingDirectory}/its name.
         */
        public Builder stagingDirectory(Path stagingDirectory) {
            this.stagingDirectory = stagingDirectory;
            return this;
        }

        /** Largest upload in bytes, 0 or more; default 64 GiB. */
        public Builder maxTransferBytes(long maxTransferBytes) {
            this.maxTransferBytes = maxTransferBytes;
            return this;
        }

        /** Lifetime of staged data not taken, 1 s..30 days; default 10 min. */
        public Builder stagedTtl(Duration stagedTtl) {
            this.stagedTtl = stagedTtl;
            return this;
        }

        /** TLS certificates; default null (DIRECT only). */
        public Builder tls(TlsMaterial tls) {
            this.tls = tls;
            return this;
        }

        /** This agent's name; default {@value #DFLT_AGENT_NAME}. */
        public Builder agentName(String agentName) {
            this.agentName = agentName;
            return this;
        }

        /** Monotonic time source in nanoseconds; default {@link System#nanoTime()}. Tests inject a fake. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            return this;
        }

        /** Most bytes of uploads staged at once ({@code dataPath.stagingCapacityBytes}). */
        public Builder stagingCapacityBytes(long stagingCapacityBytes) {
            settings.setStagingCapacityBytes(stagingCapacityBytes);
            return this;
        }

        /** Most connections open at once ({@code dataPath.maxConnections}). */
        public Builder maxConnections(int maxConnections) {
            settings.setMaxConnections(maxConnections);
            return this;
        }

        /** Most connections from one address ({@code dataPath.maxConnectionsPerPeer}). */
        public Builder maxConnectionsPerPeer(int maxConnectionsPerPeer) {
            settings.setMaxConnectionsPerPeer(maxConnectionsPerPeer);
            return this;
        }

        /** Time a new connection has to send its OPEN ({@code dataPath.openTimeoutMs}), whole ms. */
        public Builder openTimeout(Duration openTimeout) {
            settings.setOpenTimeoutMs(openTimeout.toMillis());
            return this;
        }

        /** Least rate of an upload's bytes, bytes per second ({@code dataPath.minRateBytesPerSecond}). */
        public Builder minReceiveRate(long bytesPerSecond) {
            settings.setMinRateBytesPerSecond(bytesPerSecond);
            return this;
        }

        /** How long a consumed upload's file is kept for the next upload ({@code dataPath.spareFileTtlMs}), in ms. */
        public Builder spareFileTtl(Duration spareFileTtl) {
            settings.setSpareFileTtlMs(spareFileTtl.toMillis());
            return this;
        }

        /** Time the least rate is averaged over ({@code dataPath.minRateWindowMs}), whole ms. */
        public Builder minRateWindow(Duration minRateWindow) {
            settings.setMinRateWindowMs(minRateWindow.toMillis());
            return this;
        }

        /**
         * Where the server finds the cluster's key, which may become known after the server started (returns null
         * until then); default none: every transfer is refused.
         */
        public Builder transferKey(Supplier<TransferKey> transferKey) {
            this.transferKey = transferKey;
            return this;
        }

        /** The cluster's key, known now. */
        public Builder transferKey(TransferKey transferKey) {
            Checks.notNull(transferKey, "transferKey");
            return transferKey(() -> transferKey);
        }

        /** The fabrics whose tokens the server accepts; default none. An agent sets its own fabrics. */
        public Builder hostsFabric(Predicate<UUID> hostsFabric) {
            this.hostsFabric = hostsFabric;
            return this;
        }

        /** Wall-clock time in milliseconds since the epoch; default {@link System#currentTimeMillis()}. */
        public Builder wallClock(LongSupplier wallClock) {
            this.wallClock = wallClock;
            return this;
        }

        /** Whether to use the native epoll transport where it loads; default true (false: always NIO). */
        public Builder nativeTransport(boolean nativeTransport) {
            this.nativeTransport = nativeTransport;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting by its path ({@code dataPath.chunkBytes}),
         *     or the first invalid run-time value, what was found and what is accepted
         */
        public DataPathConfiguration build() {
            return new DataPathConfiguration(this);
        }
    }
}
