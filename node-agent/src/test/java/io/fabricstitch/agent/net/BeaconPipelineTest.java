package io.fabricstitch.agent.net;

import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.net.NetFixtures.frame;
import static io.fabricstitch.agent.net.NetFixtures.signed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The beacon pipeline and peer protocol on {@link EmbeddedChannel}s, with fake time: no sockets, no sleeping. */
@ExtendWith(NoLeakedBuffers.class)
class BeaconPipelineTest {
    private static final String SECRET = NetFixtures.secret();

    private static final InetSocketAddress GROUP = new InetSocketAddress("239.255.47.47", 47400);

    private static final InetSocketAddress A_ADDR = new InetSocketAddress("127.0.0.1", 47010);

    private static final InetSocketAddress B_ADDR = new InetSocketAddress("127.0.0.1", 47020);

    private static final InetSocketAddress STRANGER = new InetSocketAddress("10.0.0.5", 47410);

    private final FakeTime time = new FakeTime();

    private final PipelineFixture a = fixture("a", "site-a", A_ADDR, false, config());

    private final PipelineFixture b = fixture("b", "site-b", B_ADDR, true, config());

    private static NetworkConfiguration.Builder config() {
        return NetworkConfiguration.builder().secret(SECRET).beaconInterval(Duration.ofMillis(100))
            .peerTimeout(Duration.ofMillis(300)).latencyInterval(Duration.ofMillis(20)).maxPacketBytes(512);
    }

    private PipelineFixture fixture(String name, String site, InetSocketAddress addr, boolean multicast,
        NetworkConfiguration.Builder cfg) {
        return new PipelineFixture(cfg, time, NetFixtures.announcement(name, site), addr, List.of(GROUP), multicast);
    }

    @AfterEach
    void closeChannels() {
        a.close();
        b.close();
    }

    /** {@code from} announces; {@code to} hears it; their replies are exchanged until both know each other. */
    private static void introduce(PipelineFixture from, PipelineFixture to) {
        from.protocol.announce();
        to.receive(from.sent(), from);
        from.discardSent();
        DatagramPacket reply = to.sent();
        from.receive(reply, to);
        to.receive(from.sent(), from);
        assertNull(to.sent(), "a known peer gets no immediate reply");
    }

    private static InetSocketAddress recipientOf(DatagramPacket sent) {
        try {
            return sent.recipient();
        }
        finally {
            sent.release();
        }
    }

    private long now() {
        return time.millis();
    }

    @Test
    void announceRoundTrip_addsThePeerWithItsFields_andRepliesByUnicast() {
        a.protocol.announce();
        DatagramPacket beacon = a.sent();
        assertEquals(GROUP, beacon.recipient());
        assertNull(a.sent(), "one announcement per target");
        b.receive(beacon, a);

        Peer heard = b.peers.peer(a.self.nodeId()).orElseThrow();
        assertEquals("a", heard.agentName());
        assertEquals("site-a", heard.site());
        assertEquals(A_ADDR, heard.unicastAddress());
        assertEquals("127.0.0.1:0", heard.dataPathAddress());
        assertEquals("GPU x2 ONLINE, CPU x1 ONLINE", heard.fabricsText());
        assertTrue(heard.viaMulticast());
        assertEquals(time.instant(), heard.firstHeard());
        assertEquals(List.of("heard a"), b.events);

        DatagramPacket reply = b.sent();
        assertEquals(A_ADDR, reply.recipient(), "a new peer is answered at once, by unicast");
        a.receive(reply, b);
        Peer back = a.peers.peer(b.self.nodeId()).orElseThrow();
        assertFalse(back.viaMulticast());
        assertEquals(B_ADDR, back.unicastAddress());
        assertEquals(1, b.counters.snapshot().accepted());
        a.discardSent();
    }

    @Test
    void updatesAKnownPeer_withoutTellingListenersAgain() {
        introduce(a, b);
        time.advance(Duration.ofMillis(50));
        a.protocol.announce();
        b.receive(a.sent(), a);
        Peer p = b.peers.peer(a.self.nodeId()).orElseThrow();
        assertEquals(time.instant(), p.lastHeard());
        assertTrue(p.firstHeard().isBefore(p.lastHeard()));
        assertEquals(List.of("heard a"), b.events);
        assertNull(b.sent());
    }

