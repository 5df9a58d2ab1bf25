package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.services.ServiceDescriptor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The orchestrator's node stops while tasks run: every task completes, and the ledger balances afterwards. */
class OrchestratorFailoverTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static List<DeclaredFabric> declared() {
        List<DeclaredFabric> list = new ArrayList<>();
        for (String n : List.of("a", "b", "c")) {
            list.add(new DeclaredFabric().setName("f-asic-" + n).setType(FabricType.ASIC)
                .setModel("ASIC " + n + " (declared)").setResourceUnit("lanes").setResourceCount(2)
                .setFunctions(List.of("sha256")));
        }
        return list;
    }

    static Ignite start(String name, String device) {
        return CLUSTER.start(name, p -> {
            p.getAgent().setDeclaredFabrics(declared()).setDeviceAllowList(List.of(device));
            p.getOrchestrator().setQueueTimeoutMs(Timing.scaled(30_000));
        });
    }

    static String orchestratorNode(Ignite any) {
        for (ServiceDescriptor d : any.services().serviceDescriptors()) {
            if (!FabricMapSchema.ORCHESTRATOR_SERVICE.equals(d.name()))
                continue;
            for (Map.Entry<UUID, Integer> e : d.topologySnapshot().entrySet()) {
                if (e.getValue() > 0)
                    return String.valueOf(any.cluster().node(e.getKey()).consistentId());
            }
        }
        return null;
    }

    @Test
    void stoppingTheOrchestratorsNode_midRun_completesEveryTask_andBalancesTheLedger() throws Exception {
        Ignite o0 = start("o0", "declared:f-asic-a");
        Ignite o1 = start("o1", "declared:f-asic-b");
        Ignite o2 = start("o2", "declared:f-asic-c");
        Timing.await("an orchestrator", () -> orchestratorNode(o0) != null
            && FabricPlugin.of(o0).fabricMap().size() == 6);
        String first = orchestratorNode(o0);
        Ignite submitter = !"o2".equals(first) ? o2 : o1;

        Probes.IN_USE.set(0);
        Probes.MOST_IN_USE.set(0);
        List<IgniteFuture<String>> futures = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            futures.add(FabricCompute.of(submitter).callAsync(TaskRequest.builder("sha256")
                .require(FabricType.ASIC, 1).build(), Probes.busyFor(1, 100)));
        }
        Timing.await("tasks to be running", () -> Probes.IN_USE.get() > 0);
        CLUSTER.stop(first);

        for (IgniteFuture<String> f : futures) {
            String r = f.get(Timing.CONDITION.toMillis());
            assertTrue(r.startsWith("ASIC "), r);
        }

        Timing.await("a new orchestrator", () -> orchestratorNode(submitter) != null
            && !first.equals(orchestratorNode(submitter)));
        assertNotEquals(first, orchestratorNode(submitter));
        Timing.await("an empty ledger and every live fabric free", () ->
            FabricCompute.of(submitter).orchestrator().reservedUnits().isEmpty() && liveFabricsFree(submitter),
            () -> FabricCompute.of(submitter).orchestrator().reservedUnits() + " " + FabricPlugin.of(submitter)
                .fabricMap());
        assertTrue(FabricCompute.of(submitter).awaitReleases(Timing.CONDITION), "the caller's releases taken");
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT STATE, COUNT(*) FROM FABRIC.TASK_ASSIGNMENT "
                 + "GROUP BY STATE")) {
            int succeeded = 0;
            while (rs.next()) {
                assertNotEquals("RUNNING", rs.getString(1), "no attempt is left running");
                if ("SUCCEEDED".equals(rs.getString(1)))
                    succeeded = rs.getInt(2);
            }
            assertEquals(24, succeeded, "one successful attempt per task");
        }
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM FABRIC.RESERVATION")) {
            rs.next();
            assertEquals(0, rs.getInt(1));
        }
    }

    static boolean liveFabricsFree(Ignite node) {
        for (FabricEntry e : FabricPlugin.of(node).fabricMap()) {
            if (e.getStatus() != FabricStatus.OFFLINE && e.getResourceFree() != e.getResourceCount())
                return false;
        }
        return true;
    }
}
