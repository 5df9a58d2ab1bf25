package io.fabricstitch.agent.net;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Agents on real loopback sockets: multicast on interface 127.0.0.1, a multicast port picked per class, a fresh
 * secret per test. Every wait polls.
 */
@ExtendWith(NoLeakedBuffers.class)
class AgentNetworkLoopbackTest {
    private static final int MULTICAST_PORT = NetFixtures.multicastPort();

    private final String secret = NetFixtures.secret();

    private final List<AgentNetwork> started = new ArrayList<>();

    @AfterEach
    void closeAll() {
        started.forEach(AgentNetwork::close);
    }

    private NetworkConfiguration.Builder config() {
        return NetFixtures.loopback(MULTICAST_PORT, secret);
    }

    private AgentNetwork start(NetworkConfiguration.Builder cfg, Announcement self) {
        return start(cfg, () -> self);
    }

    private AgentNetwork start(NetworkConfiguration.Builder cfg, Supplier<Announcement> self) {
        AgentNetwork n = new AgentNetwork(cfg.build(), self);
        started.add(n);
        n.start();
        return n;
    }

    private static boolean knows(AgentNetwork n, Announcement peer) {
        return n.peer(peer.nodeId()).isPresent();
    }

    private static long rttMicros(AgentNetwork n, Announcement peer, long minSamples) {
        PeerLatency l = n.latencies().get(peer.nodeId());
        return l == null || l.samples() < minSamples ? -1 : l.rttMicros();
    }

    @Test
    void discoverEachOtherByMulticast_andMeasureRtt() {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        Announcement b = NetFixtures.announcement(NetFixtures.agentName("b"), "site-b");
        AgentNetwork na = start(config(), a);
        AgentNetwork nb = start(config(), b);
        Await.until("a and b to measure each other", () -> rttMicros(na, b, 3) > 0 && rttMicros(nb, a, 3) > 0,
            () -> na.latencies() + " / " + nb.latencies());

        Peer seenByA = na.peer(b.nodeId()).orElseThrow();
        assertEquals(b.agentName(), seenByA.agentName());
        assertEquals("site-b", seenByA.site());
        assertEquals(nb.unicastAddress(), seenByA.unicastAddress());
        assertEquals("GPU x2 ONLINE, CPU x1 ONLINE", seenByA.fabricsText());
        assertEquals(List.of(b.nodeId()), na.peers().stream().map(Peer::nodeId).collect(Collectors.toList()),
            "a knows b only (lastHeard moves on with every beacon)");
        Await.until("b's multicast beacons to reach a", () -> na.peer(b.nodeId()).orElseThrow().viaMulticast());
        NetworkStats s = na.stats();
        assertTrue(s.accepted() > 0, s::toString);
        assertTrue(s.ignoredOwn() > 0, "our own multicast comes back: " + s);
        assertTrue(s.beaconsSent() > 0 && s.pingsSent() > 0 && s.pongsReceived() > 0, s::toString);
    }

    @Test
    void discoverEachOtherThroughSeedsOnly_whenMulticastIsDisabled() {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        Announcement b = NetFixtures.announcement(NetFixtures.agentName("b"), "site-b");
        AgentNetwork na = start(config().multicastEnabled(false), a);
        InetSocketAddress aAddr = na.unicastAddress();
        AgentNetwork nb = start(config().multicastEnabled(false).seed("127.0.0.1:" + aAddr.getPort()), b);
        Await.until("a and b to know each other", () -> knows(na, b) && knows(nb, a),
            () -> na.peers() + " / " + nb.peers());
        assertEquals(aAddr, nb.peer(a.nodeId()).orElseThrow().unicastAddress());
        assertTrue(!na.peer(b.nodeId()).orElseThrow().viaMulticast());
        Await.until("rtt samples both ways", () -> rttMicros(na, b, 1) > 0 && rttMicros(nb, a, 1) > 0);
        assertEquals(0, na.stats().dropped() + nb.stats().dropped());
    }

