package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.FabricMapSchema;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.Event;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * Keeps the map honest about membership: when a server node leaves or fails, the oldest surviving server turns that
 * node's fabrics OFFLINE with a reason (rows are kept, so the fabric ids stay known and turn ONLINE again when the node
 * returns with the same devices) and removes the latency rows from and to it; when a client node leaves, the latency
 * rows from and to it go too. Discovery events are always delivered;
 * the cache work runs on its own thread, never in the discovery thread. Not API.
 */
public final class MembershipWatcher implements IgnitePredicate<Event> {
    private static final long serialVersionUID = 1L;

    private final transient Ignite ignite;
    private final transient FabricMapStore store;
    private final transient AgentNetworkStore netStore;
    private final transient IgniteLogger log;
    private final transient Clock clock;
    private final transient ExecutorService executor;

    public MembershipWatcher(Ignite ignite, FabricMapStore store, AgentNetworkStore netStore, IgniteLogger log,
        Clock clock) {
        this.ignite = ignite;
        this.store = store;
        this.netStore = netStore;
        this.log = log;
        this.clock = clock;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fabric-membership-" + ignite.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts listening, and settles rows of nodes that went away while nobody was watching. */
    public void start() {
        ignite.events().localListen(this, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
        executor.execute(guarded(this::reconcile));
    }

    /** Stops listening; pending work is dropped (the next oldest node redoes it). */
    public void stop() {
        ignite.events().stopLocalListen(this, EventType.EVT_NODE_LEFT, EventType.EVT_NODE_FAILED);
        executor.shutdownNow();
        try {
            executor.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public boolean apply(Event evt) {
        if (evt instanceof DiscoveryEvent) {
            ClusterNode departed = ((DiscoveryEvent)evt).eventNode();
            String how = evt.type() == EventType.EVT_NODE_FAILED ? "failed" : "left";
            try {
                executor.execute(guarded(departed.isClient() ? () -> onClientDeparted(departed)
                    : () -> onDeparted(departed, how)));
            }
            catch (RejectedExecutionException stopping) {
                // This node is stopping; the next oldest node settles the map.
            }
        }
        return true;
    }

    private void onDeparted(ClusterNode departed, String how) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.MILLIS);
        settle(departed.id(), "node " + departed.consistentId() + " " + how + " at " + now, now);
        if (isOldestServer()) {
            netStore.removeNode(departed.id());
            store.removeHeartbeats(id -> !isLiveServer(id));
        }
    }

    /** A client that measured its round trips leaves no row behind: neither its own nor the servers' to it. */
    private void onClientDeparted(ClusterNode departed) {
        if (isOldestServer())
            netStore.removeNode(departed.id());
    }

    /**
     * Watches {@code FABRIC_ENTRY} and {@code FABRIC_LATENCY} for rows that name a node which is no live server (rows
     * nobody's agent wrote): the oldest server marks such a fabric OFFLINE and removes such a latency row.
     */
    public void watch(FabricMapView view, LatencyView latencyView) {
        view.addEntryListener((id, row, expired) -> {
            if (row != null && !"OFFLINE".equals(row.status()) && !isLiveServer(row.nodeId()))
                submit(() -> settleOrphan(id, row.nodeId()));
        });
        latencyView.addListener((key, row, expired) -> {
            if (row != null && (!isLive(row.fromNode()) || !isLive(row.toNode()) || !measures(row.fromNode())))
                submit(() -> removeOrphanLatency(key, row));
        });
    }

    private void submit(Runnable work) {
        try {
            executor.execute(guarded(work));
        }
        catch (RejectedExecutionException stopping) {
            // The next oldest node settles the map.
        }
    }

    private void settleOrphan(UUID fabricId, UUID node) {
        if (!isOldestServer() || isLiveServer(node))
            return;
        String reason = "not confirmed by node " + node + ": no live server node has that id";
        if (store.markOffline(fabricId, node, reason, clock.millis()))
            log.warning("Fabric Stitch: FABRIC_ENTRY row " + fabricId + " was not written by its agent: " + reason
                + "; marked OFFLINE");
    }

    private void removeOrphanLatency(String key, LatencyRow row) {
        if (!isOldestServer() || isLive(row.fromNode()) && isLive(row.toNode()) && measures(row.fromNode()))
            return;
        netStore.removeLatencies(java.util.List.of(key));
        String why = !isLive(row.fromNode()) || !isLive(row.toNode()) ? "no live node "
            + (isLive(row.fromNode()) ? row.toNode() : row.fromNode())
            : "client node " + row.fromNode() + " runs no latency probes";
        log.warning("Fabric Stitch: FABRIC_LATENCY row " + key + " was not written by an agent of the cluster ("
            + why + "); removed");
    }

    private boolean isLive(UUID nodeId) {
        return nodeId != null && ignite.cluster().node(nodeId) != null;
    }

    /**
     * Whether {@code nodeId} measures round trips: every server (its agent's guard answers for its rows), and a
     * client that said so when it joined; a row from any other client was written by someone else.
     */
    private boolean measures(UUID nodeId) {
        ClusterNode n = nodeId == null ? null : ignite.cluster().node(nodeId);
        return n != null && (!n.isClient() || Boolean.TRUE.equals(n.attribute(FabricMapSchema.ATTR_LATENCY_PROBES)));
    }

    private boolean isLiveServer(UUID nodeId) {
        return ClusterNodes.isLiveServer(ignite, nodeId);
    }

    /** Marks OFFLINE every fabric whose node is not a server of the cluster now. */
    void reconcile() {
        settle(null, null, clock.instant().truncatedTo(ChronoUnit.MILLIS));
        if (isOldestServer())
            store.removeHeartbeats(id -> !isLiveServer(id));
    }

    /**
     * Marks OFFLINE the fabrics of nodes no longer in the cluster: those of {@code departed} with
     * {@code departedReason}, any other orphan with a generic reason. The rows are read before the topology, and each
     * node is looked up right before its rows are marked, so a node that joins meanwhile and writes its rows is never
     * taken for a departed one. Only the oldest server does this.
     */
    private void settle(UUID departed, String departedReason, Instant now) {
        if (!isOldestServer())
            return;
        for (Map.Entry<UUID, UUID> e : store.nodesOfRowsNotOffline().entrySet()) {
            UUID node = e.getValue();
            if (isLiveServer(node))
                continue;
            String reason = node.equals(departed) ? departedReason
                : "node " + node + " is not in the cluster (seen at " + now + ")";
            if (store.markOffline(e.getKey(), node, reason, now.toEpochMilli()))
                log.info("Fabric " + e.getKey() + " OFFLINE: " + reason);
        }
    }

    /** Cache work can fail while this node stops; that is expected and the next oldest node redoes it. */
    private Runnable guarded(Runnable task) {
        return () -> {
            try {
                task.run();
            }
            catch (RuntimeException e) {
                if (!executor.isShutdown())
                    log.warning("Fabric map membership update failed (the next topology change retries it): " + e);
            }
        };
    }

    private boolean isOldestServer() {
        return ClusterNodes.isOldestServer(ignite);
    }
}
