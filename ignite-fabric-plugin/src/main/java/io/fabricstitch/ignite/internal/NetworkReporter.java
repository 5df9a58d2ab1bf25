package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.net.AgentNetwork;
import io.fabricstitch.agent.FabricListener;
import io.fabricstitch.agent.net.Peer;
import io.fabricstitch.agent.net.PeerLatency;
import io.fabricstitch.model.FabricEntry;
import java.sql.Timestamp;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.apache.ignite.IgniteLogger;

/**
 * After every health check (on a client node that submits tasks, every health interval), writes what this node's
 * agent measured and heard: its round trips to the other members
 * ({@code FABRIC_LATENCY}, once a pair has {@link #MIN_SAMPLES} samples, then only when one moved by more than 10% and
 * 100 us, or every {@link #REFRESH_MS}), and the agents
 * it hears by beacon ({@code FABRIC_AGENT}, members or not, at least every {@link #REFRESH_MS} so rows do not expire
 * while heard; a client node writes none, as no agent of its own answers for them). A pair no longer measured is
 * removed. Writes on the node's {@link ReportWriter} thread. Not API.
 */
public final class NetworkReporter implements FabricListener {
    /** Longest time between two writes of an unchanged row, ms. */
    static final long REFRESH_MS = 3_000;

    /** Samples a pair needs before it is written: the lowest of the first few stands for it (a cold peer is slow). */
    static final long MIN_SAMPLES = 3;

    private final Supplier<Optional<AgentNetwork>> network;
    private final boolean writesAgents;
    private final AgentNetworkStore store;
    private final ReportWriter writer;
    private final UUID localNodeId;
    private final String nodeName;
    private final Predicate<UUID> isMember;
    private final BooleanSupplier silenced;
    private final Clock clock;
    private final IgniteLogger log;
    private final java.util.function.ToDoubleFunction<UUID> bandwidth;
    private final Map<UUID, Written> latencyWritten = new HashMap<>();
    private final Map<UUID, Written> agentWritten = new HashMap<>();
    /** The rows last written, by cache key: what {@link RowGuard}s hold the cache to. */
    private final Map<String, LatencyRow> latencyRows = new java.util.concurrent.ConcurrentHashMap<>();
    private final Map<UUID, AgentRow> agentRows = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile boolean stopped;
    private boolean lastFailed;

    /** What was written for a peer, and when. */
    private static final class Written {
        final long value;
        final String text;
        final long atMillis;

        Written(long value, String text, long atMillis) {
            this.value = value;
            this.text = text;
            this.atMillis = atMillis;
        }
    }