    @Test
    void pingRoundTrip_givesAnRttSample() {
        introduce(b, a);
        a.protocol.latencyTick();
        DatagramPacket ping = a.sent();
        assertEquals(B_ADDR, ping.recipient());
        b.receive(ping, a);
        DatagramPacket pong = b.sent();
        assertEquals(A_ADDR, pong.recipient());
        time.advance(Duration.ofMillis(5));
        a.receive(pong, b);

        PeerLatency l = a.peers.latencies().get(b.self.nodeId());
        assertEquals(5000, l.rttMicros());
        assertEquals(5000, l.lastSampleMicros());
        assertEquals(0, l.jitterMicros());
        assertEquals(1, l.samples());
        assertEquals(0, l.lost());
        assertEquals(time.instant(), l.updatedAt());
        assertEquals(time.instant(), a.peers.peer(b.self.nodeId()).orElseThrow().lastHeard(), "a pong is news");
        NetworkStats s = a.counters.snapshot();
        assertEquals(1, s.pingsSent());
        assertEquals(1, s.pongsReceived());
    }

    @Test
    void ignoresDuplicateAndUnknownPongs() {
        introduce(b, a);
        a.protocol.latencyTick();
        DatagramPacket ping = a.sent();
        long sentNanos = time.getAsLong();
        b.receive(ping, a);
        a.receive(b.sent(), b);
        UUID bId = b.self.nodeId();
        a.receive(signed(new BeaconMessage.Pong(bId, 1, sentNanos), SECRET, time), B_ADDR);
        a.receive(signed(new BeaconMessage.Pong(bId, 99, sentNanos), SECRET, time), B_ADDR);
        a.receive(signed(new BeaconMessage.Pong(UUID.randomUUID(), 1, sentNanos), SECRET, time), B_ADDR);

        assertEquals(1, a.peers.latencies().get(bId).samples());
        assertEquals(1, a.counters.snapshot().pongsReceived());
        assertEquals(0, a.counters.snapshot().dropped());
        assertEquals(1, a.peers.latencies().size());
    }

    @Test
    void answersAPingFromANonPeer_butKeepsNoLatencyForIt() {
        UUID stranger = UUID.randomUUID();
        a.receive(signed(new BeaconMessage.Ping(stranger, 7, 12345), SECRET, time), STRANGER);
        DatagramPacket pong = a.sent();
        assertEquals(STRANGER, pong.recipient());
        b.receive(pong, a);
        assertTrue(a.peers.peers().isEmpty());
        assertTrue(a.peers.latencies().isEmpty());
        assertEquals(1, a.counters.snapshot().accepted());
    }

    @Test
    void countsAPingAsLost_whenUnansweredPastTheDeadline() {
        introduce(b, a);
        a.protocol.latencyTick();
        a.discardSent();
        time.advance(Duration.ofMillis(999));
        a.protocol.latencyTick();
        assertNull(a.peers.latencies().get(b.self.nodeId()), "not lost before max(2 x latencyInterval, 1 s)");
        time.advance(Duration.ofMillis(2));
        a.protocol.latencyTick();
        PeerLatency l = a.peers.latencies().get(b.self.nodeId());
        assertEquals(1, l.lost());
        assertEquals(0, l.samples());
        a.discardSent();
    }

    @Test
    void losesASilentPeer_afterPeerTimeout_andTellsListeners() {
        introduce(b, a);
        a.protocol.latencyTick();
        b.receive(a.sent(), a);
        a.receive(b.sent(), b);
        time.advance(Duration.ofMillis(300));
        a.protocol.beaconTick();
        assertEquals(1, a.peers.peers().size(), "not lost at exactly peerTimeout");
        time.advance(Duration.ofMillis(1));
        a.protocol.beaconTick();
        assertTrue(a.peers.peers().isEmpty());
        assertTrue(a.peers.latencies().isEmpty(), "the latency entry goes with the peer");
        assertEquals(List.of("heard b", "lost b"), a.events);
        a.discardSent();
    }

    @Test
    void ignoresItsOwnAnnouncement_countingItAsOwn() {
        a.protocol.announce();
        a.receive(a.sent(), a);
        NetworkStats s = a.counters.snapshot();
        assertEquals(1, s.ignoredOwn());
        assertEquals(0, s.accepted());
        assertEquals(0, s.dropped());
        assertTrue(a.peers.peers().isEmpty());
    }

    @Test
    void announcesToTargetsAndUnicastPeers_butNotToPeersHeardByMulticast() {
        Announcement viaUnicast = NetFixtures.announcement("u", "far");
        Announcement viaMulticast = NetFixtures.announcement("m", "near");
        InetSocketAddress uAddr = new InetSocketAddress("127.0.0.1", 47030);
        a.protocol.receive(new ReceivedBeacon(new BeaconMessage.Announce(viaUnicast, 47030), uAddr, 0), false);
        a.protocol.receive(new ReceivedBeacon(new BeaconMessage.Announce(viaMulticast, 47040),
            new InetSocketAddress("127.0.0.1", 47040), 0), true);
        a.discardSent();
        a.protocol.announce();
        assertEquals(GROUP, recipientOf(a.sent()));
        assertEquals(uAddr, recipientOf(a.sent()));
        assertNull(a.sent());
    }

