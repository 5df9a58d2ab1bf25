package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.test.ChildNodeProcess;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.LongGpuJob;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code kill -9} of the node running a long job, with real processes: three worker nodes in JVMs of their own, each
 * with one declared GPU (w1 nearest, then w2, then w3, 30 ms apart so that the measured round trips between the
 * processes cannot reorder them), and the caller k0 in the test's JVM. Through
 * {@link FabricCompute} (the orchestrator re-places the task) and through plain Ignite compute with
 * {@link FabricFailoverSpi}, the caller gets exactly one result, and the right one. The tests run in order: the first
 * kills w1, the second w2.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KillNodeFailoverTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite k0;
    static final List<ChildNodeProcess> WORKERS = new ArrayList<>();

    @BeforeAll
    static void startCluster() {
        k0 = CLUSTER.start(CLUSTER.configuration("k0", new FabricPluginConfiguration()
            .setAgent(new FabricAgentConfiguration().setDeviceAllowList(List.of("declared:none"))))
            .setLoadBalancingSpi(new FabricLoadBalancingSpi()).setFailoverSpi(new FabricFailoverSpi()));
        LongGpuJob.createMarks(k0);
        List<CompletableFuture<ChildNodeProcess>> starting = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            ChildNodeProcess.Spec spec = ChildNodeProcess.Spec.named("w" + i).withFabricSpis()
                .declared("gw" + i + ":GPU:1024:MiB:" + (30 * i - 20) + ":1:sha256"); // 10, 40, 70 ms: far above jitter
            starting.add(CompletableFuture.supplyAsync(() -> CLUSTER.startChild(spec)));
        }
        RuntimeException failed = null;
        for (CompletableFuture<ChildNodeProcess> f : starting) {
            try {
                WORKERS.add(f.join());
            }
            catch (RuntimeException e) {
                failed = failed == null ? e : failed;
            }
        }
        if (failed != null)
            throw failed;
        Timing.await("every worker's GPU in the caller's map", () -> FabricPlugin.of(k0).fabricMap().stream()
            .filter(f -> f.getFabricType() == FabricType.GPU).count() == 3);
    }

    static ChildNodeProcess worker(String name) {
        return WORKERS.stream().filter(w -> w.name().equals(name)).findFirst().orElseThrow();
    }

    static boolean started(String key, String node) {
        return LongGpuJob.startedOn(k0, key, node);
    }

    @Test
    @Order(1)
    void fabricComputeTask_survivesKillMinus9OfItsNode_withExactlyOneCorrectResult() throws Exception {
        String key = "fc-" + UUID.randomUUID();
        IgniteFuture<String> result = FabricCompute.of(k0).callAsync(LongGpuJob.gpuRequest(),
            new LongGpuJob(key, "w1"));
        Timing.await("the job running on w1", () -> started(key, "w1"));
        worker("w1").kill();
        assertEquals("answer to " + key, result.get(Timing.CONDITION.toMillis()));
        assertTrue(started(key, "w2"), "re-placed on the next nearest GPU");
        assertFalse(started(key, "w3"));
        List<String> rows = assignmentStates();
        assertEquals(1, rows.stream().filter(r -> r.endsWith(" SUCCEEDED")).count(), rows::toString);
        assertTrue(rows.contains("1 w1 LOST"), rows::toString);
        assertTrue(rows.contains("2 w2 SUCCEEDED"), rows::toString);
        Timing.await("the ledger empty", () -> FabricCompute.of(k0).orchestrator().reservedUnits().isEmpty());
    }

    @Test
    @Order(2)
    void plainComputeJob_survivesKillMinus9OfItsNode_throughFabricFailoverSpi() {
        Timing.await("w1 gone from the map's ONLINE GPUs", () -> FabricPlugin.of(k0).fabricMap().stream()
            .filter(f -> f.getFabricType() == FabricType.GPU && f.getStatus().name().equals("ONLINE")).count() == 2);
        String key = "spi-" + UUID.randomUUID();
        ChildNodeProcess target = worker("w2");
        IgniteFuture<String> result = k0.compute().withTimeout(Timing.scaled(90_000))
            .callAsync(new LongGpuJob(key, target.name()));
        Timing.await("the job running on " + target.name(), () -> started(key, target.name()));
        target.kill();
        assertEquals("answer to " + key, result.get(Timing.CONDITION.toMillis()));
        assertTrue(started(key, "w3"), "failed over to the next-best remaining GPU");
    }

    /** {@code attempt node state} of every FabricCompute attempt, oldest first. */
    static List<String> assignmentStates() throws Exception {
        assertTrue(FabricCompute.of(k0).awaitReleases(Timing.CONDITION), "the caller's releases taken");
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             PreparedStatement ps = c.prepareStatement("SELECT ATTEMPT, NODE_NAME, STATE FROM FABRIC.TASK_ASSIGNMENT "
                 + "ORDER BY STARTED_AT");
             ResultSet rs = ps.executeQuery()) {
            while (rs.next())
                rows.add(rs.getInt(1) + " " + rs.getString(2) + " " + rs.getString(3));
        }
        return rows;
    }
}
