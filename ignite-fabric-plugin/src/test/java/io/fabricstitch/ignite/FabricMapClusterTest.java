package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.plugin.FabricPluginProvider;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Three server nodes in one JVM, each with its CPU and one declared accelerator, read back through JDBC. */
class FabricMapClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static List<DeclaredFabric> declared() {
        return List.of(
            new DeclaredFabric().setName("t-gpu-0").setType(FabricType.GPU).setModel("Test GPU (declared)")
                .setResourceUnit("MiB").setResourceCount(16384)
                .setFunctions(List.of("matmul.f32", "image.gaussian-blur")),
            new DeclaredFabric().setName("t-fpga-0").setType(FabricType.FPGA).setModel("Test FPGA (declared)")
                .setResourceUnit("slices").setResourceCount(1024).setSite("site-b")
                .setFunctions(List.of("image.gaussian-blur", "sha256")),
            new DeclaredFabric().setName("t-asic-0").setType(FabricType.ASIC).setModel("Test ASIC (declared)")
                .setResourceUnit("lanes").setResourceCount(64).setFunctions(List.of("sha256")));
    }

    static Ignite startNode(String name, String allowed) {
        return CLUSTER.start(name, p -> p.getAgent().setDeclaredFabrics(declared())
            .setDeviceAllowList(List.of(allowed)));
    }

    @BeforeAll
    static void startCluster() {
        startNode("n0", "declared:t-gpu-*");
        startNode("n1", "declared:t-fpga-*");
        startNode("n2", "declared:t-asic-*");
    }

    /** NODE_NAME|FABRIC_TYPE -> STATUS for every row, through the JDBC thin driver. */
    static Map<String, String> statusByNodeAndType() {
        Map<String, String> rows = new TreeMap<>();
        query("SELECT NODE_NAME, FABRIC_TYPE, STATUS FROM FABRIC.FABRIC_ENTRY",
            rs -> rows.put(rs.getString(1) + '|' + rs.getString(2), rs.getString(3)));
        return rows;
    }

    interface RowReader {
        void read(ResultSet rs) throws SQLException;
    }

    static void query(String sql, RowReader reader, Object... args) {
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++)
                st.setObject(i + 1, args[i]);
            try (ResultSet rs = st.executeQuery()) {
                while (rs.next())
                    reader.read(rs);
            }
        }
        catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    @Test
    void everyNodeReportsItsCpuAndItsOwnDeclaredFabric_readThroughJdbc() {
        Map<String, String> expected = new TreeMap<>(Map.of(
            "n0|CPU", "ONLINE", "n0|GPU", "ONLINE",
            "n1|CPU", "ONLINE", "n1|FPGA", "ONLINE",
            "n2|ASIC", "ONLINE", "n2|CPU", "ONLINE"));
        Timing.await("six ONLINE rows", () -> expected.equals(statusByNodeAndType()),
            () -> statusByNodeAndType().toString());
    }

    @Test
    void joinOnFunctionName_findsTheFabricsThatRunIt() {
        List<String> types = new ArrayList<>();
        query("SELECT e.FABRIC_TYPE, e.SITE FROM FABRIC.FABRIC_ENTRY e JOIN FABRIC.FABRIC_FUNCTION f "
                + "ON e.FABRIC_ID = f.FABRIC_ID WHERE f.FUNCTION_NAME = ? ORDER BY e.FABRIC_TYPE",
            rs -> types.add(rs.getString(1) + '@' + rs.getString(2)), "image.gaussian-blur");
        // every node's CPU runs the built-ins; of the accelerators, the GPU and the FPGA declare the blur
        assertEquals(List.of("CPU@default", "CPU@default", "CPU@default", "FPGA@site-b", "GPU@default"), types);
    }

    @Test
    void publishesFabricTypesAndFunctionsAsNodeAttributes() {
        ClusterNode n1 = CLUSTER.node("n0").cluster().nodes().stream()
            .filter(n -> "n1".equals(n.consistentId())).findFirst().orElseThrow();
        assertEquals("FPGA,CPU", n1.attribute(FabricMapSchema.ATTR_TYPES));
        // the FPGA's declared functions and the CPU's built-ins
        assertEquals("deflate,image.gaussian-blur,matmul.f32,sha256", n1.attribute(FabricMapSchema.ATTR_FUNCTIONS));
        assertEquals(FabricPluginProvider.VERSION, n1.attribute(FabricMapSchema.ATTR_VERSION));
        assertEquals(1, CLUSTER.node("n0").cluster().forAttribute(FabricMapSchema.ATTR_TYPES, "GPU,CPU").nodes().size());
    }

    @Test
    void mapReadBackThroughTheCache_equalsWhatTheAgentsReported_withTheLatestReportTime() {
        List<FabricEntry> local = new ArrayList<>();
        for (String n : List.of("n0", "n1", "n2"))
            local.addAll(FabricPlugin.of(CLUSTER.node(n)).agent().fabrics());
        Comparator<FabricEntry> byId = Comparator.comparing(FabricEntry::getFabricId);
        List<FabricEntry> fromMap = FabricPlugin.of(CLUSTER.node("n1")).fabricMap().stream()
            .filter(e -> local.stream().anyMatch(l -> l.getFabricId().equals(e.getFabricId())))
            .sorted(byId).collect(Collectors.toList());
        local.sort(byId);
        for (int i = 0; i < local.size(); i++) {
            assertFalse(fromMap.get(i).getUpdatedAt().isBefore(local.get(i).getUpdatedAt()),
                "UPDATED_AT is the agent's latest report, never older than its last change");
        }
        assertEquals(withoutReportTime(local), withoutReportTime(fromMap));
    }

    private static List<FabricEntry> withoutReportTime(List<FabricEntry> entries) {
        return entries.stream().map(e -> e.toBuilder().updatedAt(java.time.Instant.EPOCH).build())
            .collect(Collectors.toList());
    }

    @Test
    void stoppedNodesFabricsTurnOffline_andTheSameIdsComeBackOnline() {
        Map<String, UUID> idsOfN2 = new TreeMap<>();
        query("SELECT FABRIC_TYPE, FABRIC_ID FROM FABRIC.FABRIC_ENTRY WHERE NODE_NAME = 'n2'",
            rs -> idsOfN2.put(rs.getString(1), (UUID)rs.getObject(2)));
        assertEquals(List.of("ASIC", "CPU"), new ArrayList<>(idsOfN2.keySet()));
        UUID oldNodeId = CLUSTER.node("n2").cluster().localNode().id();

        CLUSTER.stop("n2");
        Timing.await("n2's fabrics OFFLINE", () -> "OFFLINE".equals(statusByNodeAndType().get("n2|ASIC"))
            && "OFFLINE".equals(statusByNodeAndType().get("n2|CPU")), () -> statusByNodeAndType().toString());
        List<String> reasons = new ArrayList<>();
        query("SELECT STATUS_REASON FROM FABRIC.FABRIC_ENTRY WHERE NODE_NAME = 'n2'", rs -> reasons.add(rs.getString(1)));
        assertTrue(reasons.stream().allMatch(r -> r.startsWith("node n2 left at ")), reasons::toString);
        assertEquals("ONLINE", statusByNodeAndType().get("n1|FPGA"));

        UUID newNodeId = startNode("n2", "declared:t-asic-*").cluster().localNode().id();
        assertNotEquals(oldNodeId, newNodeId);
        Map<String, UUID> idsAfter = new TreeMap<>();
        Map<String, String> nodeAfter = new TreeMap<>();
        query("SELECT FABRIC_TYPE, FABRIC_ID, NODE_ID, STATUS FROM FABRIC.FABRIC_ENTRY WHERE NODE_NAME = 'n2'", rs -> {
            idsAfter.put(rs.getString(1), (UUID)rs.getObject(2));
            nodeAfter.put(rs.getString(1), rs.getObject(3) + "|" + rs.getString(4));
        });
        assertEquals(idsOfN2, idsAfter);
        assertEquals(Map.of("ASIC", newNodeId + "|ONLINE", "CPU", newNodeId + "|ONLINE"), nodeAfter);
    }

    @Test
    void refusesServerNodeJoiningWithoutThePlugin() {
        IgniteException e = assertThrows(IgniteException.class, () -> CLUSTER.start(
            CLUSTER.baseConfiguration("plain").setPluginProviders(new UnrelatedPluginProvider())));
        assertTrue(causeMessages(e).contains("server node plain joins a Fabric Stitch cluster without the plugin"),
            causeMessages(e));
    }

    @Test
    void theApiOfAClientWithoutThePlugin_failsNamingTheNodeAndTheFix() {
        Ignite plain = CLUSTER.start(CLUSTER.baseConfiguration("plain-client").setClientMode(true)
            .setPluginProviders(new UnrelatedPluginProvider()));
        try {
            String expected = "node plain-client runs without the Fabric Stitch plugin (expected: ignite-fabric-plugin "
                + "on the classpath, or FabricPluginProvider in pluginProviders)";
            assertEquals(expected, assertThrows(IllegalStateException.class, () -> FabricStitch.of(plain))
                .getMessage());
            assertEquals(expected, assertThrows(IllegalStateException.class,
                () -> FabricCompute.of(plain)).getMessage());
        }
        finally {
            CLUSTER.stop("plain-client");
        }
    }

    @Test
    void refusesToStartWithInvalidPluginConfiguration_namingTheProperty() {
        IgniteException e = assertThrows(IgniteException.class,
            () -> CLUSTER.start("bad", p -> p.setSite("rack a")));
        assertTrue(causeMessages(e).contains("Fabric Stitch configuration of node bad is invalid: site: 'rack a'"),
            causeMessages(e));
    }

    static String causeMessages(Throwable t) {
        StringBuilder sb = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause())
            sb.append(c.getMessage()).append(" <- ");
        return sb.toString();
    }
}
