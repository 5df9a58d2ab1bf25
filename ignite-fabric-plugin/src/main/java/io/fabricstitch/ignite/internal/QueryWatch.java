package io.fabricstitch.ignite.internal;

import java.util.Collection;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.event.CacheEntryEvent;
import javax.cache.event.CacheEntryUpdatedListener;
import javax.cache.event.EventType;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.internal.IgniteEx;
import org.apache.ignite.internal.processors.continuous.GridContinuousProcessor;
import org.apache.ignite.spi.systemview.view.ContinuousQueryView;
import org.apache.ignite.spi.systemview.view.SystemView;

/**
 * Keeps this node's continuous queries on the Fabric Map running. Ignite lets any SQL client stop any continuous
 * query ({@code KILL CONTINUOUS}, with ids from {@code SYS.CONTINUOUS_QUERIES}), which would freeze this node's view
 * of the map and its guards. Each watched query's listener names itself with a token in Ignite's view of continuous
 * queries; every {@link #CHECK_EVERY_MS} ms the watch looks for the tokens, and a query that is gone is opened again by
 * its owner, which catches up on what it missed. Not API.
 */
public final class QueryWatch implements AutoCloseable {
    /** How often the queries are looked for, ms. */
    static final long CHECK_EVERY_MS = 500;

    private final Ignite ignite;
    private final IgniteLogger log;
    private final ScheduledExecutorService executor;
    private final Map<String, Runnable> watched = new ConcurrentHashMap<>();

    public QueryWatch(Ignite ignite, IgniteLogger log) {
        this.ignite = ignite;
        this.log = log;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fabric-query-watch-" + ignite.name());
            t.setDaemon(true);
            return t;
        });
        executor.scheduleWithFixedDelay(this::check, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
    }

    /** A token for a query about {@code what}, unique on this node. */
    public static String token(String what) {
        return "fabric-stitch " + what + " " + UUID.randomUUID();
    }

    /** {@code listener}, named {@code token} in Ignite's view of continuous queries. */
    public static <K, V> CacheEntryUpdatedListener<K, V> named(String token, CacheEntryUpdatedListener<K, V> listener) {
        return new Named<>(token, listener);
    }

    /**
     * Opens a continuous query on {@code cache} whose listener is named {@code token} and tells {@code onChange} of
     * every change (a removed or expired row as null). With {@code known} (null: no initial scan) it then hands
     * {@code onChange} every row there now, and every key of {@code known} no longer there as removed: the start of a
     * view ({@code known} empty), or an owner catching up on what it missed while its query was stopped.
     */
    public static <K, V> QueryCursor<Cache.Entry<K, V>> follow(IgniteCache<K, V> cache, String token,
        RowListener<K, V> onChange, Collection<K> known) {
        ContinuousQuery<K, V> q = new ContinuousQuery<>();
        if (known != null)
            q.setInitialQuery(new ScanQuery<>());
        q.setLocalListener(named(token, events -> {
            for (CacheEntryEvent<? extends K, ? extends V> e : events) {
                boolean gone = e.getEventType() == EventType.REMOVED || e.getEventType() == EventType.EXPIRED;
                onChange.onRow(e.getKey(), gone ? null : e.getValue(), e.getEventType() == EventType.EXPIRED);
            }
        }));
        QueryCursor<Cache.Entry<K, V>> c = cache.query(q);
        if (known == null)
            return c;
        try {
            Set<K> missing = new HashSet<>(known);
            for (Cache.Entry<K, V> e : c) {
                missing.remove(e.getKey());
                onChange.onRow(e.getKey(), e.getValue(), false);
            }
            for (K k : missing) // removed while no query listened
                onChange.onRow(k, null, false);
        }
        catch (RuntimeException e) {
            c.close(); // a query left open under this token would be taken for the live one and never reopened
            throw e;
        }
        return c;
    }

    /** Runs {@code reopen} (on the watch's thread) whenever the query named {@code token} is found gone. */
    public void watch(String token, Runnable reopen) {
        watched.put(token, reopen);
    }

    /** Stops watching {@code token} (its owner closed it). */
    public void unwatch(String token) {
        watched.remove(token);
    }

    void check() {
        // A stopping node closes its queries itself: nothing to reopen then.
        if (watched.isEmpty() || ((IgniteEx)ignite).context().isStopping())
            return;
        try {
            Set<String> live = liveListeners();
            for (Map.Entry<String, Runnable> e : watched.entrySet()) {
                if (live.contains(e.getKey()) || !watched.containsKey(e.getKey()))
                    continue;
                log.warning("Fabric Stitch: continuous query '" + e.getKey() + "' of node "
                    + ignite.cluster().localNode().consistentId() + " was stopped by someone else (KILL CONTINUOUS "
                    + "from a SQL client?); opening it again");
                e.getValue().run();
            }
        }
        catch (RuntimeException e) {
            log.warning("Fabric Stitch: could not check this node's continuous queries (retried): " + e);
        }
    }

    private Set<String> liveListeners() {
        UUID local = ignite.cluster().localNode().id();
        SystemView<ContinuousQueryView> view = ((IgniteEx)ignite).context().systemView()
            .view(GridContinuousProcessor.CQ_SYS_VIEW);
        Set<String> live = new HashSet<>();
        for (ContinuousQueryView q : view) {
            if (local.equals(q.nodeId()) && q.localListener() != null)
                live.add(q.localListener());
        }
        return live;
    }

    @Override
    public void close() {
        watched.clear();
        executor.shutdownNow();
    }

    /** A listener whose string is its token. */
    private static final class Named<K, V> implements CacheEntryUpdatedListener<K, V> {
        private final String token;
        private final CacheEntryUpdatedListener<K, V> listener;

        Named(String token, CacheEntryUpdatedListener<K, V> listener) {
            this.token = token;
            this.listener = listener;
        }

        @Override
        public void onUpdated(Iterable<CacheEntryEvent<? extends K, ? extends V>> events) {
            listener.onUpdated(events);
        }

        @Override
        public String toString() {
            return token;
        }
    }
}
