package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.placement.LatencyMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cache.query.QueryCursor;

/**
 * A node-local copy of {@code FABRIC_LATENCY}, kept by a continuous query, handed to the selector as a
 * {@link LatencyMatrix}. A new snapshot is built at most every {@link #REBUILD_EVERY_NANOS} (and only after a change),
 * so the selector's per-origin orderings are not rebuilt on every probe. Not API.
 */
public final class LatencyView implements AutoCloseable {
    /** Shortest time between two snapshots. */
    static final long REBUILD_EVERY_NANOS = 500_000_000L;

    private final IgniteLogger log;
    private final Map<String, LatencyRow> rows = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final String token = QueryWatch.token("FABRIC_LATENCY view");
    private IgniteCache<String, LatencyRow> cache;
    private volatile QueryCursor<?> cursor;
    private volatile LatencyMatrix snapshot = LatencyMatrix.EMPTY;
    private volatile long builtAtNanos;
    private final List<RowListener<String, LatencyRow>> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    public LatencyView(IgniteLogger log) {
        this.log = log;
    }

    /** Starts following the cache; returns once its current content is loaded. */
    public LatencyView open(IgniteCache<String, LatencyRow> cache) {
        this.cache = cache;
        follow();
        return this;
    }

    /** Has {@code watch} open this view's query again when someone else stops it; the view then catches up. */
    public LatencyView watchedBy(QueryWatch watch) {
        watch.watch(token, this::follow);
        return this;
    }

    private synchronized void follow() {
        QueryCursor<?> old = cursor;
        cursor = QueryWatch.follow(cache, token, this::onRow, new ArrayList<>(rows.keySet()));
        if (old != null)
            FabricCaches.closeAll(new ArrayList<>(List.of(old)), log, "a stopped latency query");
    }

    /** Tells {@code l} of every change of {@code FABRIC_LATENCY} from now on. */
    public void addListener(RowListener<String, LatencyRow> l) {
        listeners.add(l);
    }

    /** Stops telling {@code l}. */
    public void removeListener(RowListener<?, ?> l) {
        listeners.remove(l);
    }

    private void onRow(String key, LatencyRow row, boolean expired) {
        if (row == null) {
            if (rows.remove(key) != null)
                version.incrementAndGet();
        }
        else
            put(key, row);
        for (RowListener<String, LatencyRow> l : listeners)
            l.onRow(key, row, expired);
    }

    private void put(String key, LatencyRow row) {
        rows.put(key, row);
        version.incrementAndGet();
    }

    /** The latest matrix (rebuilt at most every half second). */
    public LatencyMatrix matrix() {
        LatencyMatrix s = snapshot;
        long v = version.get();
        if (s.version() == v || System.nanoTime() - builtAtNanos < REBUILD_EVERY_NANOS && s.version() != 0)
            return s;
        synchronized (this) {
            v = version.get();
            if (snapshot.version() == v)
                return snapshot;
            Map<UUID, Map<UUID, Double>> ms = new HashMap<>();
            Map<UUID, Map<UUID, Double>> bw = new HashMap<>();
            for (LatencyRow r : rows.values()) {
                ms.computeIfAbsent(r.fromNode(), k -> new HashMap<>()).put(r.toNode(), r.rttMicros() / 1000.0);
                if (r.bandwidthMibS() > 0)
                    bw.computeIfAbsent(r.fromNode(), k -> new HashMap<>()).put(r.toNode(), r.bandwidthMibS());
            }
            snapshot = LatencyMatrix.of(v, ms, bw);
            builtAtNanos = System.nanoTime();
            return snapshot;
        }
    }

    @Override
    public void close() {
        QueryCursor<?> c = cursor;
        cursor = null;
        if (c != null)
            FabricCaches.closeAll(new ArrayList<>(List.of(c)), log, "the latency query");
    }
}
