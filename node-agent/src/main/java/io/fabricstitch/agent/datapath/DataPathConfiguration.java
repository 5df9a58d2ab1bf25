package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Everything one {@link DataPathServer} or {@link DataPathClient} needs; immutable, built with {@link #builder()}.
 * {@link Builder#build()} checks every value; the bind host is resolved and the staging directory created when the
 * server starts.
 * <p>
 * A server stages or serves nothing without a valid {@link TransferToken}: it needs the cluster's
 * {@link Builder#transferKey key} and {@link Builder#hostsFabric the fabrics it answers for}; there is no setting that
 * turns the check off. Its other limits: {@link #stagingCapacityBytes()}, {@link #maxConnections()},
 * {@link #maxConnectionsPerPeer()}, {@link #openTimeout()} and {@link #minReceiveRate()}.
 */
public final class DataPathConfiguration {
    /** Default address the server listens on. */
    public static final String DFLT_BIND_HOST = "127.0.0.1";

    /** Default payload of a DATA frame, in bytes: 64 KiB. */
    public static final int DFLT_CHUNK_BYTES = 64 << 10;

    /** Smallest payload of a DATA frame, in bytes: 1 KiB. */
    public static final int MIN_CHUNK_BYTES = 1 << 10;

    /** Largest payload of a DATA frame, in bytes: 1 MiB. */
    public static final int MAX_CHUNK_BYTES = 1 << 20;

    /** Default largest frame accepted, header included, in bytes: 1 MiB + the header. */
    public static final int DFLT_MAX_FRAME_BYTES = (1 << 20) + FrameDecoder.HEADER_BYTES;

    /** Largest value of {@code maxFrameBytes}: 16 MiB + the header. */
    public static final int MAX_MAX_FRAME_BYTES = (16 << 20) + FrameDecoder.HEADER_BYTES;

    /** Default time a peer may make no progress during a transfer. */
    public static final Duration DFLT_READ_TIMEOUT = Duration.ofSeconds(10);

    /** Default largest upload, in bytes: 64 GiB. */
    public static final long DFLT_MAX_TRANSFER_BYTES = 64L << 30;

    /** Default time a committed upload or a staged output waits to be taken before it is deleted. */
    public static final Duration DFLT_STAGED_TTL = Duration.ofMinutes(10);

    /** Default staging capacity: 0, half the free space of the staging file system when the server starts. */
    public static final long DFLT_STAGING_CAPACITY_BYTES = 0;

    /** Default most connections a server (or the servers of one agent) holds open at once. */
    public static final int DFLT_MAX_CONNECTIONS = 512;

    /** Default most connections open at once from one peer address. */
    public static final int DFLT_MAX_CONNECTIONS_PER_PEER = 64;

    /** Default time a new connection has to send its OPEN (after the TLS handshake, when TLS). */
    public static final Duration DFLT_OPEN_TIMEOUT = Duration.ofSeconds(5);

    /** Default least rate at which an upload's bytes must arrive, in bytes per second: 64 KiB/s. */
    public static final long DFLT_MIN_RECEIVE_RATE = 64 << 10;

    /** Default time over which an upload's rate is averaged. */
    public static final Duration DFLT_MIN_RATE_WINDOW = Duration.ofSeconds(5);

    /** Default agent name, in thread names and messages. */
    public static final String DFLT_AGENT_NAME = "agent";

    private final String bindHost;
    private final int port;
    private final int portRange;
    private final int chunkBytes;
    private final int maxFrameBytes;
    private final Duration readTimeout;
    private final Path stagingDirectory;
    private final long maxTransferBytes;
    private final Duration stagedTtl;
    private final TlsMaterial tls;
    private final String agentName;
    private final LongSupplier nanoTime;
    private final long stagingCapacityBytes;
    private final int maxConnections;
    private final int maxConnectionsPerPeer;
    private final Duration openTimeout;
    private final long minReceiveRate;
    private final Duration minRateWindow;
    private final Supplier<TransferKey> transferKey;
    private final Predicate<UUID> hostsFabric;
    private final LongSupplier wallClock;
    private final boolean nativeTransport;

    private DataPathConfiguration(Builder b) {
        bindHost = Checks.notBlank(b.bindHost, "bindHost", 253);
        port = (int)Checks.inRange(b.port, 0, 65535, "port");
        portRange = checkPortRange(port, b.portRange);
        chunkBytes = (int)Checks.inRange(b.chunkBytes, MIN_CHUNK_BYTES, MAX_CHUNK_BYTES, "chunkBytes");
        maxFrameBytes = checkMaxFrameBytes(b.maxFrameBytes, chunkBytes);
        readTimeout = checkDuration(b.readTimeout, Duration.ofMillis(10), Duration.ofHours(1), "readTimeout");
        stagingDirectory = Checks.notNull(b.stagingDirectory, "stagingDirectory").toAbsolutePath().normalize();
        maxTransferBytes = Checks.inRange(b.maxTransferBytes, 0, Long.MAX_VALUE, "maxTransferBytes");
        stagedTtl = checkDuration(b.stagedTtl, Duration.ofSeconds(1), Duration.ofDays(30), "stagedTtl");
        tls = b.tls;
        agentName = Checks.notBlank(b.agentName, "agentName", 256); // the node's consistent id, e.g. 127.0.0.1:47500
        nanoTime = Checks.notNull(b.nanoTime, "nanoTime");
        stagingCapacityBytes = Checks.inRange(b.stagingCapacityBytes, 0, Long.MAX_VALUE, "stagingCapacityBytes");
        maxConnections = (int)Checks.inRange(b.maxConnections, 1, 1 << 20, "maxConnections");
        maxConnectionsPerPeer = b.maxConnectionsPerPeer;
        if (maxConnectionsPerPeer < 1 || maxConnectionsPerPeer > maxConnections)
            throw new IllegalArgumentException("maxConnectionsPerPeer: " + maxConnectionsPerPeer + " (expected: 1.."
                + maxConnections + ", at most maxConnections)");
        openTimeout = checkDuration(b.openTimeout, Duration.ofMillis(10), Duration.ofHours(1), "openTimeout");
        minReceiveRate = Checks.inRange(b.minReceiveRate, 0, Long.MAX_VALUE, "minReceiveRate");
        minRateWindow = checkDuration(b.minRateWindow, Duration.ofMillis(10), Duration.ofHours(1), "minRateWindow");
        transferKey = Checks.notNull(b.transferKey, "transferKey");
        hostsFabric = Checks.notNull(b.hostsFabric, "hostsFabric");
        wallClock = Checks.notNull(b.wallClock, "wallClock");
        nativeTransport = b.nativeTransport;
    }

    private static int checkPortRange(int port, int range) {
        int max = port == 0 ? 1 : 65536 - port;
        if (range < 1 || range > max)
            throw new IllegalArgumentException("portRange: " + range + " (expected: 1.." + max
                + (port == 0 ? ", as port 0 takes one ephemeral port)" : " with port " + port + ")"));
        return range;
    }

    private static int checkMaxFrameBytes(int max, int chunkBytes) {
        int min = chunkBytes + FrameDecoder.HEADER_BYTES;
        if (max < min || max > MAX_MAX_FRAME_BYTES)
            throw new IllegalArgumentException("maxFrameBytes: " + max + " (expected: " + min + ".."
                + MAX_MAX_FRAME_BYTES + ", at least chunkBytes " + chunkBytes + " + the " + FrameDecoder.HEADER_BYTES
                + "-byte header)");
        return max;
    }

    private static Duration checkDuration(Duration d, Duration min, Duration max, String name) {
        if (d == null || d.compareTo(min) < 0 || d.compareTo(max) > 0)
            throw new IllegalArgumentException(name + ": " + Units.duration(d) + " (expected: " + Units.duration(min)
                + ".." + Units.duration(max) + ")");
        return d;
    }

    /** Starts a builder holding the defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this configuration's values. */
    public Builder toBuilder() {
        return new Builder().bindHost(bindHost).port(port).portRange(portRange).chunkBytes(chunkBytes)
            .maxFrameBytes(maxFrameBytes).readTimeout(readTimeout).stagingDirectory(stagingDirectory)
            .maxTransferBytes(maxTransferBytes).stagedTtl(stagedTtl).tls(tls).agentName(agentName)
            .nanoTime(nanoTime).stagingCapacityBytes(stagingCapacityBytes).maxConnections(maxConnections)
            .maxConnectionsPerPeer(maxConnectionsPerPeer).openTimeout(openTimeout).minReceiveRate(minReceiveRate)
            .minRateWindow(minRateWindow).transferKey(transferKey).hostsFabric(hostsFabric).wallClock(wallClock)
            .nativeTransport(nativeTransport);
    }

    /** IPv4 address or host name the server listens on; {@code 0.0.0.0} for all addresses. */
    public String bindHost() {
        return bindHost;
    }

    /** First TCP port the server tries; 0 for an ephemeral one. */
    public int port() {
        return port;
    }

    /** How many ports from {@link #port()} on the server tries; the first free one is taken. */
    public int portRange() {
        return portRange;
    }

    /**
     * Payload of a DATA frame this node sends, in bytes; must fit the peers' {@link #maxFrameBytes()} (one
     * configuration for the cluster keeps it so).
     */
    public int chunkBytes() {
        return chunkBytes;
    }

    /** Largest frame accepted, header included, in bytes; a longer one fails the transfer. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * A peer that makes no progress for this long during a transfer, neither sending bytes nor taking the ones sent
     * to it, is dropped. Also the connect timeout of the client.
     */
    public Duration readTimeout() {
        return readTimeout;
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
     * Most bytes of uploads staged at once (declared, in progress or committed and not yet taken); an OPEN that would
     * pass it is refused as {@link DataPathException.Failure#BUSY BUSY}. 0: half the free space of the staging file
     * system, measured when the server's {@link DataPathBudget} is made.
     */
    public long stagingCapacityBytes() {
        return stagingCapacityBytes;
    }

    /** Most connections open at once; a server at it closes new ones at once. */
    public int maxConnections() {
        return maxConnections;
    }

    /** Most connections open at once from one peer address; a server closes more at once. */
    public int maxConnectionsPerPeer() {
        return maxConnectionsPerPeer;
    }

    /**
     * Time a new connection has to deliver its OPEN, the TLS handshake included; capped by {@link #readTimeout()}.
     * One that has not is dropped as {@link DataPathException.Failure#TIMEOUT TIMEOUT}.
     */
    public Duration openTimeout() {
        return openTimeout;
    }

    /**
     * Least rate, in bytes per second, at which an upload's bytes must arrive once it is open, averaged over
     * {@link #minRateWindow()}; a slower one is dropped as {@link DataPathException.Failure#TIMEOUT TIMEOUT}. 0: no
     * least rate (the idle {@link #readTimeout()} still applies).
     */
    public long minReceiveRate() {
        return minReceiveRate;
    }

    /** Time over which {@link #minReceiveRate()} is averaged; capped by {@link #readTimeout()}. */
    public Duration minRateWindow() {
        return minRateWindow;
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
            : tls) + ", chunkBytes=" + Units.bytes(chunkBytes) + ", maxFrameBytes=" + maxFrameBytes
            + ", readTimeout=" + Units.duration(readTimeout) + ", stagingDirectory=" + stagingDirectory
            + ", maxTransferBytes=" + Units.bytes(maxTransferBytes) + ", stagedTtl=" + Units.duration(stagedTtl)
            + ", stagingCapacityBytes=" + (stagingCapacityBytes == 0 ? "half the free space" : Units.bytes(
            stagingCapacityBytes)) + ", maxConnections=" + maxConnections + ", maxConnectionsPerPeer="
            + maxConnectionsPerPeer + ", openTimeout=" + Units.duration(openTimeout) + ", minReceiveRate="
            + (minReceiveRate == 0 ? "off" : Units.bytes(minReceiveRate) + "/s over " + Units.duration(minRateWindow))
            + ", nativeTransport=" + nativeTransport + ']';
    }

    /** Collects the configuration; {@link #build()} checks every value. */
    public static final class Builder {
        private String bindHost = DFLT_BIND_HOST;
        private int port;
        private int portRange = 1;
        private int chunkBytes = DFLT_CHUNK_BYTES;
        private int maxFrameBytes = DFLT_MAX_FRAME_BYTES;
        private Duration readTimeout = DFLT_READ_TIMEOUT;
        private Path stagingDirectory = Path.of(System.getProperty("java.io.tmpdir"), "fabric-stitch-staging");
        private long maxTransferBytes = DFLT_MAX_TRANSFER_BYTES;
        private Duration stagedTtl = DFLT_STAGED_TTL;
        private TlsMaterial tls;
        private String agentName = DFLT_AGENT_NAME;
        private LongSupplier nanoTime = System::nanoTime;
        private long stagingCapacityBytes = DFLT_STAGING_CAPACITY_BYTES;
        private int maxConnections = DFLT_MAX_CONNECTIONS;
        private int maxConnectionsPerPeer = DFLT_MAX_CONNECTIONS_PER_PEER;
        private Duration openTimeout = DFLT_OPEN_TIMEOUT;
        private long minReceiveRate = DFLT_MIN_RECEIVE_RATE;
        private Duration minRateWindow = DFLT_MIN_RATE_WINDOW;
        private Supplier<TransferKey> transferKey = () -> null;
        private Predicate<UUID> hostsFabric = id -> false;
        private LongSupplier wallClock = System::currentTimeMillis;
        private boolean nativeTransport = true;

        private Builder() {
        }

        /** Address the server listens on; default {@value #DFLT_BIND_HOST}. */
        public Builder bindHost(String bindHost) {
            this.bindHost = bindHost;
            return this;
        }

        /** First TCP port tried, 0..65535; default 0 (ephemeral). */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        /** Number of ports tried; default 1. */
        public Builder portRange(int portRange) {
            this.portRange = portRange;
            return this;
        }

        /** Payload of a DATA frame, 1 KiB..1 MiB; default 64 KiB. */
        public Builder chunkBytes(int chunkBytes) {
            this.chunkBytes = chunkBytes;
            return this;
        }

        /** Largest frame accepted, at least chunkBytes + the header; default 1 MiB + the header. */
        public Builder maxFrameBytes(int maxFrameBytes) {
            this.maxFrameBytes = maxFrameBytes;
            return this;
        }

        /** Longest time without progress during a transfer, 10 ms..1 h; default 10 s. */
        public Builder readTimeout(Duration readTimeout) {
            this.readTimeout = readTimeout;
            return this;
        }

        /** Directory of uploads in progress and committed; default {@code <java.io.tmpdir>/fabric-stitch-staging}. */
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

        /** Most bytes of uploads staged at once, 0 or more; default 0: half the staging file system's free space. */
        public Builder stagingCapacityBytes(long stagingCapacityBytes) {
            this.stagingCapacityBytes = stagingCapacityBytes;
            return this;
        }

        /** Most connections open at once, 1..1048576; default {@value #DFLT_MAX_CONNECTIONS}. */
        public Builder maxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
            return this;
        }

        /** Most connections from one address, 1..maxConnections; default {@value #DFLT_MAX_CONNECTIONS_PER_PEER}. */
        public Builder maxConnectionsPerPeer(int maxConnectionsPerPeer) {
            this.maxConnectionsPerPeer = maxConnectionsPerPeer;
            return this;
        }

        /** Time a new connection has to send its OPEN, 10 ms..1 h; default 5 s. */
        public Builder openTimeout(Duration openTimeout) {
            this.openTimeout = openTimeout;
            return this;
        }

        /** Least rate of an upload's bytes, bytes per second, 0 (none) or more; default 64 KiB/s. */
        public Builder minReceiveRate(long bytesPerSecond) {
            this.minReceiveRate = bytesPerSecond;
            return this;
        }

        /** Time the least rate is averaged over, 10 ms..1 h; default 5 s. */
        public Builder minRateWindow(Duration minRateWindow) {
            this.minRateWindow = minRateWindow;
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
         * @throws IllegalArgumentException naming the first invalid property, what was found and what is accepted
         */
        public DataPathConfiguration build() {
            return new DataPathConfiguration(this);
        }
    }
}
