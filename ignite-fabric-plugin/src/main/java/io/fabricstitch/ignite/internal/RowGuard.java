package io.fabricstitch.ignite.internal;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.apache.ignite.IgniteLogger;

/**
 * Keeps the rows one writer owns in one Fabric Map table as that writer wrote them: a row of its own changed or removed
 * by anyone else (a JDBC client, a thin client, a stray node) is written back, and a row that names this writer but
 * that it never wrote is removed, a moment ({@link #SETTLE_MS}) after the change is seen, once the writer's own
 * writes in flight have landed. Each such row is named in one WARNING a minute at most. Not API.
 *
 * @param <K> the cache key
 * @param <V> the row
 */
public final class RowGuard<K, V> implements RowListener<K, V> {
    /** Wait between seeing a foreign change and checking it again, ms: the owner's own writes in flight land first. */
    static final long SETTLE_MS = 150;

    /** What the owner of some rows of a table knows of them. */
    public interface Owner<K, V> {
        /** Whether this writer answers for {@code key}, whose row is {@code row} now (null: there is none). */
        boolean owns(K key, V row);

        /** The row this writer wrote for {@code key}, or null when it wrote none (then the row must not exist). */
        V expected(K key);

        /** Whether {@code row} is what the writer wrote as {@code expected} (fields others may change ignored). */
        boolean same(V expected, V row);

        /** Writes {@code expected} back. */
        void restore(K key, V expected);

        /** Removes a row that names this writer and that it never wrote. */
        void remove(K key);
    }

    /** An owner whose rows live in one cache: restored with a put, removed with a remove. */
    public abstract static class CacheOwner<K, V> implements Owner<K, V> {
        private final org.apache.ignite.IgniteCache<K, V> cache;

        protected CacheOwner(org.apache.ignite.IgniteCache<K, V> cache) {
            this.cache = cache;
        }

        @Override
        public void restore(K key, V expected) {
            cache.put(key, expected);
        }

        @Override
        public void remove(K key) {
            cache.remove(key);
        }
    }

    private final String table;
    private final String writer;
    private final Owner<K, V> owner;
    private final Function<K, V> current;
    private final ScheduledExecutorService executor;
    private final java.util.function.Consumer<Runnable> settle;
    private final IgniteLogger log;
    private final Set<K> pending = ConcurrentHashMap.newKeySet();
    private final RowWarnings warnings;
    private final AtomicLong healed = new AtomicLong();

    /**
     * @param table the SQL table, for the log
     * @param writer who owns the rows, for the log (e.g. {@code the agent of node slot-0})
     * @param current reads a row as the cache has it now (null: none)
     */
    public RowGuard(String table, String writer, Owner<K, V> owner, Function<K, V> current,
        ScheduledExecutorService executor, IgniteLogger log) {
        this(table, writer, owner, current, executor, Runnable::run, log);
    }

    /**
     * A guard whose second look runs through {@code settle} (e.g. after the owner's queued writes), not at once
     * after {@link #SETTLE_MS}.
     */
    public RowGuard(String table, String writer, Owner<K, V> owner, Function<K, V> current,
        ScheduledExecutorService executor, java.util.function.Consumer<Runnable> settle, IgniteLogger log) {
        this.settle = settle;
        this.warnings = new RowWarnings(table, log);
        this.table = table;
        this.writer = writer;
        this.owner = owner;
        this.current = current;
        this.executor = executor;
        this.log = log;
    }

    @Override
    public void onRow(K key, V row, boolean expired) {
        if (expired || !owner.owns(key, row) || matches(key, row))
            return;
        if (!pending.add(key))
            return;
        try {
            executor.schedule(() -> settle.accept(() -> check(key)), SETTLE_MS, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException stopping) {
            pending.remove(key);
        }
    }

    private boolean matches(K key, V row) {
        V expected = owner.expected(key);
        return expected == null ? row == null : row != null && owner.same(expected, row);
    }

    /** Looks at the row again and puts it right if it still is not what its writer wrote. */
    void check(K key) {
        pending.remove(key);
        try {
            V row = current.apply(key);
            if (!owner.owns(key, row) || matches(key, row))
                return;
            V expected = owner.expected(key);
            String what;
            if (expected == null) {
                owner.remove(key);
                what = "it names " + writer + ", which never wrote it: removed";
            }
            else {
                owner.restore(key, expected);
                what = (row == null ? "removed" : "changed") + " by a writer other than " + writer + ": restored";
            }
            healed.incrementAndGet();
            warnings.warn(key, what);
        }
        catch (RuntimeException e) {
            log.warning("Fabric Stitch: could not put " + table + " row " + key + " right (retried on its next "
                + "change): " + e);
        }
    }

    /** Rows put right so far. */
    public long healed() {
        return healed.get();
    }
}
