package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import java.util.ArrayList;
import java.util.List;

/**
 * The data-path part of the plugin's configuration tree (property {@code dataPath} of
 * {@code io.fabricstitch.ignite.FabricPluginConfiguration}): the servers that move large inputs and outputs between
 * nodes, their TLS material, frame size, timeouts, staging area and limits, and the RDMA transports. Chaining setters
 * in Ignite's style; {@link #validate()} checks every value, naming a refused one by its path
 * ({@code dataPath.chunkBytes}).
 * {@link DataPathConfiguration} holds this bean as it is and reads its settings from it.
 */
public class FabricDataPathConfiguration {
    /** Property path of these settings in the plugin's configuration tree, in validation messages. */
    static final String PATH = "dataPath.";

    /** Default first TCP port of the agent's data-path server. */
    public static final int DFLT_PORT = 47420;

    /** Default number of ports tried from {@link #DFLT_PORT} on. */
    public static final int DFLT_PORT_RANGE = 10;

    /** Default size from which a task's input travels over the data path instead of inside the Ignite job, bytes. */
    public static final long DFLT_THRESHOLD_BYTES = 1L << 20;

    /** Default payload of one data-path frame, bytes. */
    public static final int DFLT_CHUNK_BYTES = 256 * 1024;

    /** Smallest payload of one data-path frame, bytes: 1 KiB. */
    public static final int MIN_CHUNK_BYTES = 1 << 10;

    /** Largest payload of one data-path frame, bytes: 1 MiB. */
    public static final int MAX_CHUNK_BYTES = 1 << 20;

    /** Default time a data-path peer may send nothing during a transfer, ms. */
    public static final long DFLT_READ_TIMEOUT_MS = 10_000;

    /** Default lifetime of a data-path transfer token, ms: a caller must open its transfer within it. */
    public static final long DFLT_TOKEN_TTL_MS = 120_000;

    /** Default staging capacity of an agent's data path: 0, half the staging file system's free space at start. */
    public static final long DFLT_STAGING_CAPACITY_BYTES = 0;

    /** Default most data-path connections an agent holds open at once. */
    public static final int DFLT_MAX_CONNECTIONS = 512;

    /** Default most data-path connections an agent holds open from one peer address. */
    public static final int DFLT_MAX_CONNECTIONS_PER_PEER = 64;

    /** Default time a new data-path connection has to send its OPEN (TLS handshake included), ms. */
    public static final long DFLT_OPEN_TIMEOUT_MS = 5_000;

    /** Default least rate of an upload's bytes, bytes per second (64 KiB/s). */
    public static final long DFLT_MIN_RATE_BYTES_PER_SECOND = 64 << 10;

    /** Default time the least rate is averaged over, ms. */
    public static final long DFLT_MIN_RATE_WINDOW_MS = 5_000;

    /** Default time the file of a consumed upload is kept for the next upload to overwrite, ms. */
    public static final long DFLT_SPARE_FILE_TTL_MS = 10_000;

