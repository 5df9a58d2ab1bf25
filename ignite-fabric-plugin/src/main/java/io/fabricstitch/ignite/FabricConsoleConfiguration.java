package io.fabricstitch.ignite;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.internal.ConfigPaths;

/**
 * The web console's part of {@link FabricPluginConfiguration} (property {@code console}): where server nodes serve
 * the console and its REST API, who may use it (the console token) and the limits that keep hostile clients from
 * exhausting it. Chaining setters in Ignite's style; {@link #validate()} names a refused value by its path
 * ({@code console.port}).
 */
public class FabricConsoleConfiguration {
    /** Property path of these settings in {@link FabricPluginConfiguration}, in validation messages. */
    static final String PATH = "console.";

    /** Default address the web console binds: loopback only. */
    public static final String DFLT_HOST = "127.0.0.1";

    /** Default first port of the web console. */
    public static final int DFLT_PORT = 8090;

    /** Default number of ports tried from {@link #DFLT_PORT} on. */
    public static final int DFLT_PORT_RANGE = 10;

    /** Environment variable read for the console token when neither {@code token} nor its file is set. */
    public static final String ENV_CONSOLE_TOKEN = "FABRIC_CONSOLE_TOKEN";

    /** Default time a console request's line and headers may take from its first byte, ms. */
    public static final long DFLT_HEADER_TIMEOUT_MS = 5_000;

    /** Default time a whole console request may take from its first byte, and a console connection may idle, ms. */
    public static final long DFLT_READ_TIMEOUT_MS = 10_000;

    /** Default most open console connections of a node. */
    public static final int DFLT_MAX_CONNECTIONS = 64;

    /** Default most open console connections from one client address. */
    public static final int DFLT_MAX_CONNECTIONS_PER_PEER = 16;

    /** Default threads answering console API requests (SQL, fault injection). */
    public static final int DFLT_WORKER_THREADS = 2;

    /** Default most console API requests waiting for a worker thread. */
    public static final int DFLT_MAX_QUEUED_REQUESTS = 16;

    private boolean enabled = true;
    private String host = DFLT_HOST;
    private int port = DFLT_PORT;
    private int portRange = DFLT_PORT_RANGE;
    private String token;
    private String tokenFile;
    private boolean faultInjection;
    private long headerTimeoutMs = DFLT_HEADER_TIMEOUT_MS;
    private long readTimeoutMs = DFLT_READ_TIMEOUT_MS;
    private int maxConnections = DFLT_MAX_CONNECTIONS;
    private int maxConnectionsPerPeer = DFLT_MAX_CONNECTIONS_PER_PEER;
    private int workerThreads = DFLT_WORKER_THREADS;
    private int maxQueuedRequests = DFLT_MAX_QUEUED_REQUESTS;

    /** Whether server nodes serve the web console and its REST API; default true. */
    public boolean isEnabled() {
        return enabled;
    }

    public FabricConsoleConfiguration setEnabled(boolean enabled) {
        this.enabled = enabled;
        return this;
    }

    /**
     * Address the web console binds; default {@value #DFLT_HOST}. Any other than a loopback address needs a
     * console token.
     */
    public String getHost() {
        return host;
    }

    public FabricConsoleConfiguration setHost(String host) {
        this.host = host;
        return this;
    }

    /** First port the web console tries; default {@value #DFLT_PORT}; 0 takes any free port. */
    public int getPort() {
        return port;
    }

    public FabricConsoleConfiguration setPort(int port) {
        this.port = port;
        return this;
    }

    /** Ports tried from {@code port} on (several nodes on one host); default {@value #DFLT_PORT_RANGE}. */
    public int getPortRange() {
        return portRange;
    }

    public FabricConsoleConfiguration setPortRange(int portRange) {
        this.portRange = portRange;
        return this;
    }

