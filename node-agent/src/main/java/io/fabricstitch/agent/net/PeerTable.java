package io.fabricstitch.agent.net;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** The peers heard and not lost, by node id. Written on the event loop; read from any thread. */
final class PeerTable {
    private static final Comparator<Peer> BY_NAME = Comparator.comparing(Peer::agentName)
        .thenComparing(Peer::nodeId);

    private final ConcurrentHashMap<UUID, PeerEntry> entries = new ConcurrentHashMap<>();

    /** The entry of {@code nodeId}; null when it is not a peer. */
    PeerEntry entry(UUID nodeId) {
        return entries.get(nodeId);
    }

    void put(UUID nodeId, PeerEntry entry) {
        entries.put(nodeId, entry);
    }

    PeerEntry remove(UUID nodeId) {
        return entries.remove(nodeId);
    }

    /** A live view of the entries. */
    Collection<PeerEntry> entries() {
        return entries.values();
    }

    void clear() {
        entries.clear();
    }

    /** The peers, sorted by agent name; a snapshot. */
    List<Peer> peers() {
        List<Peer> all = new ArrayList<>(entries.size());
        entries.values().forEach(e -> all.add(e.peer()));
        all.sort(BY_NAME);
        return Collections.unmodifiableList(all);
    }

    Optional<Peer> peer(UUID nodeId) {
        PeerEntry e = entries.get(nodeId);
        return e == null ? Optional.empty() : Optional.of(e.peer());
    }

    /** Latency of each peer with at least one sample or loss; a snapshot. */
    Map<UUID, PeerLatency> latencies() {
        Map<UUID, PeerLatency> all = new HashMap<>();
        entries.forEach((id, e) -> {
            PeerLatency l = e.latency();
            if (l != null)
                all.put(id, l);
        });
        return Collections.unmodifiableMap(all);
    }
}
