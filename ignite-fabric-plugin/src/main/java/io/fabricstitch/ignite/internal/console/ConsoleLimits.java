package io.fabricstitch.ignite.internal.console;

import io.fabricstitch.ignite.FabricConsoleConfiguration;
import java.time.Duration;

/**
 * What the console allows one client: how long a request may take to arrive, how large it may be, how many
 * connections stay open, and how much API work waits. Immutable; the values come from
 * {@link FabricConsoleConfiguration}, checked there. Not API.
 */
final class ConsoleLimits {
    /** Longest request line (method, target, version), bytes; a longer one is answered 414. */
    static final int MAX_REQUEST_LINE = 4096;

    /** Most bytes of all header lines of a request; more are answered 431. */
    static final int MAX_HEADER_BYTES = 8192;

    /** Most bytes of a request body; a larger one is answered 413. */
    static final int MAX_BODY = 4096;

    /** Most requests a client may send ahead of their answers on one connection (HTTP pipelining). */
    static final int MAX_PIPELINED = 8;

    private final Duration headerTimeout;
    private final Duration readTimeout;
    private final int maxConnections;
    private final int maxConnectionsPerPeer;
    private final int workerThreads;
    private final int maxQueuedRequests;

    ConsoleLimits(Duration headerTimeout, Duration readTimeout, int maxConnections, int maxConnectionsPerPeer,
        int workerThreads, int maxQueuedRequests) {
        this.headerTimeout = headerTimeout;
        this.readTimeout = readTimeout;
        this.maxConnections = maxConnections;
        this.maxConnectionsPerPeer = maxConnectionsPerPeer;
        this.workerThreads = workerThreads;
        this.maxQueuedRequests = maxQueuedRequests;
    }

    static ConsoleLimits of(FabricConsoleConfiguration cfg) {
        return new ConsoleLimits(Duration.ofMillis(cfg.getHeaderTimeoutMs()), Duration.ofMillis(cfg.getReadTimeoutMs()),
            cfg.getMaxConnections(), cfg.getMaxConnectionsPerPeer(), cfg.getWorkerThreads(),
            cfg.getMaxQueuedRequests());
    }

    /** Longest a request's line and headers may take from its first byte. */
    Duration headerTimeout() {
        return headerTimeout;
    }

    /** Longest a whole request may take from its first byte, a connection may idle, and an answer may take to leave. */
    Duration readTimeout() {
        return readTimeout;
    }

    int maxConnections() {
        return maxConnections;
    }

    int maxConnectionsPerPeer() {
        return maxConnectionsPerPeer;
    }

    int workerThreads() {
        return workerThreads;
    }

    int maxQueuedRequests() {
        return maxQueuedRequests;
    }

    @Override
    public String toString() {
        return "ConsoleLimits [headerTimeout=" + headerTimeout.toMillis() + " ms, readTimeout=" + readTimeout.toMillis()
            + " ms, maxConnections=" + maxConnections + ", maxConnectionsPerPeer=" + maxConnectionsPerPeer
            + ", workerThreads=" + workerThreads + ", maxQueuedRequests=" + maxQueuedRequests + ", maxBody=" + MAX_BODY
            + " B]";
    }
}
