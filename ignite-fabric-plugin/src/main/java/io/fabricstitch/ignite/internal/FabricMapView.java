package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FunctionImplementation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cache.query.QueryCursor;

/**
 * A node-local, always-current copy of the Fabric Map, kept by continuous queries on its two caches, so that the
 * orchestrator and the load balancer read it in memory instead of querying per task. Counts two versions: any change,
 * and changes other than load (free units), which is what a scheduler's candidate table depends on. A function row
 * that changed (another implementation, runtime or speed) is a change of structure: selection weighs per-function
 * speeds. A heartbeat (a row whose report time alone moved) changes neither: {@link #rows()} shows it,
 * {@link #entries()} keeps its snapshot. Not API.
 */
public final class FabricMapView implements AutoCloseable {
    private final IgniteLogger log;
    private final Map<UUID, FabricRow> rows = new ConcurrentHashMap<>();
    /** How each fabric runs each of its functions, by fabric and function name. */
    private final Map<UUID, Map<String, FunctionImplementation>> functions = new ConcurrentHashMap<>();
    private final AtomicLong version = new AtomicLong();
    private final AtomicLong structureVersion = new AtomicLong();
    private final Map<String, QueryCursor<?>> cursors = new ConcurrentHashMap<>();
    private final String entryToken = QueryWatch.token("FABRIC_ENTRY view");
    private final String functionToken = QueryWatch.token("FABRIC_FUNCTION view");
    private IgniteCache<UUID, FabricRow> entryCache;
    private IgniteCache<String, FabricFunctionRow> functionCache;
    private volatile Snapshot snapshot = new Snapshot(-1, List.of());
    private final List<RowListener<UUID, FabricRow>> entryListeners = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final List<RowListener<String, FabricFunctionRow>> functionListeners =
        new java.util.concurrent.CopyOnWriteArrayList<>();
    private volatile java.util.function.Predicate<UUID> placeableNode = id -> true;
    private volatile SettledEntries settler;

    public FabricMapView(IgniteLogger log) {
        this.log = log;
    }

    /**
     * Rows naming a node that {@code test} does not accept (no live server node) reach {@link #entries()} as OFFLINE:
     * a row written for a node that is not there is never placed on. Rows are judged when the map changes.
     */
    public FabricMapView placeableNodes(java.util.function.Predicate<UUID> test) {
        placeableNode = test;
        changed(true);
        return this;
    }

    /**
     * Holds back what others than the agents may have written: a changed fabric reaches {@link #entries()} once the
     * change has stood for {@link SettledEntries#GRACE_MS} (its agent undoes a foreign change sooner), except load, a
     * worse status and a fabric its node announced when it joined ({@code announced}: node id, fabric id).
     */
    public FabricMapView settledBy(java.util.function.BiPredicate<UUID, UUID> announced) {
        settler = new SettledEntries(announced);
        changed(true);
        return this;
    }

    /** Tells {@code l} of every change of {@code FABRIC_ENTRY} from now on. */
    public void addEntryListener(RowListener<UUID, FabricRow> l) {
        entryListeners.add(l);
    }

    /** Tells {@code l} of every change of {@code FABRIC_FUNCTION} from now on. */
    public void addFunctionListener(RowListener<String, FabricFunctionRow> l) {
        functionListeners.add(l);
    }

    /** A node joined or left: rows are judged again (a departed node's fabrics are no longer placed on). */
    public void nodesChanged() {
        changed(true);
    }

    /** Stops telling {@code l}. */
    public void removeListener(RowListener<?, ?> l) {
        entryListeners.remove(l);
        functionListeners.remove(l);
    }

    /** Starts following the caches; returns once their current content is loaded. */
    public FabricMapView open(IgniteCache<UUID, FabricRow> entries, IgniteCache<String, FabricFunctionRow> fns) {
        this.entryCache = entries;
        this.functionCache = fns;
        followFunctions();
        followEntries();
        return this;
    }

    /** Has {@code watch} open this view's queries again when someone else stops them; the view then catches up. */
    public FabricMapView watchedBy(QueryWatch watch) {
        watch.watch(functionToken, this::followFunctions);
        watch.watch(entryToken, this::followEntries);
        return this;
    }

    private synchronized void followFunctions() {
        List<String> known = new ArrayList<>();
        functions.forEach((id, fns) -> fns.keySet().forEach(fn -> known.add(FabricFunctionRow.key(id, fn))));
        closeQuietly(cursors.put(functionToken, QueryWatch.follow(functionCache, functionToken, this::onFunction,
            known)));
    }

    private synchronized void followEntries() {
        closeQuietly(cursors.put(entryToken, QueryWatch.follow(entryCache, entryToken, this::onEntry,
            new ArrayList<>(rows.keySet()))));
    }

    private void closeQuietly(QueryCursor<?> c) {
        if (c != null)
            FabricCaches.closeAll(new ArrayList<>(List.of(c)), log, "a stopped Fabric Map query");
    }

