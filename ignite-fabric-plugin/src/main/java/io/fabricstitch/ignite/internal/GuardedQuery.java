package io.fabricstitch.ignite.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cache.query.QueryCursor;

/**
 * The continuous query that feeds a {@link RowGuard} the changes of one table it owns rows of, opened again by a
 * {@link QueryWatch} when someone else stops it; the guard then looks again at every row there and every row its owner
 * wrote. Not API.
 *
 * @param <K> the cache key
 * @param <V> the row
 */
final class GuardedQuery<K, V> implements AutoCloseable {
    private final IgniteCache<K, V> cache;
    private final RowListener<K, V> guard;
    private final Supplier<Collection<K>> owned;
    private final String token;
    private final IgniteLogger log;
    private QueryCursor<?> cursor;
    private QueryWatch watch;
    private boolean closed;

    /**
     * @param owned the keys whose rows the owner wrote: looked at again after a reopen, present or not
     */
    GuardedQuery(IgniteCache<K, V> cache, String what, RowListener<K, V> guard, Supplier<Collection<K>> owned,
        IgniteLogger log) {
        this.cache = cache;
        this.guard = guard;
        this.owned = owned;
        this.token = QueryWatch.token(what);
        this.log = log;
    }

    /** Opens the query (without looking at the rows already there) and has {@code watch}, if any, keep it open. */
    GuardedQuery<K, V> open(QueryWatch watch) {
        follow(false);
        this.watch = watch;
        if (watch != null)
            watch.watch(token, () -> follow(true));
        return this;
    }

    private synchronized void follow(boolean catchUp) {
        if (closed)
            return;
        QueryCursor<?> old = cursor;
        cursor = QueryWatch.follow(cache, token, guard, catchUp ? owned.get() : null);
        close(old);
    }

    private void close(QueryCursor<?> c) {
        if (c != null)
            FabricCaches.closeAll(new ArrayList<>(List.of(c)), log, "a guard's query");
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (watch != null)
            watch.unwatch(token);
        close(cursor);
        cursor = null;
    }
}
