package io.fabricstitch.ignite.internal;

import static io.fabricstitch.ignite.FabricMapSchema.AGENT_HEARTBEAT_CACHE;
import static io.fabricstitch.ignite.FabricMapSchema.AGENT_HEARTBEAT_TABLE;
import static io.fabricstitch.ignite.FabricMapSchema.FABRIC_ENTRY_TABLE;
import static io.fabricstitch.ignite.FabricMapSchema.FABRIC_FUNCTION_CACHE;
import static io.fabricstitch.ignite.FabricMapSchema.FABRIC_FUNCTION_TABLE;
import static io.fabricstitch.ignite.FabricMapSchema.FABRIC_MAP_CACHE;
import static io.fabricstitch.ignite.FabricMapSchema.SCHEMA;

import io.fabricstitch.model.FabricEntry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Function;
import javax.cache.Cache;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.configuration.CacheConfiguration;

/**
 * Reads and writes the Fabric Map: {@code FABRIC.FABRIC_ENTRY} and {@code FABRIC.FABRIC_FUNCTION}, two REPLICATED
 * caches, so every server answers SQL on the whole map locally. The caches are ATOMIC: every change is a single-row
 * update (an entry processor where it depends on the row), which Ignite remaps by itself when a node leaves mid-update,
 * where a transaction would roll back. A node's function rows are written before its entries and stale ones removed
 * after, so a JOIN never finds an entry without the functions it names; after the node joined, a function row is
 * written only when it changed (see {@link #report}). An entry row too is written only when something its readers use
 * changes; the agent's liveness goes to {@code FABRIC.AGENT_HEARTBEAT}, one row per node ({@link #beat}). Not API.
 */
public final class FabricMapStore {
    /** Partitions of the heartbeat cache (Ignite's default for a replicated cache is 512). */
    static final int HEARTBEAT_PARTITIONS = 16;

    private final Ignite ignite;
    private IgniteCache<UUID, FabricRow> entries;
    private IgniteCache<String, FabricFunctionRow> functions;
    private IgniteCache<UUID, HeartbeatRow> heartbeats;
    private volatile HeartbeatRow lastBeat;
    /**
     * The function rows this store last wrote, per fabric of this node (guards {@link #publish} and {@link #report},
     * the only writers of function rows): a report writes a fabric's rows only when they differ from these.
     */
    private final Map<UUID, Map<String, FabricFunctionRow>> written = new java.util.concurrent.ConcurrentHashMap<>();
    /** The entry rows this store last wrote, per fabric of this node: what its agent holds the map to. */
    private final Map<UUID, FabricRow> reported = new java.util.concurrent.ConcurrentHashMap<>();

    public FabricMapStore(Ignite ignite) {
        this.ignite = ignite;
    }

    /** Configuration of the cache behind {@code FABRIC.FABRIC_ENTRY}. */
    public static CacheConfiguration<UUID, FabricRow> entryCacheConfiguration() {
        return FabricCaches.replicated(new CacheConfiguration<UUID, FabricRow>(FABRIC_MAP_CACHE),
            new QueryEntity(UUID.class, FabricRow.class).setTableName(FABRIC_ENTRY_TABLE));
    }

    /** Configuration of the cache behind {@code FABRIC.FABRIC_FUNCTION}. */
    public static CacheConfiguration<String, FabricFunctionRow> functionCacheConfiguration() {
        return FabricCaches.replicated(
            new CacheConfiguration<String, FabricFunctionRow>(FABRIC_FUNCTION_CACHE),
            new QueryEntity(String.class, FabricFunctionRow.class).setTableName(FABRIC_FUNCTION_TABLE));
    }

    /** Configuration of the cache behind {@code FABRIC.AGENT_HEARTBEAT}. */
    public static CacheConfiguration<UUID, HeartbeatRow> heartbeatCacheConfiguration() {
        // One row per server: a few partitions keep its share of every partition exchange small.
        return FabricCaches.replicated(new CacheConfiguration<UUID, HeartbeatRow>(AGENT_HEARTBEAT_CACHE)
            .setAffinity(new org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction(false,
                HEARTBEAT_PARTITIONS)),
            new QueryEntity(UUID.class, HeartbeatRow.class).setTableName(AGENT_HEARTBEAT_TABLE));
    }

    /** Creates the caches if this is the first node, or joins them. */
    public FabricMapStore open() {
        FabricCaches.registerRowTypes(ignite); // the first store a node opens: every row type before any query
        entries = ignite.getOrCreateCache(entryCacheConfiguration());
        functions = ignite.getOrCreateCache(functionCacheConfiguration());
        heartbeats = ignite.getOrCreateCache(heartbeatCacheConfiguration());
        return this;
    }