    @Test
    void keepsNotUnicastingAPeerHeardByMulticast_untilItsMulticastIsSilentForPeerTimeout() {
        Announcement m = NetFixtures.announcement("m", "near");
        InetSocketAddress mAddr = new InetSocketAddress("127.0.0.1", 47040);
        ReceivedBeacon beacon = new ReceivedBeacon(new BeaconMessage.Announce(m, 47040), mAddr, 0);
        a.protocol.receive(beacon, true);
        a.discardSent();
        time.advance(Duration.ofMillis(300));
        a.protocol.receive(beacon, false);
        assertFalse(a.peers.peer(m.nodeId()).orElseThrow().viaMulticast());
        a.protocol.announce();
        assertEquals(GROUP, recipientOf(a.sent()));
        assertNull(a.sent(), "its last announcement came by unicast, but its multicast still reaches us");

        time.advance(Duration.ofMillis(1));
        a.protocol.announce();
        assertEquals(GROUP, recipientOf(a.sent()));
        assertEquals(mAddr, recipientOf(a.sent()), "multicast silent for peerTimeout: unicast it");
    }

    @Test
    void delaysPingsAndPongsToAPeerOfAnInjectedSite() {
        PipelineFixture far = fixture("far", "site-f", new InetSocketAddress("127.0.0.1", 47050), false,
            config().injectedLatency(Map.of("site-a", Duration.ofMillis(40))));
        try {
            introduce(a, far);
            a.protocol.latencyTick();
            far.receive(a.sent(), a);
            assertNull(far.sent(), "the pong waits");
            far.channel.advanceTimeBy(40, TimeUnit.MILLISECONDS);
            far.channel.runScheduledPendingTasks();
            assertEquals(A_ADDR, recipientOf(far.sent()));

            far.protocol.latencyTick();
            assertNull(far.sent(), "so does the ping");
            far.channel.advanceTimeBy(40, TimeUnit.MILLISECONDS);
            far.channel.runScheduledPendingTasks();
            assertEquals(A_ADDR, recipientOf(far.sent()));
        }
        finally {
            far.close();
        }
    }

    @Test
    void readsIntoBuffersOneByteLongerThanMaxPacketBytes() {
        var handle = ((FixedRecvByteBufAllocator)a.channel.config().getRecvByteBufAllocator()).newHandle();
        assertEquals(513, handle.guess());
    }

    /** Feeds {@code datagram} to {@code a} and checks it was dropped for the one {@code reason}, and released. */
    private void assertDropped(byte[] datagram, ToLongFunction<NetworkStats> counter) {
        ByteBuf buf = a.receive(datagram, STRANGER);
        assertEquals(0, buf.refCnt(), "released");
        NetworkStats s = a.counters.snapshot();
        assertEquals(1, counter.applyAsLong(s), s::toString);
        assertEquals(1, s.dropped(), s::toString);
        assertEquals(1, s.datagramsReceived());
        assertEquals(0, s.accepted());
        assertTrue(a.peers.peers().isEmpty());
        assertNull(a.sent(), "nothing answered");
        assertTrue(a.events.isEmpty());
        a.channel.checkException();
    }

    private byte[] validAnnounce() {
        return signed(new BeaconMessage.Announce(b.self, 47020), SECRET, time);
    }

    @Test
    void dropsUnauthenticatedBeacon_whenSignedWithAnotherSecret() {
        assertDropped(signed(new BeaconMessage.Announce(b.self, 47020), NetFixtures.secret(), time),
            NetworkStats::droppedUnauthenticated);
    }

    @Test
    void dropsUnauthenticatedBeacon_whenAnHmacByteIsFlipped() {
        byte[] d = validAnnounce();
        d[d.length - 1] ^= 1;
        assertDropped(d, NetworkStats::droppedUnauthenticated);
    }

    @Test
    void dropsUnauthenticatedBeacon_whenABodyByteIsFlipped() {
        byte[] d = validAnnounce();
        d[BeaconFrameDecoder.HEADER_BYTES + 3] ^= 1;
        assertDropped(d, NetworkStats::droppedUnauthenticated);
    }

