package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricTaskContext;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.internal.FabricFaults;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.lang.management.ManagementFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import javax.management.JMX;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Health reaching the Fabric Map on real nodes: injected faults (Java API and JMX) and their reasons in SQL, a running
 * task failing over when its fabric turns OFFLINE, and the orchestrator turning a silent agent's fabrics DEGRADED,
 * then OFFLINE.
 */
class FabricHealthClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite n0;
    static Ignite n1;

    static final long HEALTH_MS = 200;

    static DeclaredFabric fpga(String name, double latencyMs) {
        return new DeclaredFabric().setName(name).setType(FabricType.FPGA).setModel(name + " (declared)")
            .setResourceUnit("slices").setResourceCount(100).setLatencyMs(latencyMs).setFunctions(List.of("sha256"));
    }

    static Ignite startNode(String name, DeclaredFabric fabric) {
        return CLUSTER.start(name, p -> {
            p.getAgent().setDeclaredFabrics(List.of(fabric))
                .setDeviceAllowList(List.of("declared:" + fabric.getName())).setHealthIntervalMs(HEALTH_MS)
                .setRealProbesEnabled(false); // a 200 ms interval: only the quick CPU probe, so no report is late
            p.getOrchestrator().setSilentDegradedAfterMs(Timing.scaled(1_500))
                .setSilentOfflineAfterMs(Timing.scaled(3_000));
        });
    }

    @BeforeAll
    static void startCluster() {
        n0 = startNode("h0", fpga("near", 1));
        n1 = startNode("h1", fpga("far", 5));
        Timing.await("both fabrics in h0's map and an orchestrator", () -> FabricPlugin.of(n0).fabricMap().size() == 4
            && FabricCompute.of(n0).orchestrator().queuedTasks() == 0);
    }

    @AfterEach
    void restoreEverything() {
        FabricPlugin.of(n0).faults().restore("near");
        FabricPlugin.of(n1).faults().restore("far");
        FabricPlugin.of(n1).faults().silence(0);
        Timing.await("every fabric ONLINE again", () -> statusOf("near").equals("ONLINE")
            && statusOf("far").equals("ONLINE"), () -> statusOf("near") + ", " + statusOf("far"));
    }

    static String[] row(String model) {
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT STATUS, STATUS_REASON FROM FABRIC.FABRIC_ENTRY "
                 + "WHERE MODEL = ?")) {
            ps.setString(1, model + " (declared)");
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? new String[] {rs.getString(1), rs.getString(2)} : new String[] {"(none)", ""};
            }
        }
        catch (SQLException e) {
            throw new AssertionError(e);
        }
    }

    static String statusOf(String model) {
        return row(model)[0];
    }

    @Test
    void injectedFailure_showsInSqlAsOfflineWithItsReason_andRestoreBringsItBack() {
        String answer = FabricPlugin.of(n0).faults().fail("near", "fan stopped");
        assertTrue(answer.endsWith("OFFLINE (injected fault: fan stopped)"), answer);
        Timing.await("near OFFLINE in SQL", () -> statusOf("near").equals("OFFLINE"));
        assertEquals("injected fault: fan stopped", row("near")[1]);
        FabricPlugin.of(n0).faults().degrade("near", "running hot");
        Timing.await("near DEGRADED in SQL", () -> statusOf("near").equals("DEGRADED"));
        assertEquals("injected fault: running hot", row("near")[1]);
        FabricPlugin.of(n0).faults().restore("near");
        Timing.await("near ONLINE in SQL", () -> statusOf("near").equals("ONLINE"));
        assertEquals("", row("near")[1]);
    }

    @Test
    void faultInjection_worksOverJmx_andRefusesUnknownFabricsByName() throws Exception {
        FabricFaultsMXBean jmx = JMX.newMXBeanProxy(ManagementFactory.getPlatformMBeanServer(),
            FabricFaults.objectName("h1"), FabricFaultsMXBean.class);
        assertEquals(1, jmx.getDeclaredFabrics().length);
        assertTrue(jmx.getDeclaredFabrics()[0].startsWith("far = "), jmx.getDeclaredFabrics()[0]);
        jmx.fail("far", "pulled out");
        Timing.await("far OFFLINE in SQL", () -> statusOf("far").equals("OFFLINE"));
        assertEquals("injected fault: pulled out", row("far")[1]);
        assertEquals(1, jmx.getFaults().length);
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> jmx.fail("nope", "x"));
        assertEquals("fabric: 'nope' (expected: the name or id of a declared fabric of agent h1; declared: far)",
            unknown.getMessage());
    }

    /** Set by {@link WaitOnNear} once it runs on the near fabric (the nodes share this JVM). */
    static final java.util.concurrent.CountDownLatch STARTED_ON_NEAR = new java.util.concurrent.CountDownLatch(1);

    /** Runs until its fabric's context says stop when on the near fabric; elsewhere answers at once. */
    static final class WaitOnNear implements IgniteCallable<String> {
        @Override
        public String call() throws InterruptedException {
            FabricTaskContext ctx = FabricTaskContext.current();
            if (ctx.fabric().getModel().startsWith("near")) {
                STARTED_ON_NEAR.countDown();
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (!ctx.isCancelled() && System.nanoTime() < deadline)
                    Thread.sleep(5); // the work, until the fabric goes
                throw new IllegalStateException("stopped on " + ctx.fabric().getModel());
            }
            return "done on " + ctx.fabric().getModel();
        }
    }

    @Test
    void taskOnAFabricThatGoesOffline_completesOnTheNextBestFabric() throws Exception {
        IgniteFuture<String> f = FabricCompute.of(n0).callAsync(TaskRequest.builder("sha256")
            .require(FabricType.FPGA, 10).priority("latency-critical").timeout(Duration.ofSeconds(30)).build(),
            new WaitOnNear());
        assertTrue(STARTED_ON_NEAR.await(Timing.CONDITION.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS),
            "the task running on near");
        FabricPlugin.of(n0).faults().fail("near", "device lost");
        assertEquals("done on far (declared)", f.get(Timing.CONDITION.toMillis()));
        assertTrue(FabricCompute.of(n0).awaitReleases(Timing.CONDITION), "the caller's releases taken");
        List<String> states = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT a.ATTEMPT, e.MODEL, a.STATE, a.DETAIL FROM "
                 + "FABRIC.TASK_ASSIGNMENT a JOIN FABRIC.FABRIC_ENTRY e ON e.FABRIC_ID = a.FABRIC_ID "
                 + "WHERE a.FUNCTION_NAME = 'sha256' ORDER BY a.ATTEMPT")) {
            while (rs.next())
                states.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3) + " " + rs.getString(4));
        }
        assertEquals(2, states.size(), states::toString);
        assertTrue(states.get(0).startsWith("1 near (declared) LOST "), states::toString);
        assertTrue(states.get(0).contains("went OFFLINE") && states.get(0).contains("injected fault: device lost"),
            states::toString);
        assertTrue(states.get(1).startsWith("2 far (declared) SUCCEEDED"), states::toString);
        Timing.await("the ledger empty", () -> FabricCompute.of(n0).orchestrator().reservedUnits().isEmpty());
    }

    @Test
    void silentAgent_turnsDegradedThenOffline_andOnlineWhenItReportsAgain() {
        FabricPlugin.of(n1).faults().silence(Timing.scaled(60_000));
        Timing.await("far DEGRADED for silence", () -> statusOf("far").equals("DEGRADED"));
        assertTrue(row("far")[1].matches("agent of node h1 silent for \\d+\\.\\d s \\(expected: a report every 200 ms\\)"),
            row("far")[1]);
        Timing.await("far OFFLINE for silence", () -> statusOf("far").equals("OFFLINE"));
        assertTrue(row("far")[1].startsWith("agent of node h1 silent for "), row("far")[1]);
        assertEquals("ONLINE", statusOf("near"), "the other agent keeps reporting");
        FabricPlugin.of(n1).faults().silence(0);
        Timing.await("far ONLINE once h1 reports", () -> statusOf("far").equals("ONLINE"));
    }

    @Test
    void fabricIdsStayTheSameThroughFaults() {
        UUID before = FabricPlugin.of(n0).agent().declaredFabrics().get("near");
        FabricPlugin.of(n0).faults().fail("near", "x");
        FabricPlugin.of(n0).faults().restore(before.toString());
        assertEquals(before, FabricPlugin.of(n0).agent().declaredFabrics().get("near"));
    }
}
