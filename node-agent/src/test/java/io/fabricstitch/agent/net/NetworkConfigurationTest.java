package io.fabricstitch.agent.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

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
        assertEquals("network.beaconSecret: 8 bytes (expected: at least 16 bytes, e.g. the output of: openssl rand "
            + "-hex 32)", rejected(b -> b.secret("8 bytes!")));
        assertEquals("network.beaconSecret: 1025 bytes (expected: at most 1024 bytes)",
            rejected(b -> b.secret("x".repeat(1025))));
    }

    @Test
    void refusesToStartWithoutASecret_namingWhereOneIsSet() {
        assumeTrue(System.getenv(FabricNetworkConfiguration.ENV_BEACON_SECRET) == null,
            "the environment sets " + FabricNetworkConfiguration.ENV_BEACON_SECRET);
        assertEquals("network.beaconSecret: unset (expected: beaconSecret, beaconSecretFile or the "
            + "FABRIC_BEACON_SECRET environment variable, at least 16 bytes)",
            assertThrows(IllegalArgumentException.class, () -> NetworkConfiguration.builder().build()).getMessage());
    }

    @Test
    void readsEverySettingFromTheBeanItWasGiven_asItIs() {
        FabricNetworkConfiguration bean = new FabricNetworkConfiguration().setBeaconSecret(SECRET).setBeaconPort(47401)
            .setAgentPort(47500).setAgentPortRange(3).setBeaconIntervalMs(200).setInjectedLatency("site-b=20");
        NetworkConfiguration c = NetworkConfiguration.of(bean, "127.0.0.1");
        assertSame(bean, c.settings());
        assertEquals(47401, c.multicastPort());
        assertEquals(47500, c.unicastPort());
        assertEquals(3, c.unicastPortRange());
        assertEquals(Duration.ofMillis(200), c.beaconInterval());
        assertEquals(Map.of("site-b", Duration.ofMillis(20)), c.injectedLatency());
        assertEquals(0, NetworkConfiguration.builder(bean).anyPort(true).build().unicastPort());
    }

    @Test
    void refusesAnInvalidBean_namingTheSettingByItsPath() {
        assertEquals("network.beaconIntervalMs: 10 (expected: 50..60000)", assertThrows(
            IllegalArgumentException.class, () -> NetworkConfiguration.of(new FabricNetworkConfiguration()
                .setBeaconSecret(SECRET).setBeaconIntervalMs(10), "127.0.0.1")).getMessage());
    }

    @Test
    void neverShowsTheSecret() {
        NetworkConfiguration c = valid().build();
        assertFalse(c.toString().contains(SECRET), c::toString);
        assertTrue(c.toString().contains("secret=32 bytes"), c::toString);
    }

    @Test
    void copiesTheSecretOut() {
        NetworkConfiguration c = valid().build();
        c.secret()[1] = 'Y';
        assertEquals(SECRET, new String(c.secret(), StandardCharsets.UTF_8));
    }

    @Test
    void rejectsAGroupThatIsNotIpv4Multicast() {
        assertEquals("network.beaconGroup: '10.0.0.1' (expected: an IPv4 multicast address, "
            + "224.0.0.0..239.255.255.255, e.g. 239.255.47.47)", rejected(b -> b.multicastGroup("10.0.0.1")));
        rejected(b -> b.multicastGroup("239.255.47.256"));
        rejected(b -> b.multicastGroup("ff02::1"));
        rejected(b -> b.multicastGroup(null));
    }

    @Test
    void rejectsPortsAndTtlOutOfRange() {
        assertEquals("network.beaconPort: 0 (expected: 1..65535)", rejected(b -> b.multicastPort(0)));
        assertEquals("network.agentPort: 65536 (expected: 0..65535)", rejected(b -> b.unicastPort(65536)));
        assertEquals("network.beaconTtl: 256 (expected: 0..255)", rejected(b -> b.ttl(256)));
        assertEquals("network.agentPortRange: 10 (expected: 1..6 with network.agentPort 65530)",
            rejected(b -> b.unicastPort(65530).unicastPortRange(10)));
        assertEquals(1, valid().unicastPortRange(10).build().unicastPortRange(), "agentPort 0: one ephemeral port");
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
        assertEquals("network.beaconSeeds element: 'x' (expected: host:port or host:port..port)",
            rejected(b -> b.seed("x")));
        assertEquals("network.beaconSeeds element: 'h:5..4' (expected: host:port or host:port..port with ports "
            + "1..65535, the first not above the last)", rejected(b -> b.seed("h:5..4")));
        assertEquals("network.beaconSeeds element: 'h:1..2000' (expected: at most 1024 ports in a range)",
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
        assertEquals("network.beaconIntervalMs: 10 (expected: 50..60000)",
            rejected(b -> b.beaconInterval(Duration.ofMillis(10))));
        assertEquals("peerTimeout: 1500 ms (expected: at least 2 x network.beaconIntervalMs = 2 s, at most 3600 s)",
            rejected(b -> b.peerTimeout(Duration.ofMillis(1500))));
        assertEquals("network.latencyProbeIntervalMs: 61000 (expected: 10..60000)",
            rejected(b -> b.latencyInterval(Duration.ofSeconds(61))));
        assertEquals("network.beaconReplayWindowMs: 999 (expected: 1000..3600000)",
            rejected(b -> b.replayWindow(Duration.ofMillis(999))));
        assertEquals("maxPacketBytes: 255 (expected: 256..65000)", rejected(b -> b.maxPacketBytes(255)));
    }

    @Test
    void acceptsInjectedLatencyUpToTenSeconds() {
        assertEquals(Map.of("site-b", Duration.ofMillis(40)), valid()
            .injectedLatency(Map.of("site-b", Duration.ofMillis(40))).build().injectedLatency());
        assertEquals("network.injectedLatency far: 11000 (expected: 0..10000)",
            rejected(b -> b.injectedLatency(Map.of("far", Duration.ofSeconds(11)))));
        assertEquals("network.injectedLatency far: -1 (expected: 0..10000)",
            rejected(b -> b.injectedLatency(Map.of("far", Duration.ofMillis(-1)))));
    }

}