    @Test
    void dropsMalformedBeacon_whenTruncated() {
        byte[] d = validAnnounce();
        assertDropped(Arrays.copyOf(d, d.length - 1), NetworkStats::droppedMalformed);
    }

    @Test
    void dropsMalformedBeacon_whenShorterThanAnEmptyFrame() {
        assertDropped(Arrays.copyOf(validAnnounce(), 63), NetworkStats::droppedMalformed);
    }

    @Test
    void dropsMalformedBeacon_whenMagicIsWrong() {
        assertDropped(frame(0x46414253, 1, 2, now(), 32, new byte[32], SECRET), NetworkStats::droppedMalformed);
    }

    @Test
    void dropsMalformedBeacon_whenVersionIsUnknown() {
        assertDropped(frame(BeaconFrameDecoder.MAGIC, 2, 2, now(), 32, new byte[32], SECRET),
            NetworkStats::droppedMalformed);
    }

    @Test
    void dropsMalformedBeacon_whenTypeIsUnknown() {
        assertDropped(frame(BeaconFrameDecoder.MAGIC, 1, 4, now(), 32, new byte[32], SECRET),
            NetworkStats::droppedMalformed);
    }

    @Test
    void dropsMalformedBeacon_whenBodyLengthDoesNotMatch() {
        assertDropped(frame(BeaconFrameDecoder.MAGIC, 1, 2, now(), 30, new byte[32], SECRET),
            NetworkStats::droppedMalformed);
    }

    @Test
    void dropsOversizedDatagram_longerThanMaxPacketBytes() {
        byte[] d = new byte[513];
        System.arraycopy(validAnnounce(), 0, d, 0, 64);
        assertDropped(d, NetworkStats::droppedOversized);
    }

    @Test
    void dropsAtMaxPacketBytesOnlyForWhatIsWrongWithIt() {
        assertDropped(new byte[512], NetworkStats::droppedMalformed);
    }

    @Test
    void dropsReplayedBeacon_whenTimestampIsOlderThanTheWindow() {
        Clock old = Clock.fixed(time.instant().minusSeconds(30).minusMillis(1), ZoneOffset.UTC);
        assertDropped(signed(new BeaconMessage.Announce(b.self, 47020), SECRET, old), NetworkStats::droppedReplayed);
    }

    @Test
    void dropsReplayedBeacon_whenTimestampIsTooFarInTheFuture() {
        Clock ahead = Clock.fixed(time.instant().plusSeconds(30).plusMillis(1), ZoneOffset.UTC);
        assertDropped(signed(new BeaconMessage.Announce(b.self, 47020), SECRET, ahead),
            NetworkStats::droppedReplayed);
    }

    @Test
    void acceptsBeacon_whenTimestampIsJustWithinTheWindow() {
        Clock old = Clock.fixed(time.instant().minusSeconds(30), ZoneOffset.UTC);
        a.receive(signed(new BeaconMessage.Announce(b.self, 47020), SECRET, old), B_ADDR);
        assertEquals(1, a.counters.snapshot().accepted());
        a.discardSent();
    }

    @Test
    void dropsReplayedBeacon_whenNonceWasSeen() {
        byte[] d = validAnnounce();
        ByteBuf first = a.receive(d, B_ADDR);
        assertEquals(0, first.refCnt());
        a.discardSent();
        a.events.clear();
        a.peers.clear();
        ByteBuf copy = a.receive(d, B_ADDR);
        assertEquals(0, copy.refCnt());
        NetworkStats s = a.counters.snapshot();
        assertEquals(1, s.droppedReplayed(), s::toString);
        assertEquals(1, s.accepted());
        assertTrue(a.peers.peers().isEmpty(), "the copy adds nothing");
        assertTrue(a.events.isEmpty());
    }

