package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.FabricMapSchema;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.IgniteLogger;

/**
 * The guards of what one server node's agent wrote in the Fabric Map: its {@code FABRIC_ENTRY} and
 * {@code FABRIC_FUNCTION} rows, its {@code AGENT_HEARTBEAT} row, the {@code FABRIC_LATENCY} rows measured from it and
 * the {@code FABRIC_AGENT} rows it heard. Whatever anyone else changes or removes there is put back within {@link RowGuard#SETTLE_MS} of the change;
 * rows that name this node and that it never wrote are removed. While the agent's reports are silenced (an injected
 * fault), its rows are let be, as a hung agent would. A client node that measures its round trips to the servers'
 * agents guards its {@code FABRIC_LATENCY} rows alone ({@link #startLatencies}). Not API.
 */
public final class MapGuards implements AutoCloseable {
    private final ScheduledExecutorService executor;
    private final List<RowGuard<?, ?>> guards = new ArrayList<>();
    private final List<RowListener<?, ?>> viewListeners = new ArrayList<>();
    private final List<GuardedQuery<?, ?>> queries = new ArrayList<>();
    private final IgniteLogger log;
    private FabricMapView view;
    private LatencyView latencyView;

    public MapGuards(String nodeName, IgniteLogger log) {
        this.log = log;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fabric-map-guard-" + nodeName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Guards the rows of the agent of {@code ignite}'s local node, as {@code store} and {@code net} wrote them. */
    public MapGuards start(Ignite ignite, FabricMapStore store, AgentNetworkStore netStore, NetworkReporter net,
        FabricMapView view, LatencyView latencyView, QueryWatch watch, BooleanSupplier silenced) {
        UUID local = ignite.cluster().localNode().id();
        String nodeName = String.valueOf(ignite.cluster().localNode().consistentId());
        String writer = "the agent of node " + nodeName;
        this.view = view;
        this.latencyView = latencyView;

        IgniteCache<UUID, FabricRow> entries = store.entryCache();
        RowGuard<UUID, FabricRow> entryGuard = guard(FabricMapSchema.FABRIC_ENTRY_TABLE, writer,
            new RowGuard.Owner<UUID, FabricRow>() {
                @Override public boolean owns(UUID key, FabricRow row) {
                    // A row naming another live server is that node's agent's: two agents that report one fabric id
                    // (claims folder unusable) alternate at their reports, not at every write of the other.
                    if (silenced.getAsBoolean() || row != null && !local.equals(row.nodeId())
                        && ClusterNodes.isLiveServer(ignite, row.nodeId()))
                        return false;
                    return store.reportedRow(key) != null || row != null && local.equals(row.nodeId());
                }

                @Override public FabricRow expected(UUID key) {
                    return store.reportedRow(key);
                }

                @Override public boolean same(FabricRow expected, FabricRow row) {
                    // The orchestrator's silence mark is not foreign: the agent's next report clears it.
                    return expected.sameAsReported(row) || SilenceWatch.isSilenceMark(expected, row);
                }

                @Override public void restore(UUID key, FabricRow expected) {
                    store.restore(expected); // with its own report time: a restore is no sign of life
                }

                @Override public void remove(UUID key) {
                    entries.remove(key);
                }
            }, entries::get);
        view.addEntryListener(entryGuard);
        viewListeners.add(entryGuard);

        IgniteCache<String, FabricFunctionRow> functions = store.functionCache();
        RowGuard<String, FabricFunctionRow> functionGuard = guard(FabricMapSchema.FABRIC_FUNCTION_TABLE, writer,
            new RowGuard.CacheOwner<String, FabricFunctionRow>(functions) {
                @Override public boolean owns(String key, FabricFunctionRow row) {
                    UUID fabric = FabricFunctionRow.fabricOf(key);
                    return !silenced.getAsBoolean() && fabric != null && store.reportedRow(fabric) != null;
                }

                @Override public FabricFunctionRow expected(String key) {
                    return store.writtenFunction(key);
                }

                @Override public boolean same(FabricFunctionRow expected, FabricFunctionRow row) {
                    return expected.equals(row);
                }
            }, functions::get);
        view.addFunctionListener(functionGuard);
        viewListeners.add(functionGuard);

        guardLatencies(ignite, netStore, net, latencyView, writer);

        IgniteCache<UUID, AgentRow> agents = netStore.agentCache();
        RowGuard<UUID, AgentRow> agentGuard = guard(FabricMapSchema.FABRIC_AGENT_TABLE, writer,
            new RowGuard.CacheOwner<UUID, AgentRow>(agents) {
                @Override public boolean owns(UUID key, AgentRow row) {
                    // Every agent that hears a peer writes its row: each answers for the rows it signed as heardBy.
                    return !net.isSilent() && (row == null ? net.writtenAgent(key) != null
                        : nodeName.equals(row.heardBy()));
                }

                @Override public AgentRow expected(UUID key) {
                    return net.writtenAgent(key);
                }

                @Override public boolean same(AgentRow expected, AgentRow row) {
                    return sameBinary(ignite, expected, row);
                }
            }, agents::get);
        queries.add(new GuardedQuery<>(agents, "FABRIC_AGENT guard", agentGuard, net::writtenAgentKeys, log)
            .open(watch));

        // The heartbeat says the agent is alive: a forged LAST_REPORT would hide a hung agent from the silence watch.
        IgniteCache<UUID, HeartbeatRow> heartbeats = store.heartbeatCache();
        RowGuard<UUID, HeartbeatRow> heartbeatGuard = guard(FabricMapSchema.AGENT_HEARTBEAT_TABLE, writer,
            new RowGuard.CacheOwner<UUID, HeartbeatRow>(heartbeats) {
                @Override public boolean owns(UUID key, HeartbeatRow row) {
                    return !silenced.getAsBoolean() && local.equals(key);
                }

                @Override public HeartbeatRow expected(UUID key) {
                    return store.writtenHeartbeat();
                }

                @Override public boolean same(HeartbeatRow expected, HeartbeatRow row) {
                    return sameBinary(ignite, expected, row);
                }
            }, heartbeats::get);
        queries.add(new GuardedQuery<>(heartbeats, "AGENT_HEARTBEAT guard", heartbeatGuard, () -> List.of(local), log)
            .open(watch));
        return this;
    }

    /**
     * Guards only the {@code FABRIC_LATENCY} rows measured from {@code ignite}'s local node: a client node that
     * measures its round trips to the servers' agents, and may publish only those.
     */
    public MapGuards startLatencies(Ignite ignite, AgentNetworkStore netStore, NetworkReporter net,
        LatencyView latencyView) {
        this.latencyView = latencyView;
        guardLatencies(ignite, netStore, net, latencyView, "the latency probes of node "
            + ignite.cluster().localNode().consistentId());
        return this;
    }

    /**
     * Puts back the latency rows measured from the local node as {@code net} wrote them, and removes rows keyed or
     * marked as measured from it that it never wrote.
     */
    private void guardLatencies(Ignite ignite, AgentNetworkStore netStore, NetworkReporter net,
        LatencyView latencyView, String writer) {
        UUID local = ignite.cluster().localNode().id();
        IgniteCache<String, LatencyRow> latencies = netStore.latencyCache();
        RowGuard<String, LatencyRow> latencyGuard = guard(FabricMapSchema.FABRIC_LATENCY_TABLE, writer,
            new RowGuard.CacheOwner<String, LatencyRow>(latencies) {
                @Override public boolean owns(String key, LatencyRow row) {
                    // Rows to a node that left are removed by the membership watcher: not put back.
                    UUID to = LatencyRow.toNodeOf(key);
                    return !net.isSilent() && (to == null || ignite.cluster().node(to) != null)
                        && (net.writtenLatency(key) != null || row != null && local.equals(row.fromNode())
                        || key.startsWith(local + "/"));
                }

                @Override public LatencyRow expected(String key) {
                    return net.writtenLatency(key);
                }

                @Override public boolean same(LatencyRow expected, LatencyRow row) {
                    return sameBinary(ignite, expected, row);
                }
            }, latencies::get);
        latencyView.addListener(latencyGuard);
        viewListeners.add(latencyGuard);
    }

    private <K, V> RowGuard<K, V> guard(String table, String writer, RowGuard.Owner<K, V> owner,
        java.util.function.Function<K, V> current) {
        RowGuard<K, V> g = new RowGuard<>(table, writer, owner, current, executor, log);
        guards.add(g);
        return g;
    }

    /** Whether two rows hold the same values, field by field, as Ignite stores them. */
    static boolean sameBinary(Ignite ignite, Object a, Object b) {
        return Objects.equals(ignite.binary().toBinary(a), ignite.binary().toBinary(b));
    }

    /** Rows put right by this node so far. */
    public long healed() {
        return guards.stream().mapToLong(RowGuard::healed).sum();
    }

    @Override
    public void close() {
        for (RowListener<?, ?> l : viewListeners) {
            if (view != null)
                view.removeListener(l);
            if (latencyView != null)
                latencyView.removeListener(l);
        }
        queries.forEach(GuardedQuery::close);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
