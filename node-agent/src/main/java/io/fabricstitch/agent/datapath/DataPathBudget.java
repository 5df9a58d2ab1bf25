package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The limits the data-path servers of one agent (DIRECT and TLS) share: the staging capacity, reserved by each upload
 * when it opens and released when its file goes, and the connections, counted per peer address and in all.
 * Thread-safe. A {@link DataPathServer} made without one has one of its own.
 */
public final class DataPathBudget {
    private final long stagingCapacity;
    private final String capacitySource;
    private final int maxConnections;
    private final int maxConnectionsPerPeer;
    private final Map<InetAddress, Integer> perPeer = new HashMap<>();
    private long reserved;
    private int connections;

    private DataPathBudget(long stagingCapacity, String capacitySource, int maxConnections, int maxConnectionsPerPeer) {
        this.stagingCapacity = stagingCapacity;
        this.capacitySource = capacitySource;
        this.maxConnections = maxConnections;
        this.maxConnectionsPerPeer = maxConnectionsPerPeer;
    }

    /**
     * The budget of {@code cfg}'s limits; with {@code stagingCapacityBytes} 0, half the space free now on the file
     * system of the staging directory (or of its nearest existing parent).
     *
     * @throws IllegalStateException when the free space cannot be read
     */
    public static DataPathBudget of(DataPathConfiguration cfg) {
        Checks.notNull(cfg, "cfg");
        long capacity = cfg.stagingCapacityBytes();
        String source = "stagingCapacityBytes";
        if (capacity == 0) {
            long free = usableSpace(cfg.stagingDirectory());
            capacity = free / 2;
            source = "stagingCapacityBytes 0: half of the " + Units.approx(free) + " free in " + cfg.stagingDirectory()
                + " at start";
        }
        return new DataPathBudget(capacity, source, cfg.maxConnections(), cfg.maxConnectionsPerPeer());
    }

    private static long usableSpace(Path dir) {
        Path p = dir;
        while (p != null && !Files.exists(p))
            p = p.getParent();
        try {
            if (p == null)
                throw new IOException("no part of the path exists");
            return Files.getFileStore(p).getUsableSpace();
        }
        catch (IOException e) {
            throw new IllegalStateException("stagingDirectory " + dir + ": the free space cannot be read: " + e
                + " (expected: a directory on a readable file system, or stagingCapacityBytes set)", e);
        }
    }

    /** Most bytes of uploads staged at once. */
    public long stagingCapacityBytes() {
        return stagingCapacity;
    }

    /** Bytes reserved now by uploads open, committed and not yet taken, or taken and not yet closed. */
    public synchronized long stagingReservedBytes() {
        return reserved;
    }

    /** Connections open now. */
    public synchronized int connections() {
        return connections;
    }

    /** Where the capacity comes from, for the start line: a setting or the free space. */
    String capacitySource() {
        return capacitySource;
    }

    /** Reserves {@code bytes} of staging; false, reserving nothing, when that would pass the capacity. */
    synchronized boolean reserve(long bytes) {
        if (bytes > stagingCapacity - reserved)
            return false;
        reserved += bytes;
        return true;
    }

    /** Gives back {@code bytes} reserved before. */
    synchronized void release(long bytes) {
        reserved -= bytes;
    }

    /**
     * Counts a new connection from {@code peer}; when a cap is reached, counts nothing and says which, as
     * {@code found (expected: ...)}.
     *
     * @return null when admitted
     */
    synchronized String admit(InetAddress peer) {
        if (connections >= maxConnections)
            return connections + " connections are open (expected: at most maxConnections = " + maxConnections + ")";
        int from = perPeer.getOrDefault(peer, 0);
        if (from >= maxConnectionsPerPeer)
            return from + " connections from " + peer.getHostAddress() + " are open (expected: at most "
                + "maxConnectionsPerPeer = " + maxConnectionsPerPeer + " from one address)";
        perPeer.put(peer, from + 1);
        connections++;
        return null;
    }

    /** A connection {@link #admit admitted} closed. */
    synchronized void leave(InetAddress peer) {
        connections--;
        perPeer.computeIfPresent(peer, (k, n) -> n <= 1 ? null : n - 1);
    }

    @Override
    public synchronized String toString() {
        return "DataPathBudget [staging " + Units.approx(reserved) + " of " + Units.approx(stagingCapacity)
            + ", connections " + connections + " of " + maxConnections + " (" + maxConnectionsPerPeer + " per peer)]";
    }
}