    static Stream<Arguments> malformedBodies() {
        UUID id = UUID.randomUUID();
        return Stream.of(
            Arguments.of("ping body of 31 bytes", BeaconType.PING, new byte[31]),
            Arguments.of("pong body of 33 bytes", BeaconType.PONG, new byte[33]),
            Arguments.of("announce cut after the node id", BeaconType.ANNOUNCE, announce(id, 0).limit(16)),
            Arguments.of("unicast port 0", BeaconType.ANNOUNCE, announce(id, 0).name("n").name("s").name("h:1")
                .count(0).bytes()),
            Arguments.of("string longer than its field", BeaconType.ANNOUNCE, announce(id, 1).name("n".repeat(257))
                .name("s").name("h:1").count(0).bytes()),
            Arguments.of("string length beyond the body", BeaconType.ANNOUNCE, announce(id, 1).u16(200).bytes()),
            Arguments.of("string that is not UTF-8", BeaconType.ANNOUNCE, announce(id, 1).u16(2).u8(0xC3).u8(0x28)
                .name("s").name("h:1").count(0).bytes()),
            Arguments.of("blank agent name", BeaconType.ANNOUNCE, announce(id, 1).name(" ").name("s").name("h:1")
                .count(0).bytes()),
            Arguments.of("data path without port", BeaconType.ANNOUNCE, announce(id, 1).name("n").name("s")
                .name("host").count(0).bytes()),
            Arguments.of("33 fabric summaries", BeaconType.ANNOUNCE, announce(id, 1).name("n").name("s").name("h:1")
                .count(33).bytes()),
            Arguments.of("fewer summaries than counted", BeaconType.ANNOUNCE, announce(id, 1).name("n").name("s")
                .name("h:1").count(2).u8(0).u8(0).u16(1).bytes()),
            Arguments.of("unknown fabric type ordinal", BeaconType.ANNOUNCE, announce(id, 1).name("n").name("s")
                .name("h:1").count(1).u8(4).u8(0).u16(1).bytes()),
            Arguments.of("unknown status ordinal", BeaconType.ANNOUNCE, announce(id, 1).name("n").name("s")
                .name("h:1").count(1).u8(0).u8(3).u16(1).bytes()),
            Arguments.of("fabric count 0", BeaconType.ANNOUNCE, announce(id, 1).name("n").name("s").name("h:1")
                .count(1).u8(0).u8(0).u16(0).bytes()),
            Arguments.of("bytes after the last field", BeaconType.ANNOUNCE, announce(id, 1).name("n").name("s")
                .name("h:1").count(0).u8(7).bytes()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("malformedBodies")
    void dropsMalformedBody_afterAValidHmac(String what, BeaconType type, byte[] body) {
        assertDropped(frame(type, now(), body, SECRET), NetworkStats::droppedMalformed);
    }

    @Test
    void countsAnythingUnexpectedAsMalformed_withoutAnUnhandledException() {
        NetworkCounters counters = new NetworkCounters();
        DropLog drops = new DropLog("agent network t", a.cfg, counters);
        EmbeddedChannel ch = new EmbeddedChannel(new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                throw new IllegalStateException("a bug");
            }
        }, new DropHandler(drops));
        ch.writeInbound("anything");
        ByteBuf stray = Unpooled.buffer(4);
        EmbeddedChannel passThrough = new EmbeddedChannel(new DropHandler(drops));
        passThrough.writeInbound(stray);
        assertEquals(2, counters.snapshot().droppedMalformed());
        assertEquals(0, stray.refCnt(), "a message nobody took is released");
        ch.checkException();
        assertFalse(ch.finish());
        assertFalse(passThrough.finish());
    }

    /** Builds an ANNOUNCE body field by field, to break it on purpose. */
    private static BodyBuilder announce(UUID id, int port) {
        return new BodyBuilder().u64(id.getMostSignificantBits()).u64(id.getLeastSignificantBits()).u16(port);
    }

    private static final class BodyBuilder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final DataOutputStream out = new DataOutputStream(bytes);

        BodyBuilder u8(int v) {
            return write(() -> out.writeByte(v));
        }

        BodyBuilder u16(int v) {
            return write(() -> out.writeShort(v));
        }

        BodyBuilder u64(long v) {
            return write(() -> out.writeLong(v));
        }

        BodyBuilder name(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            return u16(b.length).write(() -> out.write(b));
        }

        BodyBuilder count(int k) {
            return u8(k);
        }

        byte[] limit(int n) {
            return Arrays.copyOf(bytes(), n);
        }

        byte[] bytes() {
            return bytes.toByteArray();
        }

        private BodyBuilder write(IoAction action) {
            try {
                action.run();
            }
            catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return this;
        }

        private interface IoAction {
            void run() throws IOException;
        }
    }

    @Test
    void roundTripsEveryBodyThroughTheCodec() {
        for (BeaconMessage m : List.of(new BeaconMessage.Announce(a.self, 65535),
            new BeaconMessage.Ping(UUID.randomUUID(), Long.MIN_VALUE, -1), new BeaconMessage.Pong(UUID.randomUUID(),
                Long.MAX_VALUE, 42))) {
            ByteBuf buf = Unpooled.buffer();
            try {
                BeaconBody.write(m, buf);
                assertEquals(m, BeaconBody.read(m.type(), buf));
            }
            finally {
                buf.release();
            }
        }
    }
}