    /**
     * @param network the node's agent network, if it runs one
     * @param writesAgents whether to write {@code FABRIC_AGENT} rows (server nodes) or only latencies (clients)
     */
    public NetworkReporter(Supplier<Optional<AgentNetwork>> network, boolean writesAgents, AgentNetworkStore store, ReportWriter writer, UUID localNodeId,
        String nodeName, Predicate<UUID> isMember, BooleanSupplier silenced,
        java.util.function.ToDoubleFunction<UUID> bandwidth, Clock clock, IgniteLogger log) {
        this.network = network;
        this.writesAgents = writesAgents;
        this.bandwidth = bandwidth;
        this.store = store;
        this.writer = writer;
        this.localNodeId = localNodeId;
        this.nodeName = nodeName;
        this.isMember = isMember;
        this.silenced = silenced;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void onFabricsChanged(List<FabricEntry> fabrics) {
        // The agent announces the change in its next beacon by itself.
    }

    @Override
    public void onHealthChecked(List<FabricEntry> fabrics) {
        if (stopped || silenced.getAsBoolean() || network.get().isEmpty())
            return;
        writer.submit(this, this::report);
    }

    private synchronized void report() {
        if (stopped)
            return;
        try {
            long now = clock.millis();
            writeLatencies(now);
            if (writesAgents)
                writeAgents(now);
            lastFailed = false;
        }
        catch (RuntimeException e) {
            if (!stopped && !lastFailed)
                log.warning("Fabric Stitch: node " + nodeName + " could not report latencies or beacons (retried every "
                    + "health check): " + e.getMessage());
            lastFailed = true;
        }
    }

    private void writeLatencies(long now) {
        Map<UUID, PeerLatency> measured = network.get().get().latencies();
        Map<UUID, String> names = new HashMap<>();
        for (Peer p : network.get().get().peers())
            names.put(p.nodeId(), p.agentName());
        for (Map.Entry<UUID, PeerLatency> e : measured.entrySet()) {
            UUID to = e.getKey();
            PeerLatency l = e.getValue();
            if (!isMember.test(to) || l.samples() < MIN_SAMPLES)
                continue;
            Written w = latencyWritten.get(to);
            long rtt = l.rttMicros();
            boolean moved = w == null || Math.abs(rtt - w.value) > Math.max(100, w.value / 10);
            if (moved || now - w.atMillis >= REFRESH_MS) {
                LatencyRow row = new LatencyRow(localNodeId, nodeName, to, names.getOrDefault(to, to.toString()), rtt,
                    l.jitterMicros(), l.samples(), l.lost(), bandwidth.applyAsDouble(to), new Timestamp(now));
                latencyRows.put(LatencyRow.key(localNodeId, to), row);
                store.putLatency(row);
                latencyWritten.put(to, new Written(rtt, null, now));
            }
        }
        List<String> gone = new ArrayList<>();
        for (UUID to : new ArrayList<>(latencyWritten.keySet())) {
            if (!measured.containsKey(to) || !isMember.test(to)) {
                gone.add(LatencyRow.key(localNodeId, to));
                latencyWritten.remove(to);
                latencyRows.remove(LatencyRow.key(localNodeId, to));
            }
        }
        if (!gone.isEmpty())
            store.removeLatencies(gone);
    }

    private void writeAgents(long now) {
        List<Peer> peers = network.get().get().peers();
        for (Peer p : peers) {
            boolean member = isMember.test(p.nodeId());
            String text = p.fabricsText() + '|' + member + '|' + p.viaMulticast() + '|' + p.unicastAddress();
            Written w = agentWritten.get(p.nodeId());
            if (w == null || !text.equals(w.text) || now - w.atMillis >= REFRESH_MS) {
                AgentRow row = new AgentRow(p.nodeId(), p.agentName(), p.site(), address(p), p.dataPathAddress(),
                    p.fabricsText(), member, p.viaMulticast() ? "multicast" : "unicast", nodeName,
                    Timestamp.from(p.firstHeard()), Timestamp.from(p.lastHeard()));
                agentRows.put(p.nodeId(), row);
                store.putAgent(row);
                agentWritten.put(p.nodeId(), new Written(0, text, now));
            }
        }
        java.util.Set<UUID> heard = peers.stream().map(Peer::nodeId).collect(java.util.stream.Collectors.toSet());
        agentWritten.keySet().retainAll(heard);
        agentRows.keySet().retainAll(heard);
    }

    /** The {@code FABRIC_LATENCY} row this node last wrote under {@code key}, or null. */
    public LatencyRow writtenLatency(String key) {
        return latencyRows.get(key);
    }

    /** The {@code FABRIC_AGENT} row this node last wrote for the agent of {@code nodeId}, or null. */
    public AgentRow writtenAgent(UUID nodeId) {
        return agentRows.get(nodeId);
    }

    /** The peers whose {@code FABRIC_AGENT} rows this node last wrote. */
    public java.util.Collection<UUID> writtenAgentKeys() {
        return new ArrayList<>(agentRows.keySet());
    }

    /** Whether reports are silenced (an injected fault): the rows are let be meanwhile. */
    public boolean isSilent() {
        return silenced.getAsBoolean();
    }

    private static String address(Peer p) {
        return p.unicastAddress().getAddress().getHostAddress() + ':' + p.unicastAddress().getPort();
    }

    /** No more writes: the node is stopping. */
    public void stop() {
        stopped = true;
    }
}
