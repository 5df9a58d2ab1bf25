package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import io.fabricstitch.ignite.internal.FabricMetrics;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import javax.management.ObjectName;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.lang.IgniteCallable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The web console's REST API and the {@code fabric} metric registry on real nodes: what the console reads, who may
 * read it, fault injection through it reaching the Fabric Map, the errors of bad requests, and the metrics in JMX and
 * {@code SYS.METRICS}.
 */
class WebConsoleClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final String TOKEN = "test-console-token-0123456789";
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    static Ignite guarded;
    static Ignite open;

    static DeclaredFabric gpu(String name) {
        return new DeclaredFabric().setName(name).setType(FabricType.GPU).setModel(name + " (declared)")
            .setResourceUnit("MiB").setResourceCount(1024).setLatencyMs(1).setFunctions(List.of("sha256"));
    }

    @BeforeAll
    static void startCluster() {
        guarded = CLUSTER.start("c0", p -> {
            p.getAgent().setDeclaredFabrics(List.of(gpu("g0"))).setRealProbesEnabled(false)
                .setDeviceAllowList(List.of("declared:g0")).setHealthIntervalMs(200);
            p.getConsole().setToken(TOKEN).setFaultInjection(true);
        });
        open = CLUSTER.start("c1", p -> p.getAgent().setDeclaredFabrics(List.of(gpu("g1"))).setRealProbesEnabled(false)
            .setDeviceAllowList(List.of("declared:g1")).setHealthIntervalMs(200));
        Timing.await("4 fabrics in both maps and an orchestrator", () -> FabricPlugin.of(guarded).fabricMap().size() == 4
            && FabricPlugin.of(open).fabricMap().size() == 4 && FabricCompute.of(guarded).orchestrator()
            .queuedTasks() == 0);
    }

    static HttpResponse<String> get(Ignite node, String path, String token) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(console(node).resolve(path)).timeout(Duration.ofSeconds(10));
        if (token != null)
            b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<String> post(Ignite node, String path, String token, String body)
        throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(console(node).resolve(path)).timeout(Duration.ofSeconds(15))
            .header("Content-Type", "application/json");
        if (token != null)
            b.header("Authorization", "Bearer " + token);
        return HTTP.send(b.POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    static URI console(Ignite node) {
        return FabricPlugin.of(node).consoleAddress().orElseThrow();
    }

    static JsonNode json(HttpResponse<String> r) throws IOException {
        return JSON.readTree(r.body());
    }

    static String statusOf(String model) {
        try {
            for (JsonNode f : json(get(open, "api/fabrics", null))) {
                if (f.get("model").asText().equals(model))
                    return f.get("status").asText() + ' ' + f.get("statusReason").asText();
            }
            return "absent";
        }
        catch (IOException | InterruptedException e) {
            return e.toString();
        }
    }

    @Test
    void consoleListensOnLoopbackOnEveryServerNode() {
        assertEquals("127.0.0.1", console(guarded).getHost());
        assertEquals("127.0.0.1", console(open).getHost());
        assertFalse(console(guarded).equals(console(open)));
    }

    @Test
    void pageAndApiShowEveryNodesFabrics() throws Exception {
        HttpResponse<String> page = get(open, "", null);
        assertEquals(200, page.statusCode());
        assertTrue(page.body().contains("<table id=\"fabrics\">"), page.body());
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));
        HttpResponse<String> r = get(open, "api/fabrics", null);
        assertEquals(200, r.statusCode(), r.body());
        Set<String> models = StreamSupport.stream(json(r).spliterator(), false).map(f -> f.get("model").asText())
            .collect(Collectors.toSet());
        assertTrue(models.containsAll(Set.of("g0 (declared)", "g1 (declared)")), models::toString);
        JsonNode overview = json(get(open, "api/overview", null));
        assertEquals(2, overview.get("cluster").get("servers").asInt());
        assertFalse(overview.get("cluster").get("faultInjection").asBoolean());
        assertEquals(4, overview.get("fabrics").size());
        assertTrue(overview.get("latency").has("nodes"));
        assertTrue(overview.get("metrics").has("tasksRouted"));
    }

    @Test
    void tokenGuardedConsoleRefusesRequestsWithoutTheToken() throws Exception {
        HttpResponse<String> none = get(guarded, "api/fabrics", null);
        assertEquals(401, none.statusCode());
        assertTrue(json(none).get("error").asText().startsWith("this console needs its token (expected: header "
            + "Authorization: Bearer <console.token>"), none.body());
        assertEquals(401, get(guarded, "api/fabrics", "wrong-token-0123456789").statusCode());
        assertEquals(200, get(guarded, "api/fabrics", TOKEN).statusCode());
    }

    @Test
    void faultInjectedThroughTheConsoleReachesTheMapAndIsRestored() throws Exception {
        String id = FabricPlugin.of(open).agent().declaredFabrics().get("g1").toString();
        HttpResponse<String> r = post(guarded, "api/fabrics/" + id + "/fail", TOKEN, "{\"reason\": \"fan stopped\"}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("fail", json(r).get("operation").asText());
        Timing.await("g1 OFFLINE in the console", () -> statusOf("g1 (declared)")
            .equals("OFFLINE injected fault: fan stopped"), () -> statusOf("g1 (declared)"));
        assertEquals(200, post(guarded, "api/fabrics/" + id + "/restore", TOKEN, "").statusCode());
        Timing.await("g1 ONLINE again", () -> statusOf("g1 (declared)").startsWith("ONLINE"),
            () -> statusOf("g1 (declared)"));
    }

    @Test
    void faultInjectionIsRefusedWhereItIsOffOrTheTokenIsMissing() throws Exception {
        String id = FabricPlugin.of(open).agent().declaredFabrics().get("g1").toString();
        HttpResponse<String> off = post(open, "api/fabrics/" + id + "/fail", null, "");
        assertEquals(403, off.statusCode());
        assertTrue(json(off).get("error").asText().startsWith("fault injection is off on this node (expected: "
            + "console.faultInjection=true"), off.body());
        assertEquals(401, post(guarded, "api/fabrics/" + id + "/fail", null, "").statusCode());
        assertTrue(statusOf("g1 (declared)").startsWith("ONLINE"));
    }

    @Test
    void badRequestsAreAnsweredWithWhatWasWrongAndWhatIsAccepted() throws Exception {
        assertError(get(open, "api/assignments?limit=0", null), 400, "limit: '0' (expected: an integer 1..500)");
        assertError(get(open, "api/fabrics?color=red", null), 400, "unknown parameter 'color' (expected: none)");
        assertError(get(open, "api/nodes", null), 404, "no endpoint GET /api/nodes (expected one of: GET /api/overview");
        assertError(post(guarded, "api/fabrics/not-a-uuid/fail", TOKEN, ""), 400, "fabric id 'not-a-uuid' (expected: "
            + "a UUID");
        String id = FabricPlugin.of(open).agent().declaredFabrics().get("g1").toString();
        assertError(post(guarded, "api/fabrics/" + id + "/explode", TOKEN, ""), 404, "operation 'explode' (expected: "
            + "fail, degrade or restore)");
        assertError(post(guarded, "api/fabrics/" + id + "/fail", TOKEN, "{\"reason\": 7}"), 400, "reason: 7 "
            + "(expected: text of 1..200 characters)");
        assertError(post(guarded, "api/fabrics/" + id + "/fail", TOKEN, "{reason"), 400, "request body is not JSON");
        String cpu = FabricPlugin.of(open).localFabrics().stream().filter(f -> f.getFabricType() == FabricType.CPU)
            .findFirst().orElseThrow().getFabricId().toString();
        assertError(post(guarded, "api/fabrics/" + cpu + "/fail", TOKEN, ""), 400, "fabric: '" + cpu + "' (expected: "
            + "the name or id of a declared fabric of agent c1");
        assertEquals(404, get(open, "nothing-here", null).statusCode());
        assertTrue(statusOf("g1 (declared)").startsWith("ONLINE"));
    }

    static String textOrNull(JsonNode n) {
        return n == null || n.isNull() ? null : n.asText();
    }

    @Test
    void fabricsShowWhatRunsEachFunctionAndOnWhichDevice_andAssignmentsTheirRuntime() throws Exception {
        Map<String, FabricEntry> map = FabricPlugin.of(open).fabricMap().stream()
            .collect(Collectors.toMap(e -> e.getFabricId().toString(), e -> e));
        JsonNode fabrics = json(get(open, "api/fabrics", null));
        assertEquals(map.size(), fabrics.size(), fabrics::toString);
        for (JsonNode f : fabrics) {
            FabricEntry e = map.get(f.get("fabricId").asText());
            assertEquals(e.getRuntime(), f.get("runtime").asText(), f::toString);
            assertEquals(e.getDeviceKey().isEmpty() ? null : e.getDeviceKey(), textOrNull(f.get("deviceKey")));
            assertEquals(e.getPciAddress().isEmpty() ? null : e.getPciAddress(), textOrNull(f.get("pciAddress")));
            assertEquals(e.getDriver().isEmpty() ? null : e.getDriver(), textOrNull(f.get("driver")));
            JsonNode impls = f.get("implementations");
            assertEquals(e.getFunctions().size(), impls.size(), f::toString);
            for (JsonNode i : impls) {
                String fn = i.get("name").asText();
                assertEquals(e.getFunctions().get(fn).runtime().name(), i.get("runtime").asText());
                assertEquals(e.speedFor(fn), i.get("speedFactor").asDouble(), 0, i::toString);
                assertEquals(e.getFunctions().get(fn).speedSource().name(), i.get("speedSource").asText());
            }
        }
        TaskResult r = FabricCompute.of(open).execute(TaskRequest.builder("sha256").require(FabricType.GPU, 1)
            .input(new byte[] {1, 2, 3}).timeout(Duration.ofSeconds(10)).build());
        String taskId = r.placement().taskId().toString();
        JsonNode[] found = new JsonNode[1];
        // The caller's release, with the task's final row, follows its result in the next batch.
        Timing.await("the task in /api/assignments", () -> {
            try {
                for (JsonNode a : json(get(open, "api/assignments?limit=500", null))) {
                    if (a.get("taskId").asText().equals(taskId) && !a.get("state").asText().equals("RUNNING"))
                        found[0] = a;
                }
            }
            catch (IOException | InterruptedException e) {
                throw new AssertionError(e);
            }
            return found[0] != null;
        });
        JsonNode mine = found[0];
        assertEquals("JAVA", mine.get("runtime").asText(), mine::toString);
        HttpResponse<String> page = get(open, "console.js", null);
        assertTrue(page.body().contains("'runtime'"), "the page shows the runtime");
    }

    static void assertError(HttpResponse<String> r, int status, String prefix) throws IOException {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""));
        String msg = json(r).get("error").asText();
        assertTrue(msg.startsWith(prefix), msg);
    }

    /** A trivial task, to count a routing. */
    static final class Hash implements IgniteCallable<String> {
        private static final long serialVersionUID = 1L;

        @Override
        public String call() {
            return "hashed";
        }
    }

    @Test
    void fabricRegistryShowsInSqlAndJmxAndCountsRoutedTasks() throws Exception {
        long before = FabricPlugin.of(open).metrics().tasksRouted();
        assertEquals("hashed", FabricCompute.of(open).call(TaskRequest.builder("sha256").require(FabricType.GPU, 1)
            .timeout(Duration.ofSeconds(10)).build(), new Hash()));
        assertEquals(before + 1, FabricPlugin.of(open).metrics().tasksRouted());
        List<List<?>> rows = open.cache(FabricMapSchema.FABRIC_MAP_CACHE).query(new SqlFieldsQuery(
            "SELECT NAME, VALUE FROM SYS.METRICS WHERE NAME LIKE '%gpuOnline' OR NAME LIKE '%tasksRouted' OR NAME "
                + "LIKE 'fabric.fabrics'")).getAll();
        assertEquals(3, rows.size(), rows::toString);
        for (List<?> r : rows) {
            if (r.get(0).equals("fabric.gpuOnline"))
                assertEquals("2", r.get(1));
            if (r.get(0).equals("fabric.fabrics"))
                assertEquals("4", r.get(1));
        }
        Set<ObjectName> beans = ManagementFactory.getPlatformMBeanServer().queryNames(new ObjectName(
            "org.apache:igniteInstanceName=c1,name=" + FabricMetrics.REGISTRY + ",*"), null);
        assertEquals(1, beans.size(), beans::toString);
        Object online = ManagementFactory.getPlatformMBeanServer().getAttribute(beans.iterator().next(), "gpuOnline");
        assertEquals(2, ((Number)online).intValue());
        JsonNode metrics = json(get(open, "api/metrics", null));
        assertTrue(metrics.get("tasksRouted").asLong() >= before + 1, metrics::toString);
        assertTrue(metrics.get("selectionTime").isObject(), metrics::toString);
    }
}
