package io.fabricstitch.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class NetworkConfigurationTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef";

    private static NetworkConfiguration.Builder valid() {
        return NetworkConfiguration.builder().secret(SECRET);
    }

    private static String rejected(UnaryOperator<NetworkConfiguration.Builder> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build()).getMessage();
    }

    @Test
    void defaultsEverythingButTheSecret() {
        NetworkConfiguration c = valid().build();
        assertEquals("239.255.47.47", c.multicastGroup());
        assertEquals(47400, c.multicastPort());
        assertTrue(c.multicastEnabled());
        assertNull(c.interfaceName());
        assertEquals(1, c.ttl());
        assertEquals("127.0.0.1", c.bindHost());
        assertEquals(0, c.unicastPort());
        assertEquals(1, c.unicastPortRange());
        assertEquals(List.of(), c.seeds());
        assertEquals(Duration.ofSeconds(1), c.beaconInterval());
        assertEquals(Duration.ofSeconds(3), c.peerTimeout());
        assertEquals(Duration.ofSeconds(1), c.latencyInterval());
        assertEquals(Duration.ofSeconds(30), c.replayWindow());
        assertEquals(1400, c.maxPacketBytes());
        assertEquals(Map.of(), c.injectedLatency());
        assertEquals(32, c.secret().length);
    }

    @Test
    void derivesPeerTimeoutFromTheBeaconInterval_unlessSet() {
        assertEquals(Duration.ofMillis(300), valid().beaconInterval(Duration.ofMillis(100)).build().peerTimeout());
        assertEquals(Duration.ofMillis(500), valid().beaconInterval(Duration.ofMillis(100))
            .peerTimeout(Duration.ofMillis(500)).build().peerTimeout());
    }

    @Test
    void rejectsAShortSecret_suggestingHowToMakeOne() {
        assertEquals("beaconSecret: 8 bytes (expected: at least 16 bytes, e.g. the output of: openssl rand -hex 32)",
            rejected(b -> b.secret(new byte[8])));
        assertEquals("beaconSecret: null (expected: at least 16 bytes, e.g. the output of: openssl rand -hex 32)",
            assertThrows(IllegalArgumentException.class, () -> NetworkConfiguration.builder().build()).getMessage());
        assertEquals("beaconSecret: 1025 bytes (expected: at most 1024 bytes)",
            rejected(b -> b.secret(new byte[1025])));
    }

    @Test
    void neverShowsTheSecret() {
        NetworkConfiguration c = valid().build();
        assertFalse(c.toString().contains(SECRET), c::toString);
        assertTrue(c.toString().contains("secret=32 bytes"), c::toString);
    }

    @Test
    void copiesTheSecretInAndOut() {
        byte[] secret = SECRET.getBytes(StandardCharsets.UTF_8);
        NetworkConfiguration c = valid().secret(secret).build();
        secret[0] = 'X';
        c.secret()[1] = 'Y';
        assertEquals(SECRET, new String(c.secret(), StandardCharsets.UTF_8));
    }

    @Test
    void rejectsAGroupThatIsNotIpv4Multicast() {
        assertEquals("multicastGroup: '10.0.0.1' (expected: an IPv4 multicast address, 224.0.0.0..239.255.255.255, "
            + "e.g. 239.255.47.47)", rejected(b -> b.multicastGroup("10.0.0.1")));
        rejected(b -> b.multicastGroup("239.255.47.256"));
        rejected(b -> b.multicastGroup("ff02::1"));
        rejected(b -> b.multicastGroup(null));
    }

    @Test
    void rejectsPortsAndTtlOutOfRange() {
        assertEquals("multicastPort: 0 (expected: 1..65535)", rejected(b -> b.multicastPort(0)));
        assertEquals("unicastPort: 65536 (expected: 0..65535)", rejected(b -> b.unicastPort(65536)));
        assertEquals("ttl: 256 (expected: 0..255)", rejected(b -> b.ttl(256)));
        assertEquals("unicastPortRange: 10 (expected: 1..6 with unicastPort 65530)",
            rejected(b -> b.unicastPort(65530).unicastPortRange(10)));
        assertEquals("unicastPortRange: 10 (expected: 1..1, as unicastPort 0 takes one ephemeral port)",
            rejected(b -> b.unicastPortRange(10)));
    }

    @Test
    void rejectsABindHostThatIsNeitherIpv4NorAHostName() {
        assertEquals("bindHost: '::1' (expected: an IPv4 address, 0.0.0.0 for all, or a host name)",
            rejected(b -> b.bindHost("::1")));
        rejected(b -> b.bindHost("300.1.1.1"));
        rejected(b -> b.bindHost(" "));
        assertEquals("node-1.example.org", valid().bindHost("node-1.example.org").build().bindHost());
        assertEquals("0.0.0.0", valid().bindHost("0.0.0.0").build().bindHost());
    }

    @Test
    void rejectsAMalformedSeed_namingTheForm() {
        assertEquals("seeds element: 'x' (expected: host:port or host:port..port)", rejected(b -> b.seed("x")));
        assertEquals("seeds element: 'h:5..4' (expected: host:port or host:port..port with ports 1..65535, the first "
            + "not above the last)", rejected(b -> b.seed("h:5..4")));
        assertEquals("seeds element: 'h:1..2000' (expected: at most 1024 ports in a range)",
            rejected(b -> b.seed("h:1..2000")));
        rejected(b -> b.seeds(List.of("ok:1", "h:0")));
    }

    @Test
    void expandsASeedPortRangeToEveryPort() throws UnknownHostException {
        NetworkConfiguration c = valid().seeds(List.of("127.0.0.1:47410..47412", " localhost:9 ")).build();
        assertEquals(List.of("127.0.0.1:47410..47412", "localhost:9"), c.seeds());
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 47410), new InetSocketAddress("127.0.0.1", 47411),
            new InetSocketAddress("127.0.0.1", 47412)), SeedAddress.parse(c.seeds().get(0)).resolve());
    }

    @Test
    void rejectsDurationsOutOfRange() {
        assertEquals("beaconInterval: 10 ms (expected: 50 ms..60 s)",
            rejected(b -> b.beaconInterval(Duration.ofMillis(10))));
        assertEquals("peerTimeout: 1500 ms (expected: at least 2 x beaconInterval = 2 s)",
            rejected(b -> b.peerTimeout(Duration.ofMillis(1500))));
        assertEquals("latencyInterval: 61 s (expected: 10 ms..60 s)",
            rejected(b -> b.latencyInterval(Duration.ofSeconds(61))));
        assertEquals("replayWindow: 999 ms (expected: 1 s..3600 s)",
            rejected(b -> b.replayWindow(Duration.ofMillis(999))));
        assertEquals("maxPacketBytes: 255 (expected: 256..65000)", rejected(b -> b.maxPacketBytes(255)));
        assertEquals("beaconInterval: null (expected: 50 ms..60 s)", rejected(b -> b.beaconInterval(null)));
    }

    @Test
    void acceptsInjectedLatencyUpToTenSeconds() {
        assertEquals(Map.of("site-b", Duration.ofMillis(40)), valid()
            .injectedLatency(Map.of("site-b", Duration.ofMillis(40))).build().injectedLatency());
        assertEquals("injectedLatency[far]: 11 s (expected: 0 s..10 s)",
            rejected(b -> b.injectedLatency(Map.of("far", Duration.ofSeconds(11)))));
        assertEquals("injectedLatency[far]: -1 ms (expected: 0 s..10 s)",
            rejected(b -> b.injectedLatency(Map.of("far", Duration.ofMillis(-1)))));
    }

    @Test
    void rebuildsTheSameConfigurationFromToBuilder() {
        NetworkConfiguration c = valid().seed("h:1").beaconInterval(Duration.ofMillis(200)).interfaceName("lo")
            .build();
        assertEquals(c.toString(), c.toBuilder().build().toString());
    }
}
