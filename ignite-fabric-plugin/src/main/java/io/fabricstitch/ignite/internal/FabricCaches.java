package io.fabricstitch.ignite.internal;

import static io.fabricstitch.ignite.FabricMapSchema.SCHEMA;

import java.util.List;
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

    /** Closes continuous-query cursors; a failure (the node is stopping) is logged at DEBUG. */
    static void closeAll(List<QueryCursor<?>> cursors, IgniteLogger log, String what) {
        for (QueryCursor<?> c : cursors) {
            try {
                c.close();
            }
            catch (RuntimeException e) {
                log.debug("Fabric Stitch: closing " + what + " failed (node stopping?): " + e);
            }
        }
        cursors.clear();
    }
}