    @Test
    void neverPeerWithAnAgentOfAnotherSecret_andCountItsBeaconsAsUnauthenticated() {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        Announcement b = NetFixtures.announcement(NetFixtures.agentName("b"), "site-b");
        Announcement x = NetFixtures.announcement(NetFixtures.agentName("x"), "site-x");
        AgentNetwork na = start(config(), a);
        AgentNetwork nx = start(NetFixtures.loopback(MULTICAST_PORT, NetFixtures.secret()), x);
        AgentNetwork nb = start(config(), b);
        Await.until("a and b to know each other, and drops counted on both sides of the secret",
            () -> knows(na, b) && knows(nb, a) && na.stats().droppedUnauthenticated() >= 3
                && nx.stats().droppedUnauthenticated() >= 6,
            () -> na.stats() + " / " + nx.stats());
        assertEquals(List.of(), nx.peers());
        assertEquals(List.of(b.nodeId()), na.peers().stream().map(Peer::nodeId).toList());
        assertEquals(0, nx.stats().accepted());
    }

    @Test
    void injectedLatencyTowardsASite_slowsBothDirections_butNotAThirdAgent() {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        Announcement b = NetFixtures.announcement(NetFixtures.agentName("b"), "site-b");
        Announcement c = NetFixtures.announcement(NetFixtures.agentName("c"), "site-c");
        AgentNetwork na = start(config().injectedLatency(Map.of("site-b", Duration.ofMillis(40))), a);
        AgentNetwork nb = start(config(), b);
        AgentNetwork nc = start(config(), c);
        long floor = TimeUnit.MILLISECONDS.toMicros(40);
        long fast = TimeUnit.MILLISECONDS.toMicros(20);
        Await.until("a<->b slowed to >= 40 ms both ways, a<->c and b<->c well below",
            () -> rttMicros(na, b, 3) >= floor && rttMicros(nb, a, 3) >= floor
                && between(rttMicros(na, c, 3), 0, fast) && between(rttMicros(nc, a, 3), 0, fast)
                && between(rttMicros(nb, c, 3), 0, fast),
            () -> "a " + na.latencies() + ", b " + nb.latencies() + ", c " + nc.latencies());
    }

    private static boolean between(long v, long above, long below) {
        return v > above && v < below;
    }

    @Test
    void loseAClosedPeer_afterPeerTimeout() {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        Announcement b = NetFixtures.announcement(NetFixtures.agentName("b"), "site-b");
        Duration beacon = Duration.ofMillis(100);
        Duration timeout = Duration.ofMillis(500);
        List<String> events = new CopyOnWriteArrayList<>();
        AgentNetwork na = new AgentNetwork(config().beaconInterval(beacon).peerTimeout(timeout).build(), () -> a);
        started.add(na);
        na.addListener(new PeerListener() {
            @Override
            public void onPeerHeard(Peer peer) {
                events.add("heard " + peer.agentName());
            }

            @Override
            public void onPeerLost(Peer peer) {
                events.add("lost " + peer.agentName());
            }
        });
        na.start();
        AgentNetwork nb = start(config().beaconInterval(beacon).peerTimeout(timeout), b);
        Await.until("a to measure b", () -> rttMicros(na, b, 1) > 0, na::latencies);

        long closedAt = System.nanoTime();
        nb.close();
        Await.until("a to lose b", () -> events.contains("lost " + b.agentName()), events::toString);
        long silentMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closedAt);

