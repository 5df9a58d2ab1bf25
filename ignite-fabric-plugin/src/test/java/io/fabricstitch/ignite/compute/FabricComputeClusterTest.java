package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.compute.ComputeTaskTimeoutException;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.lang.IgniteFutureCancelledException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * FabricCompute against three real nodes in one JVM: a declared GPU on n0 (1 ms away), an FPGA on n1 (8 ms), a
 * 4-lane ASIC on n2 (2 ms), and every node's real CPU. After every test the ledger must balance.
 */
class FabricComputeClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final String BLUR = "image.gaussian-blur";

    static Ignite n0;

    static List<DeclaredFabric> declared() {
        return List.of(
            new DeclaredFabric().setName("c-gpu").setType(FabricType.GPU).setModel("Test GPU (declared)")
                .setResourceUnit("MiB").setResourceCount(16384).setLatencyMs(1)
                .setFunctions(List.of("matmul.f32", BLUR, "sha256")),
            new DeclaredFabric().setName("c-fpga").setType(FabricType.FPGA).setModel("Test FPGA (declared)")
                .setResourceUnit("slices").setResourceCount(1024).setLatencyMs(8)
                .setFunctions(List.of(BLUR, "deflate")),
            new DeclaredFabric().setName("c-asic").setType(FabricType.ASIC).setModel("Test ASIC (declared)")
                .setResourceUnit("lanes").setResourceCount(4).setLatencyMs(2).setFunctions(List.of("sha256")));
    }

    static Ignite startNode(String name, String allowed) {
        // Exact cost arithmetic on declared LATENCY_MS: no measured latencies (AgentNetworkClusterTest covers those).
        return CLUSTER.start(name, p -> {
            p.getAgent().setDeclaredFabrics(declared()).setDeviceAllowList(List.of(allowed));
            p.getNetwork().setBeaconsEnabled(false);
            p.getOrchestrator().setMaxQueuedTasks(40).setQueueTimeoutMs(Timing.scaled(20_000));
        });
    }

    @BeforeAll
    static void startCluster() {
        n0 = startNode("n0", "declared:c-gpu");
        startNode("n1", "declared:c-fpga");
        startNode("n2", "declared:c-asic");
        Timing.await("every fabric in n0's map and an orchestrator deployed", () ->
            FabricPlugin.of(n0).fabricMap().size() == 6 && FabricCompute.of(n0).orchestrator().queuedTasks() == 0);
    }

    @AfterEach
    void ledgerBalances() {
        Probes.gate.countDown();
        Timing.await("the ledger to hold no reservation and the map to show every fabric free", () ->
            FabricCompute.of(n0).orchestrator().reservedUnits().isEmpty() && allFree(),
            () -> "reserved " + FabricCompute.of(n0).orchestrator().reservedUnits() + ", map " + FabricPlugin.of(n0)
                .fabricMap());
    }

    static boolean allFree() {
        for (FabricEntry e : FabricPlugin.of(n0).fabricMap()) {
            if (e.getResourceFree() != e.getResourceCount())
                return false;
        }
        return true;
    }

    @Test
    void sha256_onAnAsic_matchesMessageDigest_andReportsThePlacement() throws Exception {
        byte[] data = new byte[100_000];
        new Random(1).nextBytes(data);
        TaskResult r = FabricCompute.of(n0).execute(TaskRequest.builder("sha256").require(FabricType.ASIC, 1)
            .input(data).build());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), r.output());
        assertEquals(FabricType.ASIC, r.placement().fabricType());
        assertEquals("n2", r.placement().nodeName());
        assertEquals(1, r.placement().attempt());
        assertEquals(0.1 * 2, r.placement().terms().latencyTerm(), 1e-9, "balanced: 0.1 per ms, 2 ms");
        assertEquals(1.0 * 1 / 4, r.placement().terms().resourceTerm(), 1e-9, "balanced: 1.0 x 1 of 4 lanes");
    }

    @Test
    void blur_latencyCritical_goesToTheNearGpu_loadOnlyWeights_toTheLeastLoadedFabric() throws Exception {
        byte[] png = png(64, 48);
        TaskResult critical = FabricCompute.of(n0).execute(TaskRequest.builder(BLUR)
            .fabricTypes(FabricType.GPU, FabricType.FPGA).amount(100).priority("latency-critical").input(png).build());
        assertEquals(FabricType.GPU, critical.placement().fabricType());
        BufferedImage out = ImageIO.read(new ByteArrayInputStream(critical.output()));
        assertEquals(64, out.getWidth());
        assertEquals(48, out.getHeight());
        // load only: 100 of 16384 MiB leaves the GPU emptier than 100 of 1024 slices would leave the FPGA
        TaskResult byLoad = FabricCompute.of(n0).execute(TaskRequest.builder(BLUR)
            .fabricTypes(FabricType.GPU, FabricType.FPGA).amount(100).weights(CostWeights.of(0, 1)).input(png)
            .build());
        assertEquals(FabricType.GPU, byLoad.placement().fabricType());
        assertEquals(0.0, byLoad.placement().terms().latencyTerm());
        // latency only, with the GPU excluded by type: the FPGA is the one left
        TaskResult fpga = FabricCompute.of(n0).execute(TaskRequest.builder(BLUR).fabricTypes(FabricType.FPGA)
            .amount(100).priority("batch").input(png).build());
        assertEquals(FabricType.FPGA, fpga.placement().fabricType());
        assertEquals(0.01 * 8, fpga.placement().terms().latencyTerm(), 1e-9);
    }

    @Test
    void taskAssignment_explainsEveryPlacement_overJdbc() throws Exception {
        TaskResult r = FabricCompute.of(n0).execute(TaskRequest.builder("deflate").require(FabricType.FPGA, 16)
            .priority("batch").input(new byte[4096]).build());
        assertTrue(FabricCompute.of(n0).awaitReleases(Timing.CONDITION), "the task's release, with its row, taken");
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT FUNCTION_NAME, FABRIC_TYPE, NODE_NAME, PRIORITY, "
                 + "AMOUNT, COST, LATENCY_TERM, RESOURCE_TERM, ATTEMPT, STATE, STARTED_AT, ENDED_AT "
                 + "FROM FABRIC.TASK_ASSIGNMENT WHERE TASK_ID = ?")) {
            ps.setObject(1, r.placement().taskId());
            try (ResultSet rs = ps.executeQuery()) {
                assertTrue(rs.next(), "a row for the task");
                assertEquals("deflate", rs.getString(1));
                assertEquals("FPGA", rs.getString(2));
                assertEquals("n1", rs.getString(3));
                assertEquals("batch", rs.getString(4));
                assertEquals(16, rs.getLong(5));
                assertEquals(rs.getDouble(7) + rs.getDouble(8), rs.getDouble(6), 1e-12);
                assertEquals(0.01 * 8, rs.getDouble(7), 1e-9);
                assertEquals(1, rs.getInt(9));
                assertEquals("SUCCEEDED", rs.getString(10));
                assertTrue(!rs.getTimestamp(12).before(rs.getTimestamp(11)));
            }
        }
    }

    @Test
    void noFabric_isRefusedAtOnce_sayingWhatWasAskedAndWhatTheMapHolds() {
        NoSuitableFabricException e = assertThrows(NoSuitableFabricException.class, () -> FabricCompute.of(n0)
            .execute(TaskRequest.builder(BLUR).require(FabricType.FPGA, 5000).input(new byte[1]).build()));
        assertEquals("no fabric for image.gaussian-blur needing 5000 FPGA slices: 1 FPGA fabric known, "
            + "1 smaller than 5000 slices (largest 1024), most free 1024", e.getMessage());
    }

    @Test
    void unknownPriorityClass_isRefused_namingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> FabricCompute.of(n0)
            .execute(TaskRequest.builder("sha256").priority("urgent").build()));
        assertEquals("priority: 'urgent' (expected: one of balanced, batch, latency-critical, or explicit weights)",
            e.getMessage());
    }

    @Test
    void failingFunction_reportsItsOwnMessage_andTheRowSaysFailed() {
        IgniteException e = assertThrows(IgniteException.class, () -> FabricCompute.of(n0).execute(
            TaskRequest.builder(BLUR).require(FabricType.GPU, 10).input("not a png".getBytes()).build()));
        assertTrue(e.getMessage().contains("image.gaussian-blur on GPU Test GPU (declared) failed: "), e.getMessage());
        assertTrue(e.getMessage().toLowerCase().contains("png"), e.getMessage());
    }

    @Test
    void thirtyTwoConcurrentSubmitters_neverOversubscribeAFourLaneAsic() throws Exception {
        Probes.IN_USE.set(0);
        Probes.MOST_IN_USE.set(0);
        ExecutorService submitters = Executors.newFixedThreadPool(32);
        try {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < 32; i++) {
                long units = 1 + i % 3;
                results.add(submitters.submit(() -> FabricCompute.of(n0).call(TaskRequest.builder("sha256")
                    .require(FabricType.ASIC, units).build(), Probes.busyFor(units, 15))));
            }
            for (Future<String> f : results)
                assertEquals("Test ASIC (declared)", f.get(Timing.CONDITION.toMillis(), TimeUnit.MILLISECONDS));
        }
        finally {
            submitters.shutdownNow();
        }
        assertTrue(Probes.MOST_IN_USE.get() <= 4, "at most 4 lanes in use at once, saw " + Probes.MOST_IN_USE.get());
        assertEquals(0, Probes.IN_USE.get());
    }

    @Test
    void whileATaskRuns_sqlShowsItsReservation_andTheFabricsLowerFreeCount() throws Exception {
        Probes.gate = new CountDownLatch(1);
        IgniteFuture<String> f = FabricCompute.of(n0).callAsync(TaskRequest.builder("sha256")
            .require(FabricType.ASIC, 3).build(), Probes.heldUntilOpened());
        Timing.await("the ASIC to show 1 lane free", () -> asic().getResourceFree() == 1);
        // A reservation reaches the ledger cache once it has stood for a moment (LedgerWriter.DEFER_MS).
        Timing.await("the reservation in SQL", () -> n0.cache(FabricMapSchema.FABRIC_MAP_CACHE).query(
            new SqlFieldsQuery("SELECT COUNT(*) FROM FABRIC.RESERVATION")).getAll().get(0).get(0).equals(1L));
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT r.AMOUNT, e.RESOURCE_FREE, e.RESOURCE_COUNT "
                 + "FROM FABRIC.RESERVATION r JOIN FABRIC.FABRIC_ENTRY e ON r.FABRIC_ID = e.FABRIC_ID")) {
            assertTrue(rs.next());
            assertEquals(3, rs.getLong(1));
            assertEquals(1, rs.getLong(2));
            assertEquals(4, rs.getLong(3));
        }
        Probes.gate.countDown();
        assertEquals("Test ASIC (declared)", f.get(Timing.CONDITION.toMillis()));
    }

    @Test
    void aBusyFabric_queuesTheTask_whichRunsAsSoonAsTheFabricFrees() {
        Probes.gate = new CountDownLatch(1);
        IgniteFuture<String> holder = FabricCompute.of(n0).callAsync(TaskRequest.builder("sha256")
            .require(FabricType.ASIC, 4).build(), Probes.heldUntilOpened());
        Timing.await("the ASIC to be fully reserved", () -> asic().getResourceFree() == 0);
        IgniteFuture<TaskResult> queued = FabricCompute.of(n0).executeAsync(TaskRequest.builder("sha256")
            .require(FabricType.ASIC, 2).input(new byte[] {42}).build());
        Timing.await("the second task to wait in the queue",
            () -> FabricCompute.of(n0).orchestrator().queuedTasks() == 1);
        assertTrue(!queued.isDone());
        Probes.gate.countDown();
        assertEquals(FabricType.ASIC, queued.get(Timing.CONDITION.toMillis()).placement().fabricType());
        holder.get(Timing.CONDITION.toMillis());
    }

    @Test
    void aTaskThatWaitsLongerThanItsTimeout_failsBusy_namingTheBound() {
        Probes.gate = new CountDownLatch(1);
        IgniteFuture<String> holder = FabricCompute.of(n0).callAsync(TaskRequest.builder("sha256")
            .require(FabricType.ASIC, 4).build(), Probes.heldUntilOpened());
        Timing.await("the ASIC to be fully reserved", () -> asic().getResourceFree() == 0);
        FabricBusyException e = assertThrows(FabricBusyException.class, () -> FabricCompute.of(n0).execute(
            TaskRequest.builder("sha256").require(FabricType.ASIC, 1).timeout(Duration.ofMillis(300)).build()));
        assertTrue(e.getMessage().contains("for a busy fabric (expected: a fabric free within min(timeout=300 ms"),
            e.getMessage());
        assertEquals(0, FabricCompute.of(n0).orchestrator().queuedTasks());
        Probes.gate.countDown();
        holder.get(Timing.CONDITION.toMillis());
    }

    @Test
    void cancellingARunningTask_releasesItsFabric_andRecordsCancelled() throws Exception {
        Probes.gate = new CountDownLatch(1);
        Probes.STARTED.set(0);
        IgniteFuture<String> f = FabricCompute.of(n0).callAsync(TaskRequest.builder("sha256")
            .require(FabricType.ASIC, 2).build(), Probes.heldUntilOpened());
        Timing.await("the closure to start", () -> Probes.STARTED.get() == 1);
        assertTrue(f.cancel());
        assertThrows(IgniteFutureCancelledException.class, f::get);
        Timing.await("the ASIC to be free again", () -> asic().getResourceFree() == 4);
        Timing.await("a CANCELLED row", () -> countRows("CANCELLED") >= 1);
    }

    @Test
    void aTaskPastItsTimeout_isStopped_releasesItsFabric_andRecordsTimedOut() throws Exception {
        Probes.gate = new CountDownLatch(1);
        assertThrows(ComputeTaskTimeoutException.class, () -> FabricCompute.of(n0).call(TaskRequest.builder("sha256")
            .require(FabricType.ASIC, 1).timeout(Duration.ofMillis(300)).build(), Probes.heldUntilOpened()));
        Timing.await("the ASIC to be free again", () -> asic().getResourceFree() == 4);
        Timing.await("a TIMED_OUT row", () -> countRows("TIMED_OUT") >= 1);
    }

    static FabricEntry asic() {
        return FabricPlugin.of(n0).fabricMap().stream().filter(e -> e.getFabricType() == FabricType.ASIC)
            .findFirst().orElseThrow();
    }

    static int countRows(String state) {
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT COUNT(*) FROM FABRIC.TASK_ASSIGNMENT WHERE STATE = ?")) {
            ps.setString(1, state);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
        catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] png(int w, int h) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        Random rnd = new Random(7);
        for (int y = 0; y < h; y++)
            for (int x = 0; x < w; x++)
                img.setRGB(x, y, rnd.nextInt());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

}
