package io.fabricstitch.agent.net;

import io.fabricstitch.internal.RateLimitedWarning;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * What an agent does with accepted beacons and on its timers: keeps the {@link PeerTable}, answers pings, measures
 * round trips, announces itself, and loses silent peers. Every method runs on the network's event loop.
 * <ul>
 *     <li>ANNOUNCE from another node: add or update the peer; a new one is reported to the listeners and answered at
 *     once with a unicast announcement (at most once per peer per beacon interval), so two agents converge in one
 *     exchange.</li>
 *     <li>PING: answer a PONG to the datagram's source, whether or not the sender is a peer yet.</li>
 *     <li>PONG from a peer matching an outstanding ping: one round-trip sample; anything else changes nothing.</li>
 *     <li>Beacon timer: lose peers silent for the peer timeout, then announce to the group, the seeds and every
 *     peer whose announcements did not arrive by multicast within the peer timeout (a site multicast does not
 *     reach). Not "whose last one came by unicast": two agents that hear each other's multicast would then keep
 *     unicasting, as each one's unicast copy arrives after its multicast one.</li>
 *     <li>Latency timer: count pings unanswered for {@code max(2 x latencyInterval, 1 s)} as lost; ping every
 *     peer.</li>
 * </ul>
 * Pings and pongs to a peer whose agent name or site has an injected latency go out that much later.
 */
final class PeerProtocol {
    private static final System.Logger LOG = System.getLogger(PeerProtocol.class.getName());

    private static final long MIN_PING_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final String name;
    private final NetworkConfiguration cfg;
    private final UUID selfId;
    private final Supplier<Announcement> self;
    private final PeerTable peers;
    private final BeaconSender sender;
    private final NetworkCounters counters;
    private final List<PeerListener> listeners;
    private final List<InetSocketAddress> targets;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final long beaconIntervalNanos;
    private final long peerTimeoutNanos;
    private final long pingDeadlineNanos;
    private final Map<UUID, Long> repliedAt = new HashMap<>();
    private final RateLimitedWarning selfFailures = new RateLimitedWarning();
    private long lastSeq;
    private volatile InetSocketAddress ownAddress;

    /**
     * @param name how log lines name the network, e.g. {@code agent network n1}
     * @param targets where every announcement goes: the multicast group (when enabled) and the seeds
     */
    PeerProtocol(String name, NetworkConfiguration cfg, UUID selfId, Supplier<Announcement> self, PeerTable peers,
        BeaconSender sender, NetworkCounters counters, List<PeerListener> listeners,
        List<InetSocketAddress> targets) {
        this.name = name;
        this.cfg = cfg;
        this.selfId = selfId;
        this.self = self;
        this.peers = peers;
        this.sender = sender;
        this.counters = counters;
        this.listeners = listeners;
        this.targets = List.copyOf(targets);
        this.clock = cfg.clock();
        this.nanoTime = cfg.nanoTime();
        this.beaconIntervalNanos = cfg.beaconInterval().toNanos();
        this.peerTimeoutNanos = cfg.peerTimeout().toNanos();
        this.pingDeadlineNanos = Math.max(2 * cfg.latencyInterval().toNanos(), MIN_PING_DEADLINE_NANOS);
    }

    /** The unicast address we are bound to; announcements advertise its port. */
    void bound(InetSocketAddress unicast) {
        ownAddress = unicast;
    }

    /** Takes a beacon that passed every check. */
    void receive(ReceivedBeacon beacon, boolean viaMulticast) {
        BeaconMessage m = beacon.message();
        if (m.nodeId().equals(selfId)) {
            counters.ignoredOwn();
            return;
        }
        counters.accepted();
        if (m instanceof BeaconMessage.Announce)
            onAnnounce((BeaconMessage.Announce)m, beacon.sender(), viaMulticast);
        else if (m instanceof BeaconMessage.Ping)
            onPing((BeaconMessage.Ping)m, beacon.sender());
        else
            onPong((BeaconMessage.Pong)m, beacon.arrivedNanos());
    }

    private void onAnnounce(BeaconMessage.Announce m, InetSocketAddress from, boolean viaMulticast) {
        Announcement a = m.announcement();
        InetSocketAddress unicast = new InetSocketAddress(from.getAddress(), m.unicastPort());
        Instant now = clock.instant();
        long nowNanos = nanoTime.getAsLong();
        PeerEntry e = peers.entry(a.nodeId());
        if (e != null) {
            Peer old = e.peer();
            e.heard(new Peer(a, unicast, viaMulticast, old.firstHeard(), now), nowNanos);
            if (viaMulticast)
                e.heardByMulticast(nowNanos);
            if (!old.fabrics().equals(a.fabrics()))
                LOG.log(Level.INFO, name + ": peer " + a.agentName() + " now reports " + e.peer().fabricsText());
            return;
        }
        Peer peer = new Peer(a, unicast, viaMulticast, now, now);
        e = new PeerEntry(peer, nowNanos);
        if (viaMulticast)
            e.heardByMulticast(nowNanos);
        peers.put(a.nodeId(), e);
        LOG.log(Level.INFO, name + ": peer " + a.agentName() + " heard (site " + a.site() + ", " + text(unicast)
            + " via " + (viaMulticast ? "multicast" : "unicast") + ", fabrics " + peer.fabricsText() + ")");
        tell(peer, "heard", PeerListener::onPeerHeard);
        replyTo(a.nodeId(), unicast, nowNanos);
    }