        assertTrue(silentMillis >= timeout.minus(beacon).toMillis(), "lost after " + silentMillis + " ms");
        assertEquals("heard " + b.agentName(), events.get(0), events::toString);
        assertEquals("lost " + b.agentName(), events.get(events.size() - 1), "a stall may add a lost/heard pair "
            + "before the close, never a different order: " + events);
        assertEquals(List.of(), na.peers());
        assertEquals(Map.of(), na.latencies(), "the latency entry goes with the peer");
    }

    @Test
    void sendAnUpdatedAnnouncementAtOnce_onAnnounceNow() {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        Announcement b = NetFixtures.announcement(NetFixtures.agentName("b"), "site-b");
        Announcement aLater = Announcement.of(a.nodeId(), a.agentName(), a.site(), "127.0.0.1:9000", List.of());
        AtomicReference<Announcement> self = new AtomicReference<>(a);
        Duration slow = Duration.ofSeconds(30);
        AgentNetwork na = start(config().beaconInterval(slow).peerTimeout(slow.multipliedBy(3)), self::get);
        AgentNetwork nb = start(config().beaconInterval(slow).peerTimeout(slow.multipliedBy(3)), b);
        Await.until("a and b to know each other from the first beacon and its reply", () -> knows(na, b)
            && knows(nb, a));
        self.set(aLater);
        na.announceNow();
        Await.until("b to see a's new fabrics", () -> nb.peer(a.nodeId()).orElseThrow().fabrics().isEmpty());
        assertEquals("127.0.0.1:9000", nb.peer(a.nodeId()).orElseThrow().dataPathAddress());
    }

    @Test
    void failToStart_whenTheOnlyAllowedUnicastPortIsTaken_releasingEverything() throws SocketException {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            int port = taken.getLocalPort();
            AgentNetwork na = new AgentNetwork(config().unicastPort(port).build(), () -> a);
            started.add(na);
            IllegalStateException e = assertThrows(IllegalStateException.class, na::start);
            assertEquals("agent network " + a.agentName() + ": UDP 127.0.0.1:" + port + " in use (expected: a free "
                + "port in network.agentPort..network.agentPort+network.agentPortRange-1, or network.agentPort 0)",
                e.getMessage());
            Await.threadGone("fabric-net-" + a.agentName());
            assertEquals("agent network " + a.agentName() + ": closed (expected: a new AgentNetwork)",
                assertThrows(IllegalStateException.class, na::start).getMessage());
        }
    }

    @Test
    void failToStart_whenEveryPortOfTheRangeIsTaken() throws SocketException {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        List<DatagramSocket> pair = twoAdjacentPorts();
        try {
            int port = pair.get(0).getLocalPort();
            AgentNetwork na = new AgentNetwork(config().unicastPort(port).unicastPortRange(2).build(), () -> a);
            started.add(na);
            assertEquals("agent network " + a.agentName() + ": UDP 127.0.0.1:" + port + ".." + (port + 1)
                + " all in use (expected: a free port in "
                + "network.agentPort..network.agentPort+network.agentPortRange-1, or network.agentPort 0)", assertThrows(IllegalStateException.class, na::start).getMessage());
        }
        finally {
            pair.forEach(DatagramSocket::close);
        }
    }

    /** Two sockets on consecutive loopback ports; tries other pairs while the next port is busy. */
    private static List<DatagramSocket> twoAdjacentPorts() throws SocketException {
        for (int attempt = 0; ; attempt++) {
            DatagramSocket first = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            try {
                return List.of(first, new DatagramSocket(new InetSocketAddress("127.0.0.1",
                    first.getLocalPort() + 1)));
            }
            catch (SocketException e) {
                first.close();
                if (attempt == 20)
                    throw e;
            }
        }
    }

    @Test
    void failToStart_namingAnUnknownInterface_andListingTheHostsInterfaces() {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        AgentNetwork na = new AgentNetwork(config().interfaceName("nosuch0").build(), () -> a);
        started.add(na);
        String msg = assertThrows(IllegalStateException.class, na::start).getMessage();
        assertTrue(msg.startsWith("agent network " + a.agentName() + ": network.beaconInterface: 'nosuch0' "
            + "(expected: an interface of this host, by name or IPv4 address: "), msg);
        assertTrue(msg.contains("127.0.0.1"), msg);
    }

    @Test
    void close_endsTheEventLoop_andIsIdempotent() {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        Announcement b = NetFixtures.announcement(NetFixtures.agentName("b"), "site-b");
        AgentNetwork na = start(config(), a);
        AgentNetwork nb = start(config(), b);
        // Both directions: the assertion below is about b forgetting a, so b must have heard a first.
        Await.until("a and b to know each other", () -> knows(na, b) && knows(nb, a));
        na.close();
        Await.threadGone("fabric-net-" + a.agentName());
        na.close();
        na.announceNow();
        assertEquals(List.of(), na.peers());
        assertTrue(knows(nb, a), "b still knows a until the timeout");
    }
}
