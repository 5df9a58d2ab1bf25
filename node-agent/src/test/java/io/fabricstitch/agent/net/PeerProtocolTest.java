package io.fabricstitch.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The peer protocol alone, with a recording sender: no channel at all. */
class PeerProtocolTest {
    private final FakeTime time = new FakeTime();
    private final Announcement self = NetFixtures.announcement("a", "site-a");
    private final List<String> sent = new ArrayList<>();
    private final PeerTable peers = new PeerTable();
    private final NetworkCounters counters = new NetworkCounters();

    private PeerProtocol protocol(PeerListener... listeners) {
        NetworkConfiguration cfg = NetworkConfiguration.builder().secret(NetFixtures.secret()).clock(time)
            .nanoTime(time).build();
        PeerProtocol p = new PeerProtocol("agent network a", cfg, self.nodeId(), () -> self, peers,
            (m, to, delay) -> sent.add(m.type() + " to " + to.getPort()), counters, List.of(listeners), List.of());
        p.bound(new InetSocketAddress("127.0.0.1", 47010));
        return p;
    }

    @Test
    void keepsWorking_whenAListenerThrows() {
        List<String> heard = new ArrayList<>();
        PeerListener broken = new PeerListener() {
            @Override
            public void onPeerHeard(Peer peer) {
                throw new IllegalStateException("listener bug");
            }

            @Override
            public void onPeerLost(Peer peer) {
                throw new IllegalStateException("listener bug");
            }
        };
        PeerListener fine = new PeerListener() {
            @Override
            public void onPeerHeard(Peer peer) {
                heard.add(peer.agentName());
            }

            @Override
            public void onPeerLost(Peer peer) {
            }
        };
        PeerProtocol p = protocol(broken, fine);
        Announcement b = NetFixtures.announcement("b", "site-b");
        p.receive(new ReceivedBeacon(new BeaconMessage.Announce(b, 47020),
            new InetSocketAddress("127.0.0.1", 47020), 0), true);
        assertEquals(List.of("b"), heard, "the next listener is still told");
        assertEquals(List.of("ANNOUNCE to 47020"), sent, "and the new peer still answered");
        assertTrue(peers.peer(b.nodeId()).isPresent());
        assertEquals(1, counters.snapshot().accepted());
    }

    @Test
    void sendsNothing_whenTheSelfSupplierFails() {
        NetworkConfiguration cfg = NetworkConfiguration.builder().secret(NetFixtures.secret()).clock(time)
            .nanoTime(time).build();
        PeerProtocol p = new PeerProtocol("agent network a", cfg, self.nodeId(), () -> {
            throw new IllegalStateException("inventory not ready");
        }, peers, (m, to, delay) -> sent.add(m.type().name()), counters, List.of(),
            List.of(new InetSocketAddress("239.255.47.47", 47400)));
        p.bound(new InetSocketAddress("127.0.0.1", 47010));
        p.beaconTick();
        assertEquals(List.of(), sent);
    }
}
