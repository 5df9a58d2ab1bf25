package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.internal.FabricRow;
import io.fabricstitch.ignite.internal.MarkSilent;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import javax.cache.event.CacheEntryEvent;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Liveness apart from content (issue 19): every health check moves the agent's one {@code AGENT_HEARTBEAT} row, while
 * a {@code FABRIC_ENTRY} row is written only when what its agent says differs from the map.
 */
class AgentHeartbeatClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final long HEALTH_MS = 200;
    static final List<String> FABRICS = List.of("hb-a", "hb-b", "hb-c");

    static Ignite n0;
    static Ignite n1;

    static Ignite startNode(String name, String prefix) {
        List<DeclaredFabric> declared = new ArrayList<>();
        for (String f : FABRICS)
            declared.add(new DeclaredFabric().setName(prefix + f).setType(FabricType.FPGA)
                .setModel("Heartbeat FPGA (declared)").setResourceUnit("slices").setResourceCount(100)
                .setFunctions(List.of("sha256")));
        return CLUSTER.start(name, p -> p.getAgent().setDeclaredFabrics(declared).setDeviceAllowList(
            List.of("declared:" + prefix + "*")).setHealthIntervalMs(HEALTH_MS).setRealProbesEnabled(false));
    }

    @BeforeAll
    static void startCluster() {
        n0 = startNode("hb0", "n0-");
        n1 = startNode("hb1", "n1-");
        Timing.await("both heartbeats in SQL", () -> heartbeats().size() == 2, () -> heartbeats().toString());
    }

    /** NODE_NAME FABRICS HEALTH_INTERVAL_MS of every AGENT_HEARTBEAT row, through SQL. */
    static List<String> heartbeats() {
        List<String> out = new ArrayList<>();
        for (List<?> r : n0.cache(FabricMapSchema.AGENT_HEARTBEAT_CACHE).query(new SqlFieldsQuery("SELECT NODE_NAME, "
            + "FABRICS, HEALTH_INTERVAL_MS FROM FABRIC.AGENT_HEARTBEAT ORDER BY NODE_NAME")).getAll())
            out.add(r.get(0) + " " + r.get(1) + " " + r.get(2));
        return out;
    }

    static Timestamp lastReport(Ignite node) {
        List<List<?>> rows = n0.cache(FabricMapSchema.AGENT_HEARTBEAT_CACHE).query(new SqlFieldsQuery(
            "SELECT LAST_REPORT FROM FABRIC.AGENT_HEARTBEAT WHERE NODE_ID = ?").setArgs(node.cluster().localNode().id()))
            .getAll();
        return rows.isEmpty() ? null : (Timestamp)rows.get(0).get(0);
    }

    static FabricRow rowOf(String fabric) {
        UUID id = FabricPlugin.of(n1).agent().declaredFabrics().get(fabric);
        return n0.<UUID, FabricRow>cache(FabricMapSchema.FABRIC_MAP_CACHE).get(id);
    }

    @Test
    void healthChecksThatChangeNothing_moveTheHeartbeat_andWriteNoFabricRow() {
        assertEquals(List.of("hb0 4 200", "hb1 4 200"), heartbeats(), "3 declared fabrics and the CPU per node");
        UUID h1 = n1.cluster().localNode().id();
        AtomicInteger h1RowWrites = new AtomicInteger();
        ContinuousQuery<UUID, FabricRow> q = new ContinuousQuery<>();
        q.setLocalListener(events -> {
            for (CacheEntryEvent<? extends UUID, ? extends FabricRow> e : events)
                if (e.getValue() != null && h1.equals(e.getValue().nodeId()))
                    h1RowWrites.incrementAndGet();
        });
        IgniteCache<UUID, FabricRow> map = n0.cache(FabricMapSchema.FABRIC_MAP_CACHE);
        Set<Timestamp> beats = new HashSet<>();
        try (QueryCursor<?> ignored = map.query(q)) {
            Timing.await("five heartbeats of hb1", () -> {
                beats.add(lastReport(n1));
                return beats.size() >= 6;
            });
        }
        assertEquals(0, h1RowWrites.get(), "no FABRIC_ENTRY row of hb1 written over five health checks");
    }

    @Test
    void aRowMarkedBySomeoneElse_isWrittenBackByItsAgent() {
        FabricRow before = rowOf("n1-hb-b");
        boolean marked = n0.<UUID, FabricRow>cache(FabricMapSchema.FABRIC_MAP_CACHE).invoke(before.fabricId(),
            new MarkSilent(before.nodeId(), before.updatedAtMillis(), FabricStatus.DEGRADED,
                "agent of node hb1 silent for 9.9 s (a test's mark)"));
        assertEquals(true, marked);
        Timing.await("n1-hb-b ONLINE again", () -> "ONLINE".equals(rowOf("n1-hb-b").status()),
            () -> String.valueOf(rowOf("n1-hb-b")));
        assertEquals("", rowOf("n1-hb-b").statusReason());
    }

    @Test
    void aForgedHeartbeat_isPutBackByItsNode_soAHungAgentCannotBeMadeToLookAlive() {
        // A node whose agent beats every 30 s: between two beats only the map's guard can undo the forgery.
        Ignite slow = CLUSTER.start("hb-slow", p -> {
            p.getAgent().setDeclaredFabrics(List.of()).setDeviceAllowList(List.of("declared:none"))
                .setHealthIntervalMs(30_000).setRealProbesEnabled(false);
            p.getOrchestrator().setSilentDegradedAfterMs(60_000).setSilentOfflineAfterMs(120_000);
        });
        try {
            UUID id = slow.cluster().localNode().id();
            Timing.await("hb-slow's heartbeat", () -> lastReport(slow) != null, () -> heartbeats().toString());
            Timestamp truth = lastReport(slow);
            Timestamp forged = new Timestamp(truth.getTime() + 3_600_000);
            n0.cache(FabricMapSchema.AGENT_HEARTBEAT_CACHE).query(new SqlFieldsQuery(
                "UPDATE FABRIC.AGENT_HEARTBEAT SET LAST_REPORT = ? WHERE NODE_ID = ?").setArgs(forged, id)).getAll();
            Timing.await("the forged LAST_REPORT put back", () -> truth.equals(lastReport(slow)),
                () -> "LAST_REPORT " + lastReport(slow) + ", written " + truth);
        }
        finally {
            CLUSTER.stop("hb-slow");
        }
        Timing.await("hb-slow's heartbeat removed", () -> heartbeats().size() == 2, () -> heartbeats().toString());
    }

    @Test
    void aDepartedNodesHeartbeat_isRemoved() {
        startNode("hb2", "n2-");
        Timing.await("hb2's heartbeat", () -> heartbeats().size() == 3, () -> heartbeats().toString());
        CLUSTER.stop("hb2");
        Timing.await("hb2's heartbeat removed", () -> heartbeats().size() == 2, () -> heartbeats().toString());
    }
}
