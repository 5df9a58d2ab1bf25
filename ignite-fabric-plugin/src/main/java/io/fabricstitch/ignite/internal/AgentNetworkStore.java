package io.fabricstitch.ignite.internal;

import static io.fabricstitch.ignite.FabricMapSchema.FABRIC_AGENT_CACHE;
import static io.fabricstitch.ignite.FabricMapSchema.FABRIC_AGENT_TABLE;
import static io.fabricstitch.ignite.FabricMapSchema.FABRIC_LATENCY_CACHE;
import static io.fabricstitch.ignite.FabricMapSchema.FABRIC_LATENCY_TABLE;

import java.util.Collection;
import java.util.List;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.cache.Cache;
import javax.cache.expiry.Duration;
import javax.cache.expiry.ModifiedExpiryPolicy;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.QueryEntity;
import org.apache.ignite.cache.query.ScanQuery;
import org.apache.ignite.configuration.CacheConfiguration;

/**
 * The caches behind {@code FABRIC.FABRIC_LATENCY} (the measured latency matrix) and {@code FABRIC.FABRIC_AGENT}
 * (agents heard by beacon). Both REPLICATED and ATOMIC: every node reads them locally. Each node writes its own
 * measurements and what it hears. Not API.
 */
public final class AgentNetworkStore {
    /** A {@code FABRIC_AGENT} row not rewritten for this long expires, ms. */
    public static final long AGENT_ROW_EXPIRY_MS = 15_000;

    private final Ignite ignite;
    private IgniteCache<String, LatencyRow> latencies;
    private IgniteCache<UUID, AgentRow> agents;

    public AgentNetworkStore(Ignite ignite) {
        this.ignite = ignite;
    }

    /** Configuration of the cache behind {@code FABRIC_LATENCY}. */
    public static CacheConfiguration<String, LatencyRow> latencyCacheConfiguration() {
        return FabricCaches.replicated(new CacheConfiguration<String, LatencyRow>(FABRIC_LATENCY_CACHE),
            new QueryEntity(String.class, LatencyRow.class).setTableName(FABRIC_LATENCY_TABLE));
    }

    /** Configuration of the cache behind {@code FABRIC_AGENT}: rows expire unless rewritten. */
    public static CacheConfiguration<UUID, AgentRow> agentCacheConfiguration() {
        CacheConfiguration<UUID, AgentRow> cfg = FabricCaches.replicated(
            new CacheConfiguration<UUID, AgentRow>(FABRIC_AGENT_CACHE),
            new QueryEntity(UUID.class, AgentRow.class).setTableName(FABRIC_AGENT_TABLE));
        cfg.setExpiryPolicyFactory(ModifiedExpiryPolicy.factoryOf(new Duration(TimeUnit.MILLISECONDS,
            AGENT_ROW_EXPIRY_MS)));
        cfg.setEagerTtl(true);
        return cfg;
    }

    /** Creates the caches if this is the first node, or joins them. */
    public AgentNetworkStore open() {
        latencies = ignite.getOrCreateCache(latencyCacheConfiguration());
        agents = ignite.getOrCreateCache(agentCacheConfiguration());
        return this;
    }

    public IgniteCache<String, LatencyRow> latencyCache() {
        return latencies;
    }

    /** The cache behind {@code FABRIC_AGENT}. */
    public IgniteCache<UUID, AgentRow> agentCache() {
        return agents;
    }

    public void putLatency(LatencyRow row) {
        latencies.put(LatencyRow.key(row.fromNode(), row.toNode()), row);
    }

    public void removeLatencies(Collection<String> keys) {
        latencies.removeAll(new TreeSet<>(keys));
    }

    public void putAgent(AgentRow row) {
        agents.put(row.nodeId(), row);
    }

    /** Removes every latency row from or to {@code nodeId} (it left the cluster). */
    public void removeNode(UUID nodeId) {
        TreeSet<String> keys = new TreeSet<>();
        for (Cache.Entry<String, LatencyRow> e : latencies.query(new ScanQuery<String, LatencyRow>()))
            if (nodeId.equals(e.getValue().fromNode()) || nodeId.equals(e.getValue().toNode()))
                keys.add(e.getKey());
        latencies.removeAll(keys);
    }
}
