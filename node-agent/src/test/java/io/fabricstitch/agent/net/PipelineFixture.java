package io.fabricstitch.agent.net;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * One agent's beacon pipeline on an {@link EmbeddedChannel}, with the real initializer and protocol, fake time, and
 * a record of listener calls; what it sends is read with {@link #sent()}.
 */
final class PipelineFixture implements AutoCloseable {
    final FakeTime time;
    final NetworkConfiguration cfg;
    final Announcement self;
    final InetSocketAddress address;
    final NetworkCounters counters = new NetworkCounters();
    final PeerTable peers = new PeerTable();
    final List<String> events = new ArrayList<>();
    final PeerProtocol protocol;
    final EmbeddedChannel channel;

    /**
     * @param address the agent's unicast address
     * @param targets where its announcements go besides unicast peers (group, seeds)
     */
    PipelineFixture(NetworkConfiguration.Builder cfg, FakeTime time, Announcement self, InetSocketAddress address,
        List<InetSocketAddress> targets, boolean multicast) {
        this.time = time;
        this.cfg = cfg.clock(time).nanoTime(time).build();
        this.self = self;
        this.address = address;
        String name = "agent network " + self.agentName();
        ChannelSender sender = new ChannelSender(name, counters, time);
        PeerListener recorder = new PeerListener() {
            @Override
            public void onPeerHeard(Peer peer) {
                events.add("heard " + peer.agentName());
            }

            @Override
            public void onPeerLost(Peer peer) {
                events.add("lost " + peer.agentName());
            }
        };
        protocol = new PeerProtocol(name, this.cfg, self.nodeId(), () -> self, peers, sender, counters,
            List.of(recorder), targets);
        channel = new EmbeddedChannel(new BeaconChannelInitializer(this.cfg, counters,
            new NonceMemory(NonceMemory.DFLT_CAPACITY, this.cfg.replayWindow().toMillis()),
            new DropLog(name, this.cfg, counters), protocol, multicast));
        sender.channel(channel);
        protocol.bound(address);
    }

    /**
     * Feeds {@code bytes} as a datagram from {@code from}, in a direct buffer the leak detector tracks (unpooled, so
     * that it is never recycled); returns the buffer, to check that it was released.
     */
    ByteBuf receive(byte[] bytes, InetSocketAddress from) {
        ByteBuf buf = Unpooled.directBuffer(bytes.length).writeBytes(bytes);
        channel.writeInbound(new DatagramPacket(buf, address, from));
        return buf;
    }

    /** Feeds a datagram another fixture sent, as coming from that fixture. */
    void receive(DatagramPacket sent, PipelineFixture from) {
        channel.writeInbound(new DatagramPacket(sent.content(), address, from.address));
    }

    /** The next datagram this agent sent; null when none. */
    DatagramPacket sent() {
        return channel.readOutbound();
    }

    /** Releases and counts what this agent sent and nobody read. */
    int discardSent() {
        int n = 0;
        for (DatagramPacket p; (p = sent()) != null; n++)
            p.release();
        return n;
    }

    @Override
    public void close() {
        channel.finishAndReleaseAll();
    }
}