    /**
     * Writes a node's fabrics and their functions, replacing what earlier runs of the same devices reported (a
     * restarted node keeps its fabric ids).
     */
    public void publish(List<FabricEntry> fabrics, String nodeName) {
        synchronized (written) {
            Map<UUID, FabricRow> rows = new TreeMap<>();
            Map<UUID, Map<String, FabricFunctionRow>> fnRows = new HashMap<>();
            Map<String, FabricFunctionRow> puts = new TreeMap<>();
            for (FabricEntry e : fabrics) {
                rows.put(e.getFabricId(), FabricRow.of(e, nodeName));
                Map<String, FabricFunctionRow> mine = functionRowsOf(e);
                fnRows.put(e.getFabricId(), mine);
                puts.putAll(mine);
            }
            Set<String> stale = new TreeSet<>(functionKeysOf(rows.keySet()));
            stale.removeAll(puts.keySet());
            reported.clear();
            reported.putAll(rows);
            written.clear();
            written.putAll(fnRows);
            functions.putAll(puts);
            entries.putAll(rows);
            functions.removeAll(stale);
        }
    }

    /** The function rows of {@code e}, by cache key. */
    private static Map<String, FabricFunctionRow> functionRowsOf(FabricEntry e) {
        Map<String, FabricFunctionRow> rows = new TreeMap<>();
        for (String fn : e.getFunctions().keySet()) {
            FabricFunctionRow r = FabricFunctionRow.of(e, fn);
            rows.put(r.key(), r);
        }
        return rows;
    }

    private List<String> functionKeysOf(Set<UUID> fabricIdSet) {
        Set<UUID> fabricIds = new HashSet<>(fabricIdSet); // serializable copy: the filter may travel to another node
        List<String> keys = new ArrayList<>();
        for (Cache.Entry<String, FabricFunctionRow> e : functions.query(
            new ScanQuery<String, FabricFunctionRow>((k, v) -> fabricIds.contains(v.fabricId())))) {
            keys.add(e.getKey());
        }
        return keys;
    }

    /**
     * An agent's report of its fabrics at {@code at}, rows of this node in the map read here (a server node holds the
     * whole replicated map). See {@link #report(List, String, java.time.Instant, Function)}.
     */
    public int report(List<FabricEntry> fabrics, String nodeName, java.time.Instant at) {
        return report(fabrics, nodeName, at, id -> entries.localPeek(id));
    }

    /**
     * An agent's report of its fabrics at {@code at}: a fabric's row is written, with {@code UPDATED_AT = at}, only when
     * what the agent owns (status, reason, model, speed ...) differs from the row the map holds now ({@code inMap}: a
     * fabric first reported, a change, or a row someone else marked, as the orchestrator marks a silent agent's); a
     * report that changes nothing writes no row (liveness is {@link #beat}). The orchestrator's free units are kept
     * (see {@link ReportFabric}).
     * <p>
     * A fabric's function rows are written only when they differ from what this store last wrote for it (an
     * implementation, runtime or speed changed, as when the agent measured a speed; a function came or went): new and
     * changed rows before the entries, rows of functions no longer run removed after them. A report that changes no
     * function writes no function row. A fabric this store has not written yet (one found after its node joined)
     * gets all its rows, and those of an earlier run of the same device that it no longer runs are removed.
     *
     * @return how many entry rows were written
     */
    public int report(List<FabricEntry> fabrics, String nodeName, java.time.Instant at,
        Function<UUID, FabricRow> inMap) {
        synchronized (written) {
            Map<UUID, ReportFabric> updates = new TreeMap<>();
            java.sql.Timestamp ts = java.sql.Timestamp.from(at);
            for (FabricEntry e : fabrics) {
                FabricRow row = FabricRow.of(e, nodeName);
                FabricRow now = inMap.apply(e.getFabricId());
                FabricRow last = reported.get(e.getFabricId());
                // Changed since this store wrote it, or changed in the map by someone else; a row the reader has not
                // seen yet (its view lags behind a join) but this store wrote as it is now needs no second write.
                boolean changed = last == null || !row.sameAsReported(last);
                if (changed || now != null && !row.sameAsReported(now))
                    updates.put(e.getFabricId(), new ReportFabric(row.withUpdatedAt(ts)));
            }
            FunctionChanges changes = functionChanges(fabrics);
            // What the guards hold the map to is set before the writes, so they never take these for foreign ones.
            written.putAll(changes.rows);
            updates.forEach((id, u) -> reported.put(id, u.reported()));
            try {
                if (!changes.puts.isEmpty())
                    functions.putAll(changes.puts);
                if (!updates.isEmpty())
                    entries.invokeAll(updates);
                if (!changes.stale.isEmpty())
                    functions.removeAll(changes.stale);
            }
            catch (RuntimeException e) {
                changes.rows.keySet().forEach(written::remove); // not written: the next report writes them whole
                throw e;
            }
            return updates.size();
        }
    }

    /** Writes the heartbeat of a node's agent: one row per node, whatever the number of its fabrics. */
    public void beat(HeartbeatRow row) {
        lastBeat = row; // first: the guard that sees the put compares it with this
        heartbeats.put(row.nodeId(), row);
    }

    /** The heartbeat this store last wrote, or null before the first: what the map's guard puts back. */
    public HeartbeatRow writtenHeartbeat() {
        return lastBeat;
    }

    /** The latest report time of {@code nodeId}'s agent (epoch ms) as this node holds it, or 0 when none is known. */
    public long lastReportMillis(UUID nodeId) {
        HeartbeatRow r = heartbeats.localPeek(nodeId);
        return r == null ? 0 : r.lastReportMillis();
    }

