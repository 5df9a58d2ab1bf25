package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FunctionImplementation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
    private final List<QueryCursor<?>> cursors = new ArrayList<>();
    private volatile Snapshot snapshot = new Snapshot(-1, List.of());

    public FabricMapView(IgniteLogger log) {
        this.log = log;
    }

    /** Starts following the caches; returns once their current content is loaded. */
    public FabricMapView open(IgniteCache<UUID, FabricRow> entries, IgniteCache<String, FabricFunctionRow> fns) {
        ContinuousQuery<String, FabricFunctionRow> fq = new ContinuousQuery<>();
        fq.setInitialQuery(new ScanQuery<>());
        fq.setLocalListener(events -> events.forEach(this::onFunction));
        QueryCursor<Cache.Entry<String, FabricFunctionRow>> fc = fns.query(fq);
        cursors.add(fc);
        for (Cache.Entry<String, FabricFunctionRow> e : fc)
            addFunction(e.getValue());

        ContinuousQuery<UUID, FabricRow> eq = new ContinuousQuery<>();
        eq.setInitialQuery(new ScanQuery<>());
        eq.setLocalListener(events -> events.forEach(this::onEntry));
        QueryCursor<Cache.Entry<UUID, FabricRow>> ec = entries.query(eq);
        cursors.add(ec);
        for (Cache.Entry<UUID, FabricRow> e : ec)
            putRow(e.getKey(), e.getValue());
        return this;
    }

    private void onEntry(CacheEntryEvent<? extends UUID, ? extends FabricRow> e) {
        if (e.getEventType() == EventType.REMOVED || e.getEventType() == EventType.EXPIRED) {
            if (rows.remove(e.getKey()) != null)
                changed(true);
        }
        else
            putRow(e.getKey(), e.getValue());
    }

    private void putRow(UUID key, FabricRow row) {
        FabricRow old = rows.put(key, row);
        if (old != null && old.sameExceptReportTime(row))
            return; // a heartbeat: the live row has its new time, snapshots and schedulers need not change
        changed(old == null || !old.sameExceptLoad(row));
    }

    private void onFunction(CacheEntryEvent<? extends String, ? extends FabricFunctionRow> e) {
        if (e.getEventType() == EventType.REMOVED || e.getEventType() == EventType.EXPIRED) {
            String key = e.getKey();
            int slash = key.indexOf('/');
            if (slash > 0) {
                Map<String, FunctionImplementation> fns = functions.get(UUID.fromString(key.substring(0, slash)));
                if (fns != null && fns.remove(key.substring(slash + 1)) != null)
                    changed(true);
            }
        }
        else
            addFunction(e.getValue());
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

    private void changed(boolean structure) {
        version.incrementAndGet();
        if (structure)
            structureVersion.incrementAndGet();
    }

    /** Increases on every change of the map. */
    public long version() {
        return version.get();
    }

    /** Increases on every change other than a fabric's free units. */
    public long structureVersion() {
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

    /** Every fabric with its functions, as of the latest change; rebuilt only when the map changed. */
    public List<FabricEntry> entries() {
        Snapshot s = snapshot;
        long v = version.get();
        if (s.version == v)
            return s.entries;
        List<FabricEntry> list = new ArrayList<>(rows.size());
        for (FabricRow r : rows.values()) {
            try {
                list.add(r.toEntry(functions.getOrDefault(r.fabricId(), Map.of())));
            }
            catch (IllegalArgumentException ex) {
                log.warning("Fabric Stitch: skipping unreadable Fabric Map row " + r + ": " + ex.getMessage());
            }
        }
        List<FabricEntry> fixed = List.copyOf(list);
        snapshot = new Snapshot(v, fixed);
        return fixed;
    }

    @Override
    public void close() {
        FabricCaches.closeAll(cursors, log, "a Fabric Map query");
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
