package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The hostile SQL client: anyone who reaches the JDBC port of a node from the shipped configurations writes to the
 * Fabric Map, kills the orchestrator service and fakes reservations. Two real server nodes; every attack is undone
 * within two seconds, no task is ever placed on a fabric nobody's agent reported, and tasks keep succeeding.
 */
class HostileSqlClientTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    /** How soon an attack must be undone. */
    static final Duration HEAL = Duration.ofMillis(Timing.scaled(2_000));

    static Ignite n0;
    static Ignite n1;

    static Ignite start(String name) {
        return CLUSTER.start(name, p -> p.getAgent().setDeclaredFabrics(List.of(new DeclaredFabric()
            .setName(name + "-asic").setType(FabricType.ASIC).setModel("Test ASIC (declared)").setResourceUnit("lanes")
            .setResourceCount(4).setFunctions(List.of("sha256", GatedEchoFunction.NAME))))
            .setDeviceAllowList(List.of("declared:" + name + "-*"))
            .setFunctionClasses(List.of(GatedEchoFunction.class.getName())));
    }

    @BeforeAll
    static void startCluster() {
        n0 = start("h0");
        n1 = start("h1");
        Timing.await("both ASICs in the map", () -> asics().size() == 2);
    }

    static List<FabricEntry> asics() {
        List<FabricEntry> out = new ArrayList<>();
        for (FabricEntry e : FabricPlugin.of(n0).fabricMap()) {
            if (e.getFabricType() == FabricType.ASIC && e.getStatus() == io.fabricstitch.model.FabricStatus.ONLINE)
                out.add(e);
        }
        return out;
    }

    static FabricEntry asicOf(Ignite node) {
        UUID id = node.cluster().localNode().id();
        return FabricPlugin.of(node).agent().fabrics().stream().filter(e -> e.getFabricType() == FabricType.ASIC
            && e.getNodeId().equals(id)).findFirst().orElseThrow();
    }

    static int update(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++)
                st.setObject(i + 1, args[i]);
            return st.executeUpdate();
        }
        catch (SQLException e) {
            throw new AssertionError("the hostile client's statement failed: " + sql, e);
        }
    }

    static String one(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++)
                st.setObject(i + 1, args[i]);
            try (ResultSet rs = st.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
        catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    /** Fails unless {@code condition} holds within {@link #HEAL}. */
    static void healsWithin(String what, BooleanSupplier condition) {
        Timing.await(what, HEAL, condition, () -> "not yet");
    }

    /** Copies the ASIC row of {@code template} as a new fabric on {@code node}, with huge capacity and 0 ms away. */
    static UUID insertFakeFabric(FabricEntry template, UUID node) {
        UUID fake = UUID.randomUUID();
        update("INSERT INTO FABRIC.FABRIC_ENTRY (_KEY, FABRIC_ID, NODE_ID, NODE_NAME, AGENT_ADDRESS, SITE, FABRIC_TYPE, "
            + "MODEL, RESOURCE_UNIT, RESOURCE_COUNT, RESOURCE_FREE, LATENCY_MS, SPEED_FACTOR, STATUS, STATUS_REASON, "
            + "UPDATED_AT, FEATURES) SELECT ?, ?, ?, NODE_NAME, AGENT_ADDRESS, SITE, FABRIC_TYPE, MODEL, "
            + "RESOURCE_UNIT, 1000000, 1000000, 0, 100, 'ONLINE', '', UPDATED_AT, FEATURES FROM FABRIC.FABRIC_ENTRY "
            + "WHERE FABRIC_ID = ?", fake, fake, node, template.getFabricId());
        update("INSERT INTO FABRIC.FABRIC_FUNCTION (_KEY, FABRIC_ID, FUNCTION_NAME, RUNTIME, IMPLEMENTATION, "
            + "SPEED_FACTOR, SPEED_SOURCE) SELECT ?, ?, FUNCTION_NAME, RUNTIME, IMPLEMENTATION, 100, SPEED_SOURCE "
            + "FROM FABRIC.FABRIC_FUNCTION WHERE FABRIC_ID = ? AND FUNCTION_NAME = 'sha256'",
            fake + "/sha256", fake, template.getFabricId());
        return fake;
    }

    /** Runs a few sha256 tasks and returns the fabrics they were placed on, every attempt. */
    static List<UUID> placements(int tasks) {
        List<UUID> placed = new ArrayList<>();
        for (int i = 0; i < tasks; i++) {
            TaskResult r = FabricCompute.of(n0).execute(TaskRequest.builder("sha256").require(FabricType.ASIC, 1)
                .priority("latency-critical").input(new byte[] {(byte)i}).build());
            assertEquals(1, r.placement().attempt(), "the first fabric chosen was a real one: " + r.placement());
            placed.add(r.placement().fabricId());
        }
        return placed;
    }

    @Test
    void fakeFabricOfNoLiveNode_isNeverChosen_andTurnsOfflineWithinTwoSeconds() {
        UUID fake = insertFakeFabric(asicOf(n1), UUID.randomUUID());
        List<UUID> placed = placements(10);
        assertTrue(!placed.contains(fake), "placed on the fake fabric: " + placed);
        healsWithin("fake row OFFLINE", () -> "OFFLINE".equals(one("SELECT STATUS FROM FABRIC.FABRIC_ENTRY WHERE "
            + "FABRIC_ID = ?", fake)));
        assertTrue(one("SELECT STATUS_REASON FROM FABRIC.FABRIC_ENTRY WHERE FABRIC_ID = ?", fake)
            .startsWith("not confirmed by node"));
    }

    @Test
    void fakeFabricNamingALiveNode_isNeverChosen_andIsRemovedWithinTwoSeconds() {
        UUID fake = insertFakeFabric(asicOf(n1), n1.cluster().localNode().id());
        List<UUID> placed = placements(10);
        assertTrue(!placed.contains(fake), "placed on the fake fabric: " + placed);
        healsWithin("fake row removed", () -> one("SELECT STATUS FROM FABRIC.FABRIC_ENTRY WHERE FABRIC_ID = ?",
            fake) == null);
    }

    @Test
    void agentRowsChangedOrDeleted_areRestoredWithinTwoSeconds_andNeverBelievedMeanwhile() {
        FabricEntry asic = asicOf(n0);
        String sql = "SELECT STATUS || '|' || RESOURCE_COUNT || '|' || MODEL FROM FABRIC.FABRIC_ENTRY WHERE FABRIC_ID = ?";
        String truth = one(sql, asic.getFabricId());
        update("UPDATE FABRIC.FABRIC_ENTRY SET RESOURCE_COUNT = 1000000, MODEL = 'fake', LATENCY_MS = 0 "
            + "WHERE FABRIC_ID = ?", asic.getFabricId());
        for (FabricEntry e : FabricPlugin.of(n0).fabricMap()) {
            if (e.getFabricId().equals(asic.getFabricId()))
                assertEquals(4, e.getResourceCount(), "schedulers never see the changed row");
        }
        healsWithin("row restored after UPDATE", () -> truth.equals(one(sql, asic.getFabricId())));

        update("DELETE FROM FABRIC.FABRIC_ENTRY");
        healsWithin("rows restored after DELETE", () -> truth.equals(one(sql, asic.getFabricId())));

        String fn = "SELECT COUNT(*) FROM FABRIC.FABRIC_FUNCTION WHERE FABRIC_ID = ?";
        String functions = one(fn, asic.getFabricId());
        update("DELETE FROM FABRIC.FABRIC_FUNCTION WHERE FABRIC_ID = ?", asic.getFabricId());
        healsWithin("function rows restored after DELETE", () -> functions.equals(one(fn, asic.getFabricId())));

        String speed = "SELECT SPEED_FACTOR FROM FABRIC.FABRIC_FUNCTION WHERE FABRIC_ID = ? AND FUNCTION_NAME = 'sha256'";
        String speedBefore = one(speed, asic.getFabricId());
        update("UPDATE FABRIC.FABRIC_FUNCTION SET SPEED_FACTOR = 1000 WHERE FABRIC_ID = ?", asic.getFabricId());
        healsWithin("function speed restored", () -> speedBefore.equals(one(speed, asic.getFabricId())));
        assertEquals(10, placements(10).size(), "tasks kept succeeding");
    }

    @Test
    void resourceFreeChanged_isPublishedAgainFromTheLedger() {
        FabricEntry asic = asicOf(n1);
        String sql = "SELECT RESOURCE_FREE FROM FABRIC.FABRIC_ENTRY WHERE FABRIC_ID = ?";
        Timing.await("free units published", () -> "4".equals(one(sql, asic.getFabricId())));
        update("UPDATE FABRIC.FABRIC_ENTRY SET RESOURCE_FREE = 999 WHERE FABRIC_ID = ?", asic.getFabricId());
        healsWithin("RESOURCE_FREE from the ledger", () -> "4".equals(one(sql, asic.getFabricId())));
    }

    @Test
    void reservationsDeletedOrFaked_areRestoredOrRemoved_andTheTaskCompletes() throws Exception {
        GatedEchoFunction.gate = new CountDownLatch(1);
        try {
            IgniteFuture<TaskResult> held = FabricCompute.of(n0).executeAsync(TaskRequest.builder(GatedEchoFunction.NAME)
                .require(FabricType.ASIC, 1).input(new byte[] {7}).build());
            String count = "SELECT COUNT(*) FROM FABRIC.RESERVATION";
            Timing.await("the task's reservation written", () -> "1".equals(one(count)));
            update("DELETE FROM FABRIC.RESERVATION");
            healsWithin("reservation restored", () -> "1".equals(one(count)));

            UUID fakeTask = UUID.randomUUID();
            update("INSERT INTO FABRIC.RESERVATION (_KEY, TASK_ID, ATTEMPT, FABRIC_ID, NODE_ID, NODE_NAME, "
                + "CALLER_NODE_ID, FUNCTION_NAME, FABRIC_TYPE, MODEL, RESOURCE_UNIT, AMOUNT, PRIORITY, LATENCY_MS, "
                + "UTILIZATION, PRICE, LATENCY_TERM, RESOURCE_TERM, PATH, PATH_REASON, DATA_ENDPOINT, CREATED_AT, "
                + "EXPIRES_AT) SELECT ?, ?, ATTEMPT, FABRIC_ID, NODE_ID, NODE_NAME, CALLER_NODE_ID, FUNCTION_NAME, "
                + "FABRIC_TYPE, MODEL, RESOURCE_UNIT, 4, PRIORITY, LATENCY_MS, UTILIZATION, PRICE, LATENCY_TERM, "
                + "RESOURCE_TERM, PATH, PATH_REASON, DATA_ENDPOINT, CREATED_AT, EXPIRES_AT FROM FABRIC.RESERVATION",
                fakeTask, fakeTask);
            healsWithin("fake reservation removed", () -> "1".equals(one(count)));
            assertEquals(1L, FabricCompute.of(n0).orchestrator().reservedUnits().values().stream()
                .mapToLong(Long::longValue).sum(), "the orchestrator believes its ledger, not the fake row");
            GatedEchoFunction.gate.countDown();
            assertEquals(7, held.get(Timing.CONDITION.toMillis()).output()[0]);
        }
        finally {
            GatedEchoFunction.gate.countDown();
        }
    }

    @Test
    void latencyAndAgentRowsChangedOrFaked_areRestoredOrRemovedWithinTwoSeconds() {
        UUID from = n0.cluster().localNode().id();
        UUID to = n1.cluster().localNode().id();
        String rtt = "SELECT RTT_MICROS FROM FABRIC.FABRIC_LATENCY WHERE FROM_NODE = ? AND TO_NODE = ?";
        Timing.await("a measured round trip h0 -> h1", () -> one(rtt, from, to) != null);
        String measured = one(rtt, from, to);
        update("UPDATE FABRIC.FABRIC_LATENCY SET RTT_MICROS = 999999999 WHERE FROM_NODE = ?", from);
        healsWithin("latency row restored", () -> !"999999999".equals(one(rtt, from, to)));
        assertNotEquals("999999999", one(rtt, from, to), "was " + measured);

        UUID stranger = UUID.randomUUID();
        update("INSERT INTO FABRIC.FABRIC_LATENCY (_KEY, FROM_NODE, TO_NODE, FROM_NAME, TO_NAME, RTT_MICROS, "
            + "JITTER_MICROS, SAMPLES, LOST, BANDWIDTH_MIB_S, UPDATED_AT) VALUES (?, ?, ?, 'x', 'h1', 1, 0, 9, 0, 0, "
            + "CURRENT_TIMESTAMP())", stranger + "/" + to, stranger, to);
        healsWithin("fake latency row removed", () -> one("SELECT RTT_MICROS FROM FABRIC.FABRIC_LATENCY WHERE "
            + "FROM_NODE = ?", stranger) == null);

        String heard = "SELECT FABRICS FROM FABRIC.FABRIC_AGENT WHERE NODE_ID = ? AND HEARD_BY = 'h0'";
        Timing.await("h0 heard h1's beacon", () -> one(heard, to) != null);
        String fabrics = one(heard, to);
        update("UPDATE FABRIC.FABRIC_AGENT SET FABRICS = 'forged' WHERE NODE_ID = ?", to);
        healsWithin("agent row restored", () -> fabrics.equals(one(heard, to)));
    }

    @Test
    void killContinuous_ofEveryMapQuery_isUndone_andGuardsKeepHealing() throws Exception {
        List<String[]> routines = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT NODE_ID, ROUTINE_ID FROM SYS.CONTINUOUS_QUERIES WHERE "
                 + "LOCAL_LISTENER LIKE 'fabric-stitch%'")) {
            while (rs.next())
                routines.add(new String[] {rs.getString(1), rs.getString(2)});
        }
        // The node the client reached lists its own queries: its views, its guards, the orchestrator's guard.
        assertTrue(routines.size() >= 4, "the views and guards of the node: " + routines.size());
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             Statement st = c.createStatement()) {
            for (String[] r : routines)
                st.execute("KILL CONTINUOUS '" + r[0] + "' '" + r[1] + "'");
        }
        // Function rows are written only when they change: nothing but the guard puts them back.
        FabricEntry asic = asicOf(n0);
        String speed = "SELECT SPEED_FACTOR FROM FABRIC.FABRIC_FUNCTION WHERE FABRIC_ID = ? AND FUNCTION_NAME = 'sha256'";
        String before = one(speed, asic.getFabricId());
        update("UPDATE FABRIC.FABRIC_FUNCTION SET SPEED_FACTOR = 777 WHERE FABRIC_ID = ?", asic.getFabricId());
        healsWithin("function row restored although its guard's query was killed", () -> before.equals(
            one(speed, asic.getFabricId())));
        assertEquals(10, placements(10).size(), "tasks kept succeeding");
    }

    @Test
    void killService_orchestratorIsDeployedAgainWithinTwoSeconds_andTasksInFlightComplete() throws Exception {
        GatedEchoFunction.gate = new CountDownLatch(1);
        try {
            IgniteFuture<TaskResult> running = FabricCompute.of(n0).executeAsync(TaskRequest.builder(
                GatedEchoFunction.NAME).require(FabricType.ASIC, 1).input(new byte[] {9}).build());
            Timing.await("the task running", () -> "1".equals(one("SELECT COUNT(*) FROM FABRIC.RESERVATION")));
            try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
                 Statement st = c.createStatement()) {
                st.execute("KILL SERVICE 'fabric-orchestrator'");
            }
            healsWithin("orchestrator deployed again", () -> n0.services().serviceDescriptors().stream()
                .anyMatch(d -> "fabric-orchestrator".equals(d.name())));
            assertEquals(3, placements(3).size(), "new tasks are placed");
            GatedEchoFunction.gate.countDown();
            assertEquals(9, running.get(Timing.CONDITION.toMillis()).output()[0], "the task in flight completed");
            Timing.await("its reservation released", () -> FabricCompute.of(n0).orchestrator().reservedUnits()
                .isEmpty());
        }
        finally {
            GatedEchoFunction.gate.countDown();
        }
    }
}
