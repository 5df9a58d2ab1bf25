package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.datapath.DataPathClient;
import io.fabricstitch.agent.datapath.DataPathException;
import io.fabricstitch.agent.datapath.DataPathServer;
import io.fabricstitch.agent.datapath.TransferGrant;
import io.fabricstitch.agent.datapath.TransferKey;
import io.fabricstitch.agent.datapath.TransferToken;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.agent.datapath.FabricDataPathConfiguration;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.internal.ClusterTransferKey;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.io.ByteArrayInputStream;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The data path's tokens between real nodes that have no beacon secret: h0 (the first server, the caller) and h1, each
 * with a declared ASIC. The cluster's transfer key reaches h1 in discovery data, never in an attribute or a table a
 * thin client reads; a placed upload goes through with the orchestrator's token, and uploads to h1's agent without a
 * valid one are refused before a byte is staged.
 */
class DataPathHostileClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final int MIB = 1 << 20;

    static Ignite h0;

    static Ignite h1;

    /** A node without a beacon secret (beacons off), its data path's staging capacity set to 64 MiB. */
    static Ignite start(String name) {
        DeclaredFabric asic = new DeclaredFabric().setName("hostile-" + name).setType(FabricType.ASIC)
            .setModel("ASIC " + name + " (declared)").setResourceUnit("lanes").setResourceCount(4).setLatencyMs(1)
            .setFunctions(List.of("sha256"));
        FabricPluginConfiguration p = new FabricPluginConfiguration()
            .setAgent(new FabricAgentConfiguration().setDeclaredFabrics(List.of(asic))
                .setDeviceAllowList(List.of("declared:hostile-" + name)))
            .setNetwork(new FabricNetworkConfiguration().setBeaconsEnabled(false))
            .setDataPath(new FabricDataPathConfiguration().setStagingCapacityBytes(64L * MIB));
        IgniteConfiguration cfg = CLUSTER.configuration(name, p);
        p.getNetwork().setBeaconSecret(null);
        return CLUSTER.start(cfg);
    }

    @BeforeAll
    static void startCluster() {
        assumeTrue(System.getenv(FabricNetworkConfiguration.ENV_BEACON_SECRET) == null,
            "no beacon secret in the environment");
        h0 = start("h0");
        h1 = start("h1");
        Timing.await("both nodes' fabrics (CPU and ASIC) in h0's map and an orchestrator deployed", () ->
            FabricPlugin.of(h0).fabricMap().size() == 4 && FabricCompute.of(h0).orchestrator().queuedTasks() == 0);
    }

    static FabricEntry asicOf(String node) {
        return FabricPlugin.of(h0).fabricMap().stream().filter(f -> f.getModel().equals("ASIC " + node + " (declared)"))
            .findFirst().orElseThrow();
    }

    static DataPathServer directServerOf(Ignite node) {
        return FabricPlugin.of(node).agent().dataPathServer(false).orElseThrow();
    }

    @Test
    void withoutASecret_theFirstServersKey_reachesJoiningNodesInDiscoveryData_only() throws Exception {
        ClusterTransferKey k0 = FabricPlugin.of(h0).transferKey();
        ClusterTransferKey k1 = FabricPlugin.of(h1).transferKey();

        assertEquals(ClusterTransferKey.Source.GENERATED, k0.source());
        assertEquals(ClusterTransferKey.Source.RECEIVED, k1.source());
        assertEquals(k0.current(), k1.current());
        byte[] key = k0.current().bytes();
        List<String> forms = List.of(HexFormat.of().formatHex(key), HexFormat.of().withUpperCase().formatHex(key),
            Base64.getEncoder().encodeToString(key));
        for (Ignite n : List.of(h0, h1)) {
            for (Map.Entry<String, Object> a : n.cluster().localNode().attributes().entrySet()) {
                assertFalse(a.getValue() instanceof byte[] && java.util.Arrays.equals((byte[])a.getValue(), key),
                    "attribute " + a.getKey());
                assertTrue(forms.stream().noneMatch(String.valueOf(a.getValue())::contains), "attribute " + a.getKey());
            }
        }
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT NAME, VALUE FROM SYS.NODE_ATTRIBUTES")) {
            while (rs.next()) {
                String value = String.valueOf(rs.getString(2));
                assertTrue(forms.stream().noneMatch(value::contains), "SYS.NODE_ATTRIBUTES " + rs.getString(1));
            }
        }
    }

    @Test
    void placedUpload_carriesTheOrchestratorsToken_andSucceeds() throws Exception {
        byte[] data = new byte[2 * MIB];
        new Random(1).nextBytes(data);
        FabricEntry target = asicOf("h1");

        TaskResult r = FabricCompute.of(h0).execute(TaskRequest.builder("sha256").require(FabricType.ASIC, 1)
            .fabric(target.getFabricId()).input(data).build());

        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), r.output());
        assertEquals(DataPath.DIRECT, r.placement().dataPath().path(), r.placement().dataPath()::toString);
        TransferToken token = r.placement().transferToken();
        assertNotNull(token, "a data-path placement carries its upload's token");
        assertEquals(TransferGrant.Direction.UPLOAD, token.grant().direction());
        assertEquals(target.getFabricId(), token.grant().fabricId());
        assertEquals(data.length, token.grant().maxBytes());
        assertFalse(r.placement().toString().contains("Token"), "the placement does not print its token");
        Timing.await("h1's inputs taken", () -> directServerOf(h1).budget().stagingReservedBytes() == 0);
    }

    @Test
    void uploadsToAnAgent_withoutAValidToken_areRefusedBeforeAByteIsStaged() throws Exception {
        DataPathServer server = directServerOf(h1);
        DataPathClient client = FabricPlugin.of(h0).dataPaths().client();
        UUID h1Asic = asicOf("h1").getFabricId();
        TransferKey clusterKey = FabricPlugin.of(h0).transferKey().current();
        long soon = System.currentTimeMillis() + 60_000;
        long before = server.stats().failures(DataPathException.Failure.UNAUTHORIZED);
        List<TransferToken> hostile = List.of(
            TransferGrant.upload(UUID.randomUUID(), h1Asic, MIB, soon).sign(TransferKey.generate(new SecureRandom())),
            TransferGrant.upload(UUID.randomUUID(), asicOf("h0").getFabricId(), MIB, soon).sign(clusterKey),
            TransferGrant.upload(UUID.randomUUID(), h1Asic, MIB, System.currentTimeMillis() - 1).sign(clusterKey));
        List<String> reasons = List.of("not signed with this cluster's key", "which this server does not host",
            "carries a token that expired at ");

        for (int i = 0; i < hostile.size(); i++) {
            TransferToken t = hostile.get(i);
            DataPathException e = assertThrows(DataPathException.class, () -> client.upload(server.address(), false,
                t, new ByteArrayInputStream(new byte[MIB]), MIB));
            assertEquals(DataPathException.Failure.UNAUTHORIZED, e.kind(), e::getMessage);
            assertTrue(e.getMessage().contains(reasons.get(i)), e::getMessage);
            assertTrue(server.take(t.transferId()).isEmpty());
        }
        Timing.await("h1 to count the refusals", () -> server.stats().failures(DataPathException.Failure.UNAUTHORIZED)
            == before + 3, () -> server.stats().toString());
        assertEquals(List.of(), DataPathClusterTest.listFiles(server.configuration().stagingDirectory()),
            "nothing staged");
        assertEquals(0, server.budget().stagingReservedBytes());
    }

    @Test
    void anAgentsServers_shareOneBudget_withTheConfiguredCapacity() {
        DataPathServer direct = directServerOf(h1);

        assertEquals(64L * MIB, direct.budget().stagingCapacityBytes());
        FabricPlugin.of(h1).agent().dataPathServer(true).ifPresent(tls -> assertSame(direct.budget(), tls.budget()));
        assertEquals(FabricDataPathConfiguration.DFLT_MAX_CONNECTIONS_PER_PEER,
            direct.configuration().maxConnectionsPerPeer());
    }
}
