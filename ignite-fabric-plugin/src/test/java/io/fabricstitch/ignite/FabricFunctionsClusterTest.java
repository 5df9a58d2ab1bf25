package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import io.fabricstitch.ignite.internal.FabricFunctionRow;
import io.fabricstitch.ignite.internal.FabricMapStore;
import io.fabricstitch.ignite.internal.FabricMapView;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import io.fabricstitch.model.FunctionImplementation;
import io.fabricstitch.model.SpeedSource;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import javax.cache.Cache;
import javax.cache.event.EventType;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What runs where, in the Fabric Map on real nodes: the runtime and device columns of {@code FABRIC_ENTRY}, the
 * implementation and speed of each {@code FABRIC_FUNCTION} row read through the JDBC thin driver, function rows that
 * follow a speed measured after start (and are not rewritten while nothing changed), the nodes' live views, and the
 * runtime {@code TASK_ASSIGNMENT} records. Entries of devices these hosts lack are written through a
 * {@link FabricMapStore} of their own, as an agent with OpenCL and external programs would report them; they are ASIC
 * fabrics, and every task here asks for a GPU, so no task is placed on them.
 */
class FabricFunctionsClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final String BLUR = "image.gaussian-blur";
    static final String MATMUL = "matmul.f32";
    static final String HASH = "sha256";
    static final String DEFLATE = "deflate";

    static Ignite n0;
    static Ignite n1;

    @BeforeAll
    static void startCluster() {
        n0 = CLUSTER.start("f0", p -> p.getAgent().setDeclaredFabrics(List.of(new DeclaredFabric().setName("f-gpu-0")
            .setType(FabricType.GPU).setModel("F GPU (declared)").setResourceUnit("MiB").setResourceCount(1024)
            .setSpeedFactor(4).setFunctions(List.of(HASH)))).setDeviceAllowList(List.of("declared:f-gpu-*"))
            .setRealProbesEnabled(false).setHealthIntervalMs(200));
        n1 = CLUSTER.start("f1", p -> p.getAgent().setDeviceAllowList(List.of("declared:none"))
            .setRealProbesEnabled(false).setHealthIntervalMs(200));
        Timing.await("3 fabrics in both views and an orchestrator", () -> FabricPlugin.of(n0).fabricMap().size() == 3
            && FabricPlugin.of(n1).fabricMap().size() == 3 && FabricCompute.of(n1).orchestrator().queuedTasks() == 0);
    }

    /** An OpenCL ASIC of node f0 with a PCI address and a driver, one function run as a process. */
    /**
     * A node id that no node of the cluster has: a live node's agent would remove the rows this test writes in its
     * name, as rows it never wrote (the map heals itself); these are OFFLINE in the views, which still show them.
     */
    static final UUID ABSENT_NODE = UUID.nameUUIDFromBytes("fabric functions test: no such node".getBytes());

    static FabricEntry device(UUID id, Map<String, FunctionImplementation> functions) {
        return FabricEntry.builder().fabricId(id).nodeId(ABSENT_NODE).agentAddress("127.0.0.1:0")
            .site("default").fabricType(FabricType.ASIC).model("Test OpenCL accelerator").resourceUnit("lanes")
            .resourceCount(8).resourceFree(8).speedFactor(2).deviceKey("opencl:test-" + id.getLeastSignificantBits())
            .pciAddress("0000:3b:00.0").driver("3.0 CUDA 12.4").functions(functions)
            .updatedAt(Instant.now().truncatedTo(ChronoUnit.MILLIS)).build();
    }

    static FunctionImplementation impl(FabricRuntime rt, String what, double speed, SpeedSource source) {
        return FunctionImplementation.of(rt, what, speed, source);
    }

    /** Each row of {@code sql} as column label -> value, through the JDBC thin driver. */
    static List<Map<String, Object>> query(String sql, Object... args) {
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             PreparedStatement st = c.prepareStatement(sql)) {
            for (int i = 0; i < args.length; i++)
                st.setObject(i + 1, args[i]);
            List<Map<String, Object>> rows = new ArrayList<>();
            try (ResultSet rs = st.executeQuery()) {
                ResultSetMetaData md = rs.getMetaData();
                while (rs.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int i = 1; i <= md.getColumnCount(); i++)
                        row.put(md.getColumnLabel(i), rs.getObject(i));
                    rows.add(row);
                }
            }
            return rows;
        }
        catch (SQLException e) {
            throw new AssertionError("query failed: " + sql, e);
        }
    }

    static Map<String, String> functionRows(UUID fabricId) {
        Map<String, String> rows = new TreeMap<>();
        for (Map<String, Object> r : query("SELECT FUNCTION_NAME, RUNTIME, IMPLEMENTATION, SPEED_FACTOR, SPEED_SOURCE "
            + "FROM FABRIC.FABRIC_FUNCTION WHERE FABRIC_ID = ?", fabricId))
            rows.put((String)r.get("FUNCTION_NAME"), r.get("RUNTIME") + " " + r.get("IMPLEMENTATION") + " "
                + r.get("SPEED_FACTOR") + " " + r.get("SPEED_SOURCE"));
        return rows;
    }

    static FabricEntry inView(Ignite node, UUID fabricId) {
        return FabricPlugin.of(node).fabricMap().stream().filter(e -> e.getFabricId().equals(fabricId)).findFirst()
            .orElse(null);
    }

    /** Takes a test device out of the map again. */
    static void remove(FabricMapStore store, UUID fabricId) {
        store.functionCache().removeAll(List.of(BLUR, MATMUL, HASH, DEFLATE).stream()
            .map(fn -> FabricFunctionRow.key(fabricId, fn)).collect(Collectors.toSet()));
        store.entryCache().remove(fabricId);
    }

    @Test
    void entryAndFunctionColumns_sayWhatRunsWhere_throughJdbc_andTheViewsRebuildTheEntry() {
        FabricEntry e = device(UUID.randomUUID(), Map.of(
            BLUR, impl(FabricRuntime.OPENCL, "gaussian_blur.cl", 7.5, SpeedSource.MEASURED),
            MATMUL, impl(FabricRuntime.PROCESS, "/opt/fabric/matmul --device $FABRIC_DEVICE_KEY", 0,
                SpeedSource.UNMEASURED)));
        FabricMapStore store = new FabricMapStore(n0).open();
        try {
            store.publish(List.of(e), "f0");
            Map<String, Object> row = query("SELECT RUNTIME, DEVICE_KEY, PCI_ADDRESS, DRIVER, SPEED_FACTOR "
                + "FROM FABRIC.FABRIC_ENTRY WHERE FABRIC_ID = ?", e.getFabricId()).get(0);
            assertEquals(Map.of("RUNTIME", "OPENCL,PROCESS", "DEVICE_KEY", e.getDeviceKey(), "PCI_ADDRESS",
                "0000:3b:00.0", "DRIVER", "3.0 CUDA 12.4", "SPEED_FACTOR", 2.0), row);
            assertEquals(Map.of(
                BLUR, "OPENCL gaussian_blur.cl 7.5 MEASURED",
                MATMUL, "PROCESS /opt/fabric/matmul --device $FABRIC_DEVICE_KEY 2.0 UNMEASURED"), functionRows(e.getFabricId()),
                "a function without a speed of its own shows the fabric's");
            // Which implementation runs the blur on each fabric, and at what speed (docs/sql.md)
            List<Map<String, Object>> blur = query("SELECT e.MODEL, f.RUNTIME, f.IMPLEMENTATION, f.SPEED_FACTOR "
                + "FROM FABRIC.FABRIC_ENTRY e JOIN FABRIC.FABRIC_FUNCTION f ON e.FABRIC_ID = f.FABRIC_ID "
                + "WHERE f.FUNCTION_NAME = ? AND e.FABRIC_ID = ?", BLUR, e.getFabricId());
            assertEquals(List.of(Map.of("MODEL", "Test OpenCL accelerator", "RUNTIME", "OPENCL", "IMPLEMENTATION",
                "gaussian_blur.cl", "SPEED_FACTOR", 7.5)), blur);
            for (Ignite n : List.of(n0, n1)) {
                Timing.await("the device in the view of " + n.name(), () -> inView(n, e.getFabricId()) != null);
                FabricEntry seen = inView(n, e.getFabricId());
                assertEquals(e.getFunctions(), seen.getFunctions());
                assertEquals(List.of(e.getDeviceKey(), e.getPciAddress(), e.getDriver(), "OPENCL,PROCESS"),
                    List.of(seen.getDeviceKey(), seen.getPciAddress(), seen.getDriver(), seen.getRuntime()));
                assertEquals(7.5, seen.speedFor(BLUR), 0);
                assertEquals(2.0, seen.speedFor(MATMUL), 0);
            }
        }
        finally {
            remove(store, e.getFabricId());
        }
    }

    @Test
    void declaredFabrics_haveNoPciAddressOrDriver_andRunTheirFunctionsInJava() {
        List<Map<String, Object>> rows = query("SELECT e.MODEL, e.RUNTIME, e.PCI_ADDRESS, e.DRIVER, "
            + "f.RUNTIME AS FN_RUNTIME FROM FABRIC.FABRIC_ENTRY e JOIN FABRIC.FABRIC_FUNCTION f "
            + "ON e.FABRIC_ID = f.FABRIC_ID WHERE e.MODEL = 'F GPU (declared)'");
        assertTrue(!rows.isEmpty(), "the declared GPU's functions");
        for (Map<String, Object> r : rows) {
            assertEquals("JAVA", r.get("RUNTIME"), r::toString);
            assertEquals("JAVA", r.get("FN_RUNTIME"), r::toString);
            assertNull(r.get("PCI_ADDRESS"), r::toString);
            assertNull(r.get("DRIVER"), r::toString);
        }
    }

    /** Function-row events seen by a continuous query on node f1, by key: the speed of each put, or -1 when removed. */
    static final class FunctionWrites implements AutoCloseable {
        final Map<String, List<Double>> byKey = new ConcurrentHashMap<>();
        private final QueryCursor<Cache.Entry<String, FabricFunctionRow>> cursor;

        FunctionWrites(UUID fabricId) {
            ContinuousQuery<String, FabricFunctionRow> q = new ContinuousQuery<>();
            String prefix = fabricId + "/";
            q.setLocalListener(events -> events.forEach(ev -> {
                if (ev.getKey().startsWith(prefix))
                    byKey.computeIfAbsent(ev.getKey().substring(prefix.length()), k -> new java.util.concurrent
                        .CopyOnWriteArrayList<>()).add(ev.getEventType() == EventType.REMOVED ? -1.0
                            : ev.getValue().speedFactor());
            }));
            cursor = FabricPlugin.of(n1).mapStore().functionCache().query(q);
        }

        /** Waits until the writes of {@code function} are {@code speeds}, the last one included. */
        void await(String function, Double... speeds) {
            List<Double> expected = List.of(speeds);
            Timing.await(function + " written " + expected, () -> expected.equals(byKey.get(function)), byKey::toString);
        }

        @Override
        public void close() {
            cursor.close();
        }
    }

    @Test
    void aSpeedMeasuredAfterStart_rewritesThatFunctionsRowAlone_andReportsThatChangeNothingWriteNoFunctionRow() {
        UUID id = UUID.randomUUID();
        Map<String, FunctionImplementation> fns = new TreeMap<>(Map.of(
            BLUR, impl(FabricRuntime.OPENCL, "gaussian_blur.cl", 4, SpeedSource.MEASURED),
            MATMUL, impl(FabricRuntime.JAVA, "io.fabricstitch.function.MatMul", 0, SpeedSource.UNMEASURED),
            DEFLATE, impl(FabricRuntime.JAVA, "java.util.zip.Deflater", 0, SpeedSource.UNMEASURED)));
        FabricEntry e = device(id, fns);
        FabricMapStore store = new FabricMapStore(n0).open();
        FabricMapView orchestratorsView = FabricPlugin.of(n1).mapView();
        try (FunctionWrites writes = new FunctionWrites(id)) {
            store.publish(List.of(e), "f0");
            writes.await(BLUR, 4.0);
            writes.await(MATMUL, 2.0);
            writes.await(DEFLATE, 2.0);
            Timing.await("the device in the view", () -> inView(n1, id) != null);
            long structure = orchestratorsView.structureVersion();

            for (int i = 0; i < 3; i++) // heartbeats: nothing but the report time moves
                store.report(List.of(e), "f0", Instant.now());
            // The agent measured the blur: 9x.
            fns.put(BLUR, impl(FabricRuntime.OPENCL, "gaussian_blur.cl", 9, SpeedSource.MEASURED));
            store.report(List.of(device(id, fns)), "f0", Instant.now());
            writes.await(BLUR, 4.0, 9.0);
            assertEquals(Map.of(
                BLUR, "OPENCL gaussian_blur.cl 9.0 MEASURED",
                DEFLATE, "JAVA java.util.zip.Deflater 2.0 UNMEASURED",
                MATMUL, "JAVA io.fabricstitch.function.MatMul 2.0 UNMEASURED"), functionRows(id));
            for (Ignite n : List.of(n0, n1))
                Timing.await("blur at 9x in the view of " + n.name(), () -> inView(n, id) != null
                    && inView(n, id).speedFor(BLUR) == 9.0);
            assertTrue(orchestratorsView.structureVersion() > structure, "a changed speed is a change of structure");

            // The deflate is no longer run, a hash is; the matmul moves to OpenCL.
            fns.remove(DEFLATE);
            fns.put(HASH, impl(FabricRuntime.PROCESS, "sha256sum", 3, SpeedSource.MEASURED));
            fns.put(MATMUL, impl(FabricRuntime.OPENCL, "sgemm.cl", 0, SpeedSource.UNMEASURED));
            store.report(List.of(device(id, fns)), "f0", Instant.now());
            writes.await(DEFLATE, 2.0, -1.0);
            writes.await(HASH, 3.0);
            Timing.await("the view without the deflate", () -> inView(n1, id) != null
                && !inView(n1, id).getFunctions().containsKey(DEFLATE) && inView(n1, id).getFunctions().containsKey(HASH),
                () -> String.valueOf(inView(n1, id)));
            assertEquals("OPENCL", inView(n1, id).getFunctions().get(MATMUL).runtime().name());
            assertEquals("OPENCL,PROCESS", query("SELECT RUNTIME FROM FABRIC.FABRIC_ENTRY WHERE FABRIC_ID = ?", id)
                .get(0).get("RUNTIME"));

            // The fabric's own speed moves: only the row that repeats it (the matmul) changes.
            store.report(List.of(device(id, fns).toBuilder().speedFactor(3).build()), "f0", Instant.now());
            writes.await(MATMUL, 2.0, 2.0, 3.0);
            // Last, every function's speed moves, so that any rewrite in between would show before these.
            Map<String, FunctionImplementation> last = new TreeMap<>();
            fns.forEach((fn, f) -> last.put(fn, f.withSpeed(5, SpeedSource.MEASURED)));
            store.report(List.of(device(id, last).toBuilder().speedFactor(3).build()), "f0", Instant.now());
            writes.await(BLUR, 4.0, 9.0, 5.0);
            writes.await(HASH, 3.0, 5.0);
            writes.await(MATMUL, 2.0, 2.0, 3.0, 5.0);
            writes.await(DEFLATE, 2.0, -1.0);
        }
        finally {
            remove(store, id);
        }
    }

    @Test
    void taskAssignmentRecordsTheRuntimeTheMapSaysServesTheFunction() {
        TaskResult r = FabricCompute.of(n1).execute(TaskRequest.builder(HASH).require(FabricType.GPU, 1)
            .input("abc".getBytes(StandardCharsets.UTF_8)).timeout(Duration.ofSeconds(10)).build());
        FabricEntry placed = inView(n1, r.placement().fabricId());
        String expected = placed.getFunctions().get(HASH).runtime().name();
        assertEquals("JAVA", expected, "a declared fabric runs its functions in Java");
        assertTrue(FabricCompute.of(n1).awaitReleases(Timing.CONDITION), "the task's release taken");
        List<Map<String, Object>> rows = query("SELECT RUNTIME, STATE FROM FABRIC.TASK_ASSIGNMENT WHERE TASK_ID = ?",
            r.placement().taskId());
        assertEquals(1, rows.size(), rows::toString);
        assertEquals(expected, rows.get(0).get("RUNTIME"));
        assertEquals("SUCCEEDED", rows.get(0).get("STATE"));
        assertEquals(FabricRuntime.JAVA, r.runtime(), "the caller hears what ran: " + r.ranAs());
    }

    @Test
    void closureIsRecordedWithoutARuntime_onEveryRowOfItsAttempt() {
        UUID[] task = new UUID[1];
        String where = FabricCompute.of(n1).call(TaskRequest.builder(HASH).require(FabricType.GPU, 1)
            .timeout(Duration.ofSeconds(10)).build(), () -> {
                io.fabricstitch.ignite.compute.FabricTaskContext ctx =
                    io.fabricstitch.ignite.compute.FabricTaskContext.current();
                return ctx.placement().taskId() + " " + ctx.device().environment().get("FABRIC_ID");
            });
        task[0] = UUID.fromString(where.split(" ")[0]);
        assertTrue(FabricCompute.of(n1).awaitReleases(Timing.CONDITION), "the task's release taken");
        List<Map<String, Object>> rows = query("SELECT RUNTIME, STATE, FABRIC_ID FROM FABRIC.TASK_ASSIGNMENT "
            + "WHERE TASK_ID = ?", task[0]);
        assertEquals(1, rows.size(), rows::toString);
        assertEquals("SUCCEEDED", rows.get(0).get("STATE"));
        assertNull(rows.get(0).get("RUNTIME"), "a closure is the application's code, not the function's");
        assertEquals(String.valueOf(rows.get(0).get("FABRIC_ID")), where.split(" ")[1],
            "the closure's binding names the fabric it was placed on");
    }
}
