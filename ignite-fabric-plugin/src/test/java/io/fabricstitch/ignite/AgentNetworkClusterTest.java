package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.net.AgentNetwork;
import io.fabricstitch.agent.net.Announcement;
import io.fabricstitch.agent.net.FabricSummary;
import io.fabricstitch.agent.net.NetworkConfiguration;
import io.fabricstitch.agent.net.NetworkStats;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Beacons and latency probes on real nodes: the measured matrix in {@code FABRIC.FABRIC_LATENCY}, the cost function
 * using the caller-to-fabric pair (lat0 emulates a far link to lat1 with the test-only injector), agents that beacon
 * without being members in {@code FABRIC.FABRIC_AGENT}, and forged datagrams dropped and counted without touching the
 * map.
 */
class AgentNetworkClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final long INJECTED_MS = 30;

    static Ignite lat0;
    static Ignite lat1;

    static DeclaredFabric gpu(String name, double latencyMs) {
        return new DeclaredFabric().setName(name).setType(FabricType.GPU).setModel(name + " (declared)")
            .setResourceUnit("MiB").setResourceCount(1024).setLatencyMs(latencyMs).setFunctions(List.of("sha256"));
    }

    @BeforeAll
    static void startCluster() {
        lat0 = CLUSTER.start("lat0", p -> {
            p.getAgent().setDeviceAllowList(List.of("declared:none")).setHealthIntervalMs(200)
                .setRealProbesEnabled(false);
            p.getNetwork().setBeaconIntervalMs(200).setLatencyProbeIntervalMs(100)
                .setInjectedLatency("lat1=" + INJECTED_MS);
        });
        lat1 = CLUSTER.start("lat1", p -> {
            p.getAgent().setDeclaredFabrics(List.of(gpu("g-near-but-slow-link", 0)))
                .setDeviceAllowList(List.of("declared:g-near-but-slow-link")).setHealthIntervalMs(200)
                .setRealProbesEnabled(false);
            p.getNetwork().setBeaconIntervalMs(200).setLatencyProbeIntervalMs(100);
        });
        CLUSTER.start("lat2", p -> {
            p.getAgent().setDeclaredFabrics(List.of(gpu("g-5ms", 5))).setDeviceAllowList(List.of("declared:g-5ms"))
                .setHealthIntervalMs(200).setRealProbesEnabled(false);
            p.getNetwork().setBeaconIntervalMs(200).setLatencyProbeIntervalMs(100);
        });
        Timing.await("lat0's matrix with its pairs to lat1 (injected) and lat2", () -> {
            var m = FabricPlugin.of(lat0).selector().latencyMatrix();
            UUID n1 = lat1.cluster().localNode().id();
            return m.networkMs(lat0.cluster().localNode().id(), n1) >= INJECTED_MS && lat0.cluster().nodes().stream()
                .allMatch(n -> !Double.isNaN(m.networkMs(lat0.cluster().localNode().id(), n.id())));
        });
    }

    static List<List<String>> sql(String query) {
        return FabricTestCluster.sql(query);
    }

    @Test
    void latencyMatrix_isInSql_withEveryPairMeasuredBothWays() {
        Timing.await("6 latency rows", () -> sql("SELECT * FROM FABRIC.FABRIC_LATENCY").size() == 6);
        List<List<String>> rows = sql("SELECT FROM_NAME, TO_NAME, RTT_MICROS, JITTER_MICROS, UPDATED_AT "
            + "FROM FABRIC.FABRIC_LATENCY ORDER BY FROM_NAME, TO_NAME");
        for (List<String> r : rows) {
            assertTrue(Long.parseLong(r.get(2)) > 0, "a measured round trip: " + r);
            assertTrue(Long.parseLong(r.get(3)) >= 0, r::toString);
        }
        assertEquals(List.of("lat0", "lat1"), rows.get(0).subList(0, 2));
        assertTrue(Long.parseLong(rows.get(0).get(2)) >= INJECTED_MS * 1000, "injected delay measured: " + rows.get(0));
        assertTrue(Long.parseLong(rows.get(2).get(2)) >= INJECTED_MS * 1000, "measured back too: " + rows.get(2));
    }

    @Test
    void costFunction_usesTheCallerToFabricPair_overTheFabricsOwnLatency() {
        Placement p = FabricCompute.of(lat0).execute(TaskRequest.builder("sha256").require(FabricType.GPU, 64)
            .priority("latency-critical").input(new byte[16]).build()).placement();
        assertEquals("g-5ms (declared)", p.model(), "the 0 ms GPU sits behind a " + INJECTED_MS + " ms link");
        assertTrue(p.terms().latencyMs() >= 5 && p.terms().latencyMs() < INJECTED_MS, p.toString());
        Placement local = FabricCompute.of(lat1).execute(TaskRequest.builder("sha256").require(FabricType.GPU, 64)
            .priority("latency-critical").input(new byte[16]).build()).placement();
        assertEquals("g-near-but-slow-link (declared)", local.model(), "from its own node the GPU is 0 ms away");
        assertEquals(0.0, local.terms().latencyMs());
    }

    @Test
    void agentThatBeaconsWithoutJoining_isListedAsNotInTheCluster() throws Exception {
        NetworkConfiguration nc = NetworkConfiguration.builder().secret(CLUSTER.beaconSecret())
            .multicastPort(CLUSTER.beaconPort()).interfaceName("127.0.0.1").bindHost("127.0.0.1").unicastPort(0)
            .build();
        UUID strangerId = UUID.randomUUID();
        try (AgentNetwork stranger = new AgentNetwork(nc, () -> Announcement.of(strangerId, "site-c-agent", "site-c",
            "127.0.0.1:0", List.of(FabricSummary.of(FabricType.GPU, FabricStatus.ONLINE, 2))))) {
            stranger.start();
            Timing.await("the stranger in FABRIC_AGENT", () -> !sql("SELECT * FROM FABRIC.FABRIC_AGENT WHERE NODE_ID = '"
                + strangerId + "'").isEmpty());
            List<String> row = sql("SELECT AGENT_NAME, SITE, IN_CLUSTER, FABRICS FROM FABRIC.FABRIC_AGENT WHERE NODE_ID = '"
                + strangerId + "'").get(0);
            assertEquals(List.of("site-c-agent", "site-c", "false", "GPU x2 ONLINE"), row);
            assertEquals("true", sql("SELECT IN_CLUSTER FROM FABRIC.FABRIC_AGENT WHERE AGENT_NAME = 'lat2'").get(0)
                .get(0));
            assertEquals(List.of(List.of("0")), sql("SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY WHERE NODE_ID = '"
                + strangerId + "'"), "a beacon never changes the Fabric Map");
        }
    }

    @Test
    void forgedDatagrams_areDroppedAndCounted_andTheMapIsUntouched() throws Exception {
        AgentNetwork net = FabricPlugin.of(lat1).agent().network().orElseThrow();
        InetSocketAddress target = net.unicastAddress();
        NetworkStats before = net.stats();
        List<List<String>> mapBefore = sql("SELECT FABRIC_ID, NODE_ID, MODEL FROM FABRIC.FABRIC_ENTRY ORDER BY FABRIC_ID");
        try (DatagramSocket s = new DatagramSocket()) {
            byte[] garbage = "not a beacon at all".getBytes(StandardCharsets.US_ASCII);
            s.send(new DatagramPacket(garbage, garbage.length, target));
            byte[] huge = new byte[4000];
            s.send(new DatagramPacket(huge, huge.length, target));
        }
        NetworkConfiguration other = NetworkConfiguration.builder().secret("another cluster's secret, 32 bytes")
            .multicastEnabled(false).bindHost("127.0.0.1").unicastPort(0)
            .seed("127.0.0.1:" + target.getPort()).build();
        UUID forgerId = UUID.randomUUID();
        try (AgentNetwork forger = new AgentNetwork(other, () -> Announcement.of(forgerId, "forger", "default",
            "127.0.0.1:0", List.of()))) {
            forger.start();
            Timing.await("the drops counted", () -> {
                NetworkStats now = net.stats();
                return now.droppedMalformed() > before.droppedMalformed()
                    && now.droppedOversized() > before.droppedOversized()
                    && now.droppedUnauthenticated() > before.droppedUnauthenticated();
            }, () -> net.stats().toString());
        }
        assertTrue(net.peers().stream().noneMatch(p -> p.agentName().equals("forger")));
        assertEquals(mapBefore, sql("SELECT FABRIC_ID, NODE_ID, MODEL FROM FABRIC.FABRIC_ENTRY ORDER BY FABRIC_ID"));
        assertTrue(sql("SELECT * FROM FABRIC.FABRIC_AGENT WHERE AGENT_NAME = 'forger'").isEmpty());
    }
}