    private void replyTo(UUID nodeId, InetSocketAddress to, long nowNanos) {
        Long last = repliedAt.get(nodeId);
        if (last != null && nowNanos - last < beaconIntervalNanos)
            return;
        BeaconMessage.Announce me = announcement();
        if (me == null)
            return;
        repliedAt.put(nodeId, nowNanos);
        sender.send(me, to, 0);
    }

    private void onPing(BeaconMessage.Ping ping, InetSocketAddress from) {
        PeerEntry e = peers.entry(ping.nodeId());
        sender.send(new BeaconMessage.Pong(selfId, ping.seq(), ping.sentNanos()), from,
            e == null ? 0 : injectedNanos(e.peer()));
    }

    /** A pong that arrived at {@code arrivedNanos}, stamped as it came off the socket. */
    private void onPong(BeaconMessage.Pong pong, long arrivedNanos) {
        PeerEntry e = peers.entry(pong.nodeId());
        long nowNanos = nanoTime.getAsLong();
        if (e == null || !e.tracker().answered(pong.seq(), pong.sentNanos(), arrivedNanos))
            return;
        counters.pongReceived();
        Instant now = clock.instant();
        e.heard(e.peer().heardAt(now), nowNanos);
        e.latency(e.tracker().snapshot(pong.nodeId(), now));
    }

    /** Beacon timer: loses silent peers, then announces. */
    void beaconTick() {
        long nowNanos = nanoTime.getAsLong();
        losePeers(nowNanos);
        repliedAt.values().removeIf(at -> nowNanos - at >= beaconIntervalNanos);
        announce();
    }

    /** Sends our announcement to the group, the seeds and every peer not heard by multicast lately. */
    void announce() {
        BeaconMessage.Announce me = announcement();
        if (me == null)
            return;
        long nowNanos = nanoTime.getAsLong();
        Set<InetSocketAddress> to = new LinkedHashSet<>(targets);
        for (PeerEntry e : peers.entries()) {
            if (!e.heardByMulticastWithin(peerTimeoutNanos, nowNanos))
                to.add(e.peer().unicastAddress());
        }
        to.remove(ownAddress);
        for (InetSocketAddress addr : to)
            sender.send(me, addr, 0);
    }

    /** Latency timer: counts overdue pings as lost, then pings every peer. */
    void latencyTick() {
        long nowNanos = nanoTime.getAsLong();
        Instant now = clock.instant();
        for (PeerEntry e : peers.entries()) {
            Peer p = e.peer();
            long delay = injectedNanos(p);
            if (e.tracker().expire(nowNanos, pingDeadlineNanos + delay) > 0)
                e.latency(e.tracker().snapshot(p.nodeId(), now));
            long seq = ++lastSeq;
            long sentNanos = nanoTime.getAsLong(); // per peer, right before signing and writing: not the tick's start
            e.tracker().sent(seq, sentNanos);
            sender.send(new BeaconMessage.Ping(selfId, seq, sentNanos), p.unicastAddress(), delay);
        }
    }

    private void losePeers(long nowNanos) {
        List<PeerEntry> silent = new ArrayList<>();
        for (PeerEntry e : peers.entries()) {
            if (nowNanos - e.lastHeardNanos() > peerTimeoutNanos)
                silent.add(e);
        }
        for (PeerEntry e : silent) {
            Peer p = e.peer();
            peers.remove(p.nodeId());
            LOG.log(Level.INFO, name + ": peer " + p.agentName() + " lost (site " + p.site() + ", "
                + text(p.unicastAddress()) + "): not heard for "
                + Durations.text(Duration.ofMillis(TimeUnit.NANOSECONDS.toMillis(nowNanos - e.lastHeardNanos())))
                + " (peerTimeout " + Durations.text(cfg.peerTimeout()) + ")");
            tell(p, "lost", PeerListener::onPeerLost);
        }
    }

    /** Calls every listener; one that throws (a bug in it) is logged and does not stop the others. */
    private void tell(Peer p, String event, BiConsumer<PeerListener, Peer> call) {
        for (PeerListener l : listeners) {
            try {
                call.accept(l, p);
            }
            catch (RuntimeException e) {
                LOG.log(Level.WARNING, name + ": listener " + l + " failed on peer " + p.agentName() + ' ' + event, e);
            }
        }
    }

    /** Our announcement now; null (with a warning at most once a minute) when the supplier fails. */
    private BeaconMessage.Announce announcement() {
        InetSocketAddress own = ownAddress;
        if (own == null)
            return null;
        try {
            Announcement a = self.get();
            if (a == null || !a.nodeId().equals(selfId))
                throw new IllegalStateException("self: " + (a == null ? "null" : "node " + a.nodeId())
                    + " (expected: an announcement of node " + selfId + ")");
            return new BeaconMessage.Announce(a, own.getPort());
        }
        catch (RuntimeException e) {
            selfFailures.record(e.toString(), nanoTime.getAsLong(), (count, last) -> LOG.log(Level.WARNING, name
                + ": no announcement sent " + count + " time(s) in the last minute: " + last));
            return null;
        }
    }

    /** The test-only latency injected towards {@code p}: by agent name, else by site; 0 when none. */
    private long injectedNanos(Peer p) {
        Map<String, Duration> injected = cfg.injectedLatency();
        if (injected.isEmpty())
            return 0;
        Duration d = injected.get(p.agentName());
        if (d == null)
            d = injected.get(p.site());
        return d == null ? 0 : d.toNanos();
    }

    private static String text(InetSocketAddress a) {
        return a.getHostString() + ':' + a.getPort();
    }
}