    /** Removes the heartbeat rows of the nodes {@code gone} accepts (departed nodes). */
    public void removeHeartbeats(java.util.function.Predicate<UUID> gone) {
        Set<UUID> keys = new TreeSet<>();
        for (Cache.Entry<UUID, HeartbeatRow> e : heartbeats.localEntries())
            if (gone.test(e.getKey()))
                keys.add(e.getKey());
        if (!keys.isEmpty())
            heartbeats.removeAll(keys);
    }

    /** The cache behind {@code AGENT_HEARTBEAT}. */
    public IgniteCache<UUID, HeartbeatRow> heartbeatCache() {
        return heartbeats;
    }

    /** The row this store last wrote for {@code fabricId}, or null when it is no fabric of this node. */
    public FabricRow reportedRow(UUID fabricId) {
        return reported.get(fabricId);
    }

    /**
     * The function row this store last wrote under {@code key} ({@code fabricId/function}), or null. Takes no lock:
     * it is read by continuous-query listeners, which must not wait for a writer that waits for the cache.
     */
    public FabricFunctionRow writtenFunction(String key) {
        UUID fabricId = FabricFunctionRow.fabricOf(key);
        Map<String, FabricFunctionRow> rows = fabricId == null ? null : written.get(fabricId);
        return rows == null ? null : rows.get(key);
    }

    /**
     * Writes {@code row} back as this node's agent reported it, with its report time (a restore is no heartbeat),
     * keeping the orchestrator's free units.
     */
    public void restore(FabricRow row) {
        entries.invoke(row.fabricId(), new ReportFabric(row));
    }

    /** What {@code fabrics} change in the function rows against what this store wrote last. */
    private FunctionChanges functionChanges(List<FabricEntry> fabrics) {
        FunctionChanges c = new FunctionChanges();
        Set<UUID> unknown = new HashSet<>();
        for (FabricEntry e : fabrics) {
            Map<String, FabricFunctionRow> rows = functionRowsOf(e);
            Map<String, FabricFunctionRow> last = written.get(e.getFabricId());
            if (rows.equals(last))
                continue;
            c.rows.put(e.getFabricId(), rows);
            rows.forEach((k, r) -> {
                if (last == null || !r.equals(last.get(k)))
                    c.puts.put(k, r);
            });
            if (last == null)
                unknown.add(e.getFabricId());
            else
                last.keySet().stream().filter(k -> !rows.containsKey(k)).forEach(c.stale::add);
        }
        if (!unknown.isEmpty()) { // rows of an earlier run of these devices may linger: one scan finds them
            for (String k : functionKeysOf(unknown)) {
                if (!c.puts.containsKey(k))
                    c.stale.add(k);
            }
        }
        return c;
    }

    /** Function rows to put and to remove, and each changed fabric's rows once they are written. */
    private static final class FunctionChanges {
        final Map<String, FabricFunctionRow> puts = new TreeMap<>();
        final Set<String> stale = new TreeSet<>();
        final Map<UUID, Map<String, FabricFunctionRow>> rows = new HashMap<>();
    }

    /**
     * Applies {@code marks} (by fabric id) in one batch: the fabrics of one silent agent, however many.
     *
     * @return the fabric ids whose row changed
     */
    public Set<UUID> markSilent(Map<UUID, MarkSilent> marks) {
        Set<UUID> changed = new TreeSet<>();
        entries.invokeAll(new TreeMap<>(marks)).forEach((id, r) -> {
            if (Boolean.TRUE.equals(r.get()))
                changed.add(id);
        });
        return changed;
    }

    /** Fabric id and node id of every row not OFFLINE. */
    public Map<UUID, UUID> nodesOfRowsNotOffline() {
        Map<UUID, UUID> found = new HashMap<>();
        List<List<?>> rows = entries.query(new SqlFieldsQuery("SELECT FABRIC_ID, NODE_ID FROM " + SCHEMA + '.'
            + FABRIC_ENTRY_TABLE + " WHERE STATUS <> 'OFFLINE'")).getAll();
        for (List<?> r : rows)
            found.put((UUID)r.get(0), (UUID)r.get(1));
        return found;
    }

    /** Sets the free resource units of {@code fabricId}, if its row exists. */
    public void setFree(UUID fabricId, long free) {
        entries.invoke(fabricId, new SetResourceFree(free));
    }

    /** The cache behind {@code FABRIC_ENTRY}. */
    public IgniteCache<UUID, FabricRow> entryCache() {
        return entries;
    }

    /** The cache behind {@code FABRIC_FUNCTION}. */
    public IgniteCache<String, FabricFunctionRow> functionCache() {
        return functions;
    }

    /** Marks {@code fabricId} OFFLINE with {@code reason} if its row still names {@code nodeId}; true if it did. */
    public boolean markOffline(UUID fabricId, UUID nodeId, String reason, long atMillis) {
        Boolean changed = entries.invoke(fabricId, new MarkNodeOffline(nodeId, reason, atMillis));
        return Boolean.TRUE.equals(changed);
    }
}
