package io.fabricstitch.agent.net;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A raw socket throws garbage, oversized, forged and replayed datagrams at a real agent, which keeps working. */
@ExtendWith(NoLeakedBuffers.class)
class AgentNetworkHostileInputTest {
    private static final int MULTICAST_PORT = NetFixtures.multicastPort();

    private final String secret = NetFixtures.secret();

    private AgentNetwork agent;

    private AgentNetwork peer;

    @AfterEach
    void closeAll() {
        if (agent != null)
            agent.close();
        if (peer != null)
            peer.close();
    }

    /** Unicast only, so that every datagram the agent reads is one this test sent. */
    private NetworkConfiguration.Builder config() {
        return NetFixtures.loopback(MULTICAST_PORT, secret).multicastEnabled(false);
    }

    @Test
    void dropsAndCountsHostileDatagrams_leavesPeersUnchanged_andStillDiscoversARealPeer() throws IOException {
        Announcement a = NetFixtures.announcement(NetFixtures.agentName("a"), "site-a");
        agent = new AgentNetwork(config().build(), () -> a);
        agent.start();
        InetSocketAddress to = agent.unicastAddress();
        byte[] validPing = NetFixtures.signed(new BeaconMessage.Ping(UUID.randomUUID(), 1, 42), secret,
            Clock.systemUTC());
        try (DatagramSocket raw = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0))) {
            raw.setSoTimeout(10_000);
            send(raw, to, "not a beacon, just some bytes long enough to be read as a frame: 64+".getBytes(
                StandardCharsets.US_ASCII));
            send(raw, to, new byte[4000]);
            send(raw, to, NetFixtures.signed(new BeaconMessage.Ping(UUID.randomUUID(), 2, 42), NetFixtures.secret(),
                Clock.systemUTC()));
            send(raw, to, validPing);
            byte[] pong = new byte[2048];
            DatagramPacket answer = new DatagramPacket(pong, pong.length);
            raw.receive(answer);
            assertEquals(BeaconType.PONG.code(), pong[BeaconFrameDecoder.TYPE_OFFSET],
                "a valid ping is answered, even from a stranger");
            send(raw, to, Arrays.copyOf(validPing, validPing.length));
        }
        Await.until("five datagrams received and each accepted or dropped", () -> {
            NetworkStats now = agent.stats();
            return now.datagramsReceived() == 5 && now.accepted() + now.dropped() + now.ignoredOwn() == 5;
        }, agent::stats);
        NetworkStats s = agent.stats();
        assertEquals(1, s.droppedMalformed(), s::toString);
        assertEquals(1, s.droppedOversized(), s::toString);
        assertEquals(1, s.droppedUnauthenticated(), s::toString);
        assertEquals(1, s.droppedReplayed(), s::toString);
        assertEquals(1, s.accepted(), s::toString);
        assertEquals(4, s.dropped());
        assertEquals(List.of(), agent.peers());
        assertEquals(0, agent.latencies().size());

        Announcement b = NetFixtures.announcement(NetFixtures.agentName("b"), "site-b");
        peer = new AgentNetwork(config().seed("127.0.0.1:" + to.getPort()).build(), () -> b);
        peer.start();
        Await.until("the agent to discover a real peer afterwards", () -> agent.peer(b.nodeId()).isPresent()
            && peer.peer(a.nodeId()).isPresent(), agent::peers);
        assertArrayEquals(new UUID[] {b.nodeId()}, agent.peers().stream().map(Peer::nodeId).toArray());
    }

    private static void send(DatagramSocket raw, InetSocketAddress to, byte[] bytes) throws IOException {
        raw.send(new DatagramPacket(bytes, bytes.length, to));
    }
}