    private void onEntry(UUID key, FabricRow row, boolean expired) {
        if (row == null) {
            if (rows.remove(key) != null)
                changed(true);
        }
        else
            putRow(key, row);
        for (RowListener<UUID, FabricRow> l : entryListeners)
            l.onRow(key, row, expired);
    }

    private void putRow(UUID key, FabricRow row) {
        FabricRow old = rows.put(key, row);
        if (old != null && old.sameExceptReportTime(row))
            return; // a heartbeat: the live row has its new time, snapshots and schedulers need not change
        changed(old == null || !old.sameExceptLoad(row));
    }

    private void onFunction(String key, FabricFunctionRow row, boolean expired) {
        if (row == null)
            removeFunction(key);
        else
            addFunction(row);
        for (RowListener<String, FabricFunctionRow> l : functionListeners)
            l.onRow(key, row, expired);
    }

    private void removeFunction(String key) {
        UUID fabricId = FabricFunctionRow.fabricOf(key);
        if (fabricId != null) {
            Map<String, FunctionImplementation> fns = functions.get(fabricId);
            if (fns != null && fns.remove(key.substring(key.indexOf('/') + 1)) != null)
                changed(true);
        }
    }

    private void addFunction(FabricFunctionRow row) {
        FunctionImplementation impl;
        try {
            impl = row.implementation();
        }
        catch (IllegalArgumentException ex) {
            log.warning("Fabric Stitch: Fabric Map function row " + row + " is unreadable (" + ex.getMessage()
                + "); taken as run in Java at the fabric's speed");
            impl = FunctionImplementation.unspecified();
        }
        FunctionImplementation old = functions.computeIfAbsent(row.fabricId(), k -> new ConcurrentHashMap<>())
            .put(row.functionName(), impl);
        if (!Objects.equals(old, impl))
            changed(true);
    }

    private long changed(boolean structure) {
        long v = version.incrementAndGet();
        if (structure)
            structureVersion.incrementAndGet();
        return v;
    }

    /** Increases on every change of the map. */
    public long version() {
        return version.get();
    }

    /** Increases on every change other than a fabric's free units. */
    public long structureVersion() {
        SettledEntries settling = settler;
        if (settling != null && settling.due(System.nanoTime()))
            entries(); // a held-back change has stood long enough: a new structure
        return structureVersion.get();
    }

    /** Every row now (a live view; rows are immutable once read). */
    public java.util.Collection<FabricRow> rows() {
        return java.util.Collections.unmodifiableCollection(rows.values());
    }

    /** The row of a fabric, or null. */
    public FabricRow row(UUID fabricId) {
        return rows.get(fabricId);
    }

    /**
     * Every fabric with its functions, as of the latest change (OFFLINE where {@link #placeableNodes} refuses its
     * node); rebuilt only when the map changed.
     */
    public List<FabricEntry> entries() {
        Snapshot s = snapshot;
        SettledEntries settling = settler;
        if (s.version == version.get() && (settling == null || !settling.due(System.nanoTime())))
            return s.entries;
        return rebuild();
    }

    /** One rebuild at a time, so that an older list is never settled after a newer one. */
    private synchronized List<FabricEntry> rebuild() {
        Snapshot s = snapshot;
        SettledEntries settling = settler;
        boolean due = settling != null && settling.due(System.nanoTime());
        long v = version.get();
        if (s.version == v && !due)
            return s.entries;
        if (due)
            v = changed(true); // a held-back change is taken now: schedulers must rebuild their tables
        List<FabricEntry> list = new ArrayList<>(rows.size());
        java.util.function.Predicate<UUID> placeable = placeableNode;
        for (FabricRow r : rows.values()) {
            try {
                if (!placeable.test(r.nodeId()) && !FabricStatus.OFFLINE.name().equals(r.status()))
                    r = r.withStatus(FabricStatus.OFFLINE, "not confirmed by node " + r.nodeId() + ": no live "
                        + "server node has that id", r.updatedAt());
                list.add(r.toEntry(functions.getOrDefault(r.fabricId(), Map.of())));
            }
            catch (IllegalArgumentException ex) {
                log.warning("Fabric Stitch: skipping unreadable Fabric Map row " + r + ": " + ex.getMessage());
            }
        }
        List<FabricEntry> fixed = List.copyOf(settling == null ? list : settling.settle(list, System.nanoTime()));
        snapshot = new Snapshot(v, fixed);
        return fixed;
    }

    @Override
    public void close() {
        List<QueryCursor<?>> open = new ArrayList<>(cursors.values());
        cursors.clear();
        FabricCaches.closeAll(open, log, "a Fabric Map query");
    }

    private static final class Snapshot {
        final long version;
        final List<FabricEntry> entries;

        Snapshot(long version, List<FabricEntry> entries) {
            this.version = version;
            this.entries = entries;
        }
    }
}