    /**
     * Bearer token the console asks of every request (header {@code Authorization: Bearer <token>}, or
     * {@code ?token=} in the page's address); at least 16 characters. Required when {@code host} is not a
     * loopback address; optional otherwise. None by default.
     */
    public String getToken() {
        return token;
    }

    public FabricConsoleConfiguration setToken(String token) {
        this.token = token;
        return this;
    }

    /** File holding the console token (first line), read at start; none by default. */
    public String getTokenFile() {
        return tokenFile;
    }

    public FabricConsoleConfiguration setTokenFile(String tokenFile) {
        this.tokenFile = tokenFile;
        return this;
    }

    /**
     * The console token from {@code token}, else the first line of {@code tokenFile}, else the
     * {@value #ENV_CONSOLE_TOKEN} environment variable; null when none is set.
     *
     * @throws IllegalArgumentException when the token file cannot be read
     */
    public String effectiveToken() {
        if (token != null)
            return token;
        if (tokenFile != null) {
            try {
                return java.nio.file.Files.readAllLines(java.nio.file.Path.of(tokenFile)).stream().findFirst()
                    .map(String::strip).orElse("");
            }
            catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("tokenFile: '" + tokenFile + "' cannot be read ("
                    + e.getMessage() + "; expected: a readable file whose first line is the token)");
            }
        }
        String env = System.getenv(ENV_CONSOLE_TOKEN);
        return env == null || env.isBlank() ? null : env.strip();
    }

    /**
     * Whether a request carrying the console token may inject and clear faults in declared fabrics through the
     * console; default false (the console is read-only). Needs a console token.
     */
    public boolean isFaultInjection() {
        return faultInjection;
    }

    public FabricConsoleConfiguration setFaultInjection(boolean faultInjection) {
        this.faultInjection = faultInjection;
        return this;
    }

    /**
     * Longest time a console request's line and headers may take to arrive, counted from its first byte, ms; default
     * {@value #DFLT_HEADER_TIMEOUT_MS}. A client still sending them then is answered 408 and disconnected.
     */
    public long getHeaderTimeoutMs() {
        return headerTimeoutMs;
    }

    public FabricConsoleConfiguration setHeaderTimeoutMs(long headerTimeoutMs) {
        this.headerTimeoutMs = headerTimeoutMs;
        return this;
    }

    /**
     * Longest time a whole console request (headers and body) may take to arrive from its first byte, a connection may
     * stay idle between requests, and a client may take to receive an answer, ms; default
     * {@value #DFLT_READ_TIMEOUT_MS}. A slow request is answered 408; the connection is closed in each case.
     */
    public long getReadTimeoutMs() {
        return readTimeoutMs;
    }

    public FabricConsoleConfiguration setReadTimeoutMs(long readTimeoutMs) {
        this.readTimeoutMs = readTimeoutMs;
        return this;
    }

    /**
     * Most connections the console keeps open at once; default {@value #DFLT_MAX_CONNECTIONS}. One more is
     * answered 503 and closed.
     */
    public int getMaxConnections() {
        return maxConnections;
    }

    public FabricConsoleConfiguration setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
        return this;
    }

    /**
     * Most console connections open at once from one client address; default
     * {@value #DFLT_MAX_CONNECTIONS_PER_PEER}. One more is answered 503 and closed. Behind a reverse proxy
     * every client has the proxy's address: raise it to {@code maxConnections} there.
     */
    public int getMaxConnectionsPerPeer() {
        return maxConnectionsPerPeer;
    }

    public FabricConsoleConfiguration setMaxConnectionsPerPeer(int maxConnectionsPerPeer) {
        this.maxConnectionsPerPeer = maxConnectionsPerPeer;
        return this;
    }

    /**
     * Threads that answer console API requests (the SQL reads and fault injection); default
     * {@value #DFLT_WORKER_THREADS}. Pages, token checks and refusals never wait for them.
     */
    public int getWorkerThreads() {
        return workerThreads;
    }

    public FabricConsoleConfiguration setWorkerThreads(int workerThreads) {
        this.workerThreads = workerThreads;
        return this;
    }

    /**
     * Most authorized console API requests waiting for a worker thread; default
     * {@value #DFLT_MAX_QUEUED_REQUESTS}. One more is answered 503 at once.
     */
    public int getMaxQueuedRequests() {
        return maxQueuedRequests;
    }

    public FabricConsoleConfiguration setMaxQueuedRequests(int maxQueuedRequests) {
        this.maxQueuedRequests = maxQueuedRequests;
        return this;
    }

    /** Whether {@code host} names the loopback interface only (localhost, 127.0.0.0/8, ::1). */
    static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the property by its path ({@code console.port}), the value and what is
     *     accepted
     */
    public void validate() {
        Checks.notBlank(host, PATH + "host", 253);
        Checks.inRange(port, 0, 65535, PATH + "port");
        Checks.inRange(portRange, 1, 1000, PATH + "portRange");
        Checks.inRange(readTimeoutMs, 100, 3_600_000, PATH + "readTimeoutMs");
        Checks.inRange(headerTimeoutMs, 100, 3_600_000, PATH + "headerTimeoutMs");
        if (headerTimeoutMs > readTimeoutMs)
            throw new IllegalArgumentException(PATH + "headerTimeoutMs: " + headerTimeoutMs + " (expected: at most "
                + PATH + "readTimeoutMs, " + readTimeoutMs + ": the headers are part of the request)");
        Checks.inRange(maxConnections, 1, 100_000, PATH + "maxConnections");
        Checks.inRange(maxConnectionsPerPeer, 1, 100_000, PATH + "maxConnectionsPerPeer");
        if (maxConnectionsPerPeer > maxConnections)
            throw new IllegalArgumentException(PATH + "maxConnectionsPerPeer: " + maxConnectionsPerPeer + " (expected: "
                + "at most " + PATH + "maxConnections, " + maxConnections + ')');
        Checks.inRange(workerThreads, 1, 64, PATH + "workerThreads");
        Checks.inRange(maxQueuedRequests, 0, 10_000, PATH + "maxQueuedRequests");
        String t = ConfigPaths.at(PATH, this::effectiveToken);
        if (t != null && (t.length() < 16 || t.chars().anyMatch(c -> c <= ' ' || c > '~')))
            throw new IllegalArgumentException(PATH + "token: " + t.length() + " characters (expected: at least 16 "
                + "printable ASCII characters without spaces, e.g. the output of: openssl rand -hex 16)");
        if (!enabled)
            return;
        if (t == null && !isLoopback(host))
            throw new IllegalArgumentException(PATH + "host: '" + host + "' without a console token (expected: a "
                + "loopback address such as 127.0.0.1, or " + PATH + "token, " + PATH + "tokenFile or the "
                + ENV_CONSOLE_TOKEN + " environment variable set)");
        if (faultInjection && t == null)
            throw new IllegalArgumentException(PATH + "faultInjection: true without a console token (expected: "
                + PATH + "token, " + PATH + "tokenFile or " + ENV_CONSOLE_TOKEN + " set, so that only its holders "
                + "inject faults)");
    }

    @Override
    public String toString() {
        return "FabricConsoleConfiguration [enabled=" + enabled + ", host=" + host + ", port=" + port + ", portRange="
            + portRange + ", token=" + (token == null ? "unset" : "(hidden)") + ", tokenFile=" + tokenFile
            + ", faultInjection=" + faultInjection + ", headerTimeoutMs=" + headerTimeoutMs + ", readTimeoutMs="
            + readTimeoutMs + ", maxConnections=" + maxConnections + ", maxConnectionsPerPeer=" + maxConnectionsPerPeer
            + ", workerThreads=" + workerThreads + ", maxQueuedRequests=" + maxQueuedRequests + ']';
    }
}
