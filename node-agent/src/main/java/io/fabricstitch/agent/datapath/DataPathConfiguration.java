package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * Everything one {@link DataPathServer} or {@link DataPathClient} needs; immutable, built with {@link #builder()}.
 * {@link Builder#build()} checks every value; the bind host is resolved and the staging directory created when the
 * server starts.
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
        agentName = Checks.name(b.agentName, "agentName");
        nanoTime = Checks.notNull(b.nanoTime, "nanoTime");
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
            .nanoTime(nanoTime);
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

    /** This agent's name, in thread names and messages. */
    public String agentName() {
        return agentName;
    }

    /** Monotonic nanoseconds, as {@link System#nanoTime()}: the age of staged data and transfer durations. */
    public LongSupplier nanoTime() {
        return nanoTime;
    }

    @Override
    public String toString() {
        return "DataPathConfiguration [agentName=" + agentName + ", bind=" + bindHost + ':' + port
            + (portRange > 1 ? ".." + (port + portRange - 1) : "") + ", tls=" + (tls == null ? "off (DIRECT only)"
            : tls) + ", chunkBytes=" + Units.bytes(chunkBytes) + ", maxFrameBytes=" + maxFrameBytes
            + ", readTimeout=" + Units.duration(readTimeout) + ", stagingDirectory=" + stagingDirectory
            + ", maxTransferBytes=" + Units.bytes(maxTransferBytes) + ", stagedTtl=" + Units.duration(stagedTtl) + ']';
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

        /**
         * @throws IllegalArgumentException naming the first invalid property, what was found and what is accepted
         */
        public DataPathConfiguration build() {
            return new DataPathConfiguration(this);
        }
    }
}
