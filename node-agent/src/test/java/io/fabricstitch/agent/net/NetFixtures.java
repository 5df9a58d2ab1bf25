package io.fabricstitch.agent.net;

import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

/** Secrets, announcements, configurations and hand-made datagrams for the tests of this package. */
final class NetFixtures {
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Where hand-made datagrams claim to go. */
    static final InetSocketAddress LOCAL = new InetSocketAddress("127.0.0.1", 47001);

    static final List<FabricSummary> FABRICS = List.of(FabricSummary.of(FabricType.GPU, FabricStatus.ONLINE, 2),
        FabricSummary.of(FabricType.CPU, FabricStatus.ONLINE, 1));

    private NetFixtures() {
    }

    /** A fresh random secret: 32 hexadecimal digits (32 bytes as UTF-8). */
    static String secret() {
        byte[] s = new byte[16];
        RANDOM.nextBytes(s);
        return java.util.HexFormat.of().formatHex(s);
    }

    /** A multicast port for one test class, in 47600..47899, so that concurrent runs rarely meet. */
    static int multicastPort() {
        return 47600 + ThreadLocalRandom.current().nextInt(300);
    }

    /** An agent name unique to this run, so that its thread is recognisable. */
    static String agentName(String prefix) {
        return prefix + '-' + Integer.toHexString(ThreadLocalRandom.current().nextInt(1 << 20));
    }

    static Announcement announcement(String agentName, String site) {
        return Announcement.of(UUID.randomUUID(), agentName, site, "127.0.0.1:0", FABRICS);
    }

    /** Loopback only: interface and bind host 127.0.0.1, ephemeral unicast port, short intervals. */
    static NetworkConfiguration.Builder loopback(int multicastPort, String secret) {
        return NetworkConfiguration.builder().secret(secret).interfaceName("127.0.0.1").bindHost("127.0.0.1")
            .multicastPort(multicastPort).beaconInterval(Duration.ofMillis(50)).peerTimeout(Duration.ofSeconds(2))
            .latencyInterval(Duration.ofMillis(20));
    }

    /** {@code message} as our encoder signs it with {@code secret}, timestamped by {@code clock}. */
    static byte[] signed(BeaconMessage message, String secret, Clock clock) {
        NetworkConfiguration cfg = NetworkConfiguration.builder().secret(secret).clock(clock).build();
        EmbeddedChannel ch = new EmbeddedChannel(new BeaconEncoder(cfg.secret(), cfg));
        try {
            ch.writeOutbound(new OutgoingBeacon(message, LOCAL));
            DatagramPacket p = ch.readOutbound();
            try {
                return ByteBufUtil.getBytes(p.content());
            }
            finally {
                p.release();
            }
        }
        finally {
            ch.finishAndReleaseAll();
        }
    }

    /**
     * A datagram made by hand, signed with {@code secret}: any magic, version, type and declared body length.
     */
    static byte[] frame(int magic, int version, int type, long timestampMillis, int declaredBodyLength, byte[] body,
        String secret) {
        byte[] nonce = new byte[16];
        RANDOM.nextBytes(nonce);
        ByteBuf b = Unpooled.buffer();
        try {
            b.writeInt(magic).writeByte(version).writeByte(type).writeLong(timestampMillis).writeBytes(nonce)
                .writeShort(declaredBodyLength).writeBytes(body);
            byte[] mac = new byte[BeaconMac.BYTES];
            new BeaconMac(secret.getBytes(StandardCharsets.UTF_8)).compute(b, 0, b.readableBytes(), mac);
            b.writeBytes(mac);
            return ByteBufUtil.getBytes(b);
        }
        finally {
            b.release();
        }
    }

    /** A well-formed frame of {@code type} with {@code body}, signed with {@code secret}. */
    static byte[] frame(BeaconType type, long timestampMillis, byte[] body, String secret) {
        return frame(BeaconFrameDecoder.MAGIC, BeaconFrameDecoder.VERSION, type.code(), timestampMillis, body.length,
            body, secret);
    }
}
