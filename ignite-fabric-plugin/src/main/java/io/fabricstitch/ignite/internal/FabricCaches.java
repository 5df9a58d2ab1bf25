package io.fabricstitch.ignite.internal;

import static io.fabricstitch.ignite.FabricMapSchema.SCHEMA;

import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cache.CacheAtomicityMode;
import org.apache.ignite.cache.CacheMode;
import org.apache.ignite.cache.CacheWriteSynchronizationMode;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.configuration.CacheConfiguration;

/**
 * What every Fabric Stitch cache has in common: REPLICATED (every server answers SQL locally), ATOMIC (single-row
 * updates that Ignite remaps by itself when a node leaves mid-update), FULL_SYNC (a write returns once every server
 * holds it), one SQL table in schema {@code FABRIC}. Not API.
 */
final class FabricCaches {
    private FabricCaches() {
    }

    /** {@code cfg} made a replicated Fabric Stitch cache holding the table {@code entity}. */
    static <K, V> CacheConfiguration<K, V> replicated(CacheConfiguration<K, V> cfg, QueryEntity entity) {
        return cfg.setCacheMode(CacheMode.REPLICATED)
            .setAtomicityMode(CacheAtomicityMode.ATOMIC)
            .setWriteSynchronizationMode(CacheWriteSynchronizationMode.FULL_SYNC)
            .setSqlSchema(SCHEMA)
            .setQueryEntities(List.of(entity));
    }

    /** One instance of each row type the caches store. */
    static final List<Object> ROW_SAMPLES = List.of(new FabricRow(), new FabricFunctionRow(), new LatencyRow(),
        new AgentRow(), new ReservationRow(), new AssignmentRow(), new HeartbeatRow());

    /**
     * Registers the binary type, with its one schema, of every row the caches store, before the node opens its
     * continuous queries. Ignite registers a type at its first write otherwise, through a discovery message; a node
     * that then indexes a row of that type waits for the message while holding its continuous-query lock, and a node
     * joining at that moment registers its continuous queries in the discovery thread, which waits for that lock: a
     * deadlock we saw when the first latency row was written as a node joined. Registered here, the type is known
     * before any write (a no-op on every node after the first).
     */
    static void registerRowTypes(Ignite ignite) {
        for (Object sample : ROW_SAMPLES)
            ignite.binary().toBinary(sample);
    }

    /** Closes continuous-query cursors; a failure (the node is stopping) is logged at DEBUG. */
    static void closeAll(List<QueryCursor<?>> cursors, IgniteLogger log, String what) {
        for (QueryCursor<?> c : cursors) {
            try {
                c.close();
            }
            catch (RuntimeException e) {
                if (log.isDebugEnabled())
                    log.debug("Fabric Stitch: closing " + what + " failed (node stopping?): " + e);
            }
        }
        cursors.clear();
    }
}