    private List<String> rdmaTransportClasses = new ArrayList<>();
    private boolean enabled = true;
    private int port = DFLT_PORT;
    private int portRange = DFLT_PORT_RANGE;
    private long thresholdBytes = DFLT_THRESHOLD_BYTES;
    private int chunkBytes = DFLT_CHUNK_BYTES;
    private long readTimeoutMs = DFLT_READ_TIMEOUT_MS;
    private long tokenTtlMs = DFLT_TOKEN_TTL_MS;
    private long stagingCapacityBytes = DFLT_STAGING_CAPACITY_BYTES;
    private int maxConnections = DFLT_MAX_CONNECTIONS;
    private int maxConnectionsPerPeer = DFLT_MAX_CONNECTIONS_PER_PEER;
    private long openTimeoutMs = DFLT_OPEN_TIMEOUT_MS;
    private long minRateBytesPerSecond = DFLT_MIN_RATE_BYTES_PER_SECOND;
    private long minRateWindowMs = DFLT_MIN_RATE_WINDOW_MS;
    private long spareFileTtlMs = DFLT_SPARE_FILE_TTL_MS;
    private String stagingDirectory = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
        "fabric-stitch-staging").toString();
    private String tlsCertificateChain;
    private String tlsPrivateKey;
    private String tlsTrustedCertificates;
    private boolean tlsDevelopmentCertificates;
    private String tlsDevelopmentDirectory = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
        "fabric-stitch-dev-ca").toString();

    /**
     * {@code io.fabricstitch.agent.rdma.RdmaTransport} implementations to run where the host has RDMA devices they
     * support (public no-argument constructors); none by default, and none ships with Fabric Stitch.
     */
    public List<String> getRdmaTransportClasses() {
        return rdmaTransportClasses;
    }

    public FabricDataPathConfiguration setRdmaTransportClasses(List<String> rdmaTransportClasses) {
        this.rdmaTransportClasses = rdmaTransportClasses == null ? new ArrayList<>()
            : new ArrayList<>(rdmaTransportClasses);
        return this;
    }

    /**
     * Whether the node runs a data-path server for large inputs and outputs (and uses the data path as a caller);
     * default true.
     */
    public boolean isEnabled() {
        return enabled;
    }

    public FabricDataPathConfiguration setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    /** First TCP port of the data-path server; default {@value #DFLT_PORT}; 0 takes any free port. */
    public int getPort() {
        return port;
    }

    public FabricDataPathConfiguration setPort(int port) {
        this.port = port;
        return this;
    }

    /** Number of ports tried from {@code port} on; default {@value #DFLT_PORT_RANGE}. */
    public int getPortRange() {
        return portRange;
    }

    public FabricDataPathConfiguration setPortRange(int portRange) {
        this.portRange = portRange;
        return this;
    }

    /**
     * Inputs of at least this many bytes travel over the data path (streamed, framed, checksummed) instead of inside
     * the Ignite job; default {@value #DFLT_THRESHOLD_BYTES} (1 MiB). Outputs above it come back the same way.
     */
    public long getThresholdBytes() {
        return thresholdBytes;
    }

    public FabricDataPathConfiguration setThresholdBytes(long thresholdBytes) {
        this.thresholdBytes = thresholdBytes;
        return this;
    }

    /** Payload of one data-path frame, bytes; default {@value #DFLT_CHUNK_BYTES}. */
    public int getChunkBytes() {
        return chunkBytes;
    }

    public FabricDataPathConfiguration setChunkBytes(int chunkBytes) {
        this.chunkBytes = chunkBytes;
        return this;
    }

    /** A data-path peer that sends nothing for this long during a transfer is dropped, ms; default 10000. */
    public long getReadTimeoutMs() {
        return readTimeoutMs;
    }

    public FabricDataPathConfiguration setReadTimeoutMs(long readTimeoutMs) {
        this.readTimeoutMs = readTimeoutMs;
        return this;
    }

    /** Folder where inputs and outputs are staged on disk; default {@code <java.io.tmpdir>/fabric-stitch-staging}. */
    public String getStagingDirectory() {
        return stagingDirectory;
    }

    public FabricDataPathConfiguration setStagingDirectory(String stagingDirectory) {
        this.stagingDirectory = stagingDirectory;
        return this;
    }

    /**
     * Lifetime of a data-path transfer token, ms; default {@value #DFLT_TOKEN_TTL_MS}. The orchestrator
     * issues one with every placement whose input travels over a data path, and an agent one with every output it
     * stages; the transfer must open within it (checked against the agent's clock: keep the nodes' clocks in step).
     */
    public long getTokenTtlMs() {
        return tokenTtlMs;
    }

    public FabricDataPathConfiguration setTokenTtlMs(long tokenTtlMs) {
        this.tokenTtlMs = tokenTtlMs;
        return this;
    }

    /**
     * Most bytes of uploads an agent stages at once (declared or, for an unknown length, the token's limit; released
     * when the input is consumed or expires); an upload past it is refused at its OPEN. Default 0: half the free space
     * of the staging file system when the node starts.
     */
    public long getStagingCapacityBytes() {
        return stagingCapacityBytes;
    }

    public FabricDataPathConfiguration setStagingCapacityBytes(long stagingCapacityBytes) {
        this.stagingCapacityBytes = stagingCapacityBytes;
        return this;
    }

    /**
     * Most data-path connections an agent (its DIRECT and TLS servers together) holds open; more are closed at once.
     * Default {@value #DFLT_MAX_CONNECTIONS}.
     */
    public int getMaxConnections() {
        return maxConnections;
    }

    public FabricDataPathConfiguration setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * Most data-path connections an agent holds open from one peer address, at most
     * {@code maxConnections}; more are closed at once. Default {@value #DFLT_MAX_CONNECTIONS_PER_PEER}.
     */
    public int getMaxConnectionsPerPeer() {
        return maxConnectionsPerPeer;
    }

    public FabricDataPathConfiguration setMaxConnectionsPerPeer(int maxConnectionsPerPeer) {
        this.maxConnectionsPerPeer = maxConnectionsPerPeer;
        return this;
    }

    /**
     * Time a new data-path connection has to send its OPEN, TLS handshake included, ms (at most
     * {@code readTimeoutMs} applies); default {@value #DFLT_OPEN_TIMEOUT_MS}.
     */
    public long getOpenTimeoutMs() {
        return openTimeoutMs;
    }

    public FabricDataPathConfiguration setOpenTimeoutMs(long openTimeoutMs) {
        this.openTimeoutMs = openTimeoutMs;
        return this;
    }

    /**
     * Least rate at which an open upload's bytes must arrive, bytes per second, averaged over
     * {@code minRateWindowMs}; a slower peer is dropped. 0: no least rate (the idle read timeout still
     * applies). Default {@value #DFLT_MIN_RATE_BYTES_PER_SECOND} (64 KiB/s).
     */
    public long getMinRateBytesPerSecond() {
        return minRateBytesPerSecond;
    }

    public FabricDataPathConfiguration setMinRateBytesPerSecond(long minRateBytesPerSecond) {
        this.minRateBytesPerSecond = minRateBytesPerSecond;
        return this;
    }

    /**
     * Time the least rate is averaged over, ms (at most {@code readTimeoutMs} applies); default
     * {@value #DFLT_MIN_RATE_WINDOW_MS}.
     */
    public long getMinRateWindowMs() {
        return minRateWindowMs;
    }

    public FabricDataPathConfiguration setMinRateWindowMs(long minRateWindowMs) {
        this.minRateWindowMs = minRateWindowMs;
        return this;
    }

    /**
     * PEM file with this node's certificate chain for TLS data paths across sites (with {@code tlsPrivateKey} and
     * {@code tlsTrustedCertificates}); unset with no development certificates means no TLS.
     */
    public String getTlsCertificateChain() {
        return tlsCertificateChain;
    }

    public FabricDataPathConfiguration setTlsCertificateChain(String tlsCertificateChain) {
        this.tlsCertificateChain = tlsCertificateChain;
        return this;
    }

    /** PEM file with this node's private key (PKCS#8) for TLS data paths. */
    public String getTlsPrivateKey() {
        return tlsPrivateKey;
    }

    public FabricDataPathConfiguration setTlsPrivateKey(String tlsPrivateKey) {
        this.tlsPrivateKey = tlsPrivateKey;
        return this;
    }

    /** PEM file with the CA certificates a TLS peer's certificate must be signed by (the cluster's CA). */
    public String getTlsTrustedCertificates() {
        return tlsTrustedCertificates;
    }

    public FabricDataPathConfiguration setTlsTrustedCertificates(String tlsTrustedCertificates) {
        this.tlsTrustedCertificates = tlsTrustedCertificates;
        return this;
    }

    /**
     * How long the file of a consumed upload is kept, ms, for the next upload to overwrite instead of a new file;
     * default {@value #DFLT_SPARE_FILE_TTL_MS}; 0 deletes each file when its input is consumed. Overwriting pages or
     * blocks the file system already holds skips allocating and zeroing them and the unlink (on tmpfs, a third of the
     * cost of writing a new file). One spare file per server, outside {@code stagingCapacityBytes}: it is deleted when
     * an upload finds the capacity full, after this time unused, or when the server stops.
     */
    public long getSpareFileTtlMs() {
        return spareFileTtlMs;
    }

    public FabricDataPathConfiguration setSpareFileTtlMs(long spareFileTtlMs) {
        this.spareFileTtlMs = spareFileTtlMs;
        return this;
    }

    /**
     * DEVELOPMENT ONLY: make a self-signed CA in {@code tlsDevelopmentDirectory} the first time, and a certificate
     * for this node signed by it, for TLS data paths; the node says so loudly in its log. Default false.
     */
    public boolean isTlsDevelopmentCertificates() {
        return tlsDevelopmentCertificates;
    }

    public FabricDataPathConfiguration setTlsDevelopmentCertificates(boolean tlsDevelopmentCertificates) {
        this.tlsDevelopmentCertificates = tlsDevelopmentCertificates;
        return this;
    }

    /** Folder of the development CA; default {@code <java.io.tmpdir>/fabric-stitch-dev-ca}. */
    public String getTlsDevelopmentDirectory() {
        return tlsDevelopmentDirectory;
    }

    public FabricDataPathConfiguration setTlsDevelopmentDirectory(String tlsDevelopmentDirectory) {
        this.tlsDevelopmentDirectory = tlsDevelopmentDirectory;
        return this;
    }

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the property by its path ({@code dataPath.chunkBytes}), the value and
     *     what is accepted
     */
    public void validate() {
        Checks.inRange(port, 0, 65535, PATH + "port");
        Checks.portRange(port, portRange, PATH + "port", PATH + "portRange");
        Checks.inRange(thresholdBytes, 1, Long.MAX_VALUE, PATH + "thresholdBytes");
        Checks.inRange(chunkBytes, MIN_CHUNK_BYTES, MAX_CHUNK_BYTES, PATH + "chunkBytes");
        Checks.inRange(readTimeoutMs, 100, 3_600_000, PATH + "readTimeoutMs");
        Checks.notBlank(stagingDirectory, PATH + "stagingDirectory", 4096);
        Checks.inRange(tokenTtlMs, 1_000, 3_600_000, PATH + "tokenTtlMs");
        Checks.inRange(stagingCapacityBytes, 0, Long.MAX_VALUE, PATH + "stagingCapacityBytes");
        Checks.inRange(maxConnections, 1, 1 << 20, PATH + "maxConnections");
        if (maxConnectionsPerPeer < 1 || maxConnectionsPerPeer > maxConnections)
            throw new IllegalArgumentException(PATH + "maxConnectionsPerPeer: " + maxConnectionsPerPeer + " (expected: "
                + "1.." + maxConnections + ", at most " + PATH + "maxConnections)");
        Checks.inRange(openTimeoutMs, 10, 3_600_000, PATH + "openTimeoutMs");
        Checks.inRange(minRateBytesPerSecond, 0, Long.MAX_VALUE, PATH + "minRateBytesPerSecond");
        Checks.inRange(minRateWindowMs, 10, 3_600_000, PATH + "minRateWindowMs");
        Checks.inRange(spareFileTtlMs, 0, 3_600_000, PATH + "spareFileTtlMs");
        for (String cls : rdmaTransportClasses)
            Checks.notBlank(cls, PATH + "rdmaTransportClasses element", 1024);
        int tlsFiles = (tlsCertificateChain != null ? 1 : 0) + (tlsPrivateKey != null ? 1 : 0)
            + (tlsTrustedCertificates != null ? 1 : 0);
        if (tlsFiles != 0 && tlsFiles != 3)
            throw new IllegalArgumentException(PATH + "tlsCertificateChain, tlsPrivateKey, tlsTrustedCertificates: "
                + tlsFiles + " of 3 set (expected: all three PEM files, or none)");
        if (tlsFiles == 3 && tlsDevelopmentCertificates)
            throw new IllegalArgumentException(PATH + "tlsDevelopmentCertificates: true with certificates configured "
                + "(expected: one or the other)");
    }

    @Override
    public String toString() {
        return "FabricDataPathConfiguration [enabled=" + enabled + ", port=" + port + ", portRange=" + portRange
            + ", thresholdBytes=" + thresholdBytes + ", chunkBytes=" + chunkBytes + ", readTimeoutMs=" + readTimeoutMs
            + ", stagingDirectory=" + stagingDirectory + ", tokenTtlMs=" + tokenTtlMs + ", stagingCapacityBytes="
            + stagingCapacityBytes + ", maxConnections=" + maxConnections + ", maxConnectionsPerPeer="
            + maxConnectionsPerPeer + ", openTimeoutMs=" + openTimeoutMs + ", minRateBytesPerSecond="
            + minRateBytesPerSecond + ", minRateWindowMs=" + minRateWindowMs + ", spareFileTtlMs=" + spareFileTtlMs
            + ", tlsCertificateChain="
            + tlsCertificateChain + ", tlsPrivateKey=" + tlsPrivateKey + ", tlsTrustedCertificates="
            + tlsTrustedCertificates + ", tlsDevelopmentCertificates=" + tlsDevelopmentCertificates
            + ", tlsDevelopmentDirectory=" + tlsDevelopmentDirectory + ", rdmaTransportClasses="
            + rdmaTransportClasses + ']';
    }
}
