package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.LatencyMatrix;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.EventType;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;

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
    private final List<QueryCursor<?>> cursors = new ArrayList<>();
    private volatile LatencyMatrix snapshot = LatencyMatrix.EMPTY;
    private volatile long builtAtNanos;

    public LatencyView(IgniteLogger log) {
        this.log = log;
    }

    /** Starts following the cache; returns once its current content is loaded. */
    public LatencyView open(IgniteCache<String, LatencyRow> cache) {
        ContinuousQuery<String, LatencyRow> q = new ContinuousQuery<>();
        q.setInitialQuery(new ScanQuery<>());
        q.setLocalListener(events -> events.forEach(this::onEvent));
        QueryCursor<Cache.Entry<String, LatencyRow>> c = cache.query(q);
        cursors.add(c);
        for (Cache.Entry<String, LatencyRow> e : c)
            put(e.getKey(), e.getValue());
        return this;
    }

    private void onEvent(CacheEntryEvent<? extends String, ? extends LatencyRow> e) {
        if (e.getEventType() == EventType.REMOVED || e.getEventType() == EventType.EXPIRED) {
            if (rows.remove(e.getKey()) != null)
                version.incrementAndGet();
        }
        else
            put(e.getKey(), e.getValue());
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
        FabricCaches.closeAll(cursors, log, "the latency query");
    }
}
