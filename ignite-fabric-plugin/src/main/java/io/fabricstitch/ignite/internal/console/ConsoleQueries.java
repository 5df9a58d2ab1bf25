package io.fabricstitch.ignite.internal.console;

import io.fabricstitch.ignite.FabricMapSchema;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.query.SqlFieldsQuery;

/**
 * What the console shows, read with SQL from the node's Fabric Map tables (the same queries a user can run through
 * JDBC): fabrics, the latency matrix, recent task assignments and failovers. Each method returns plain maps and lists
 * ready for JSON. Not API.
 */
final class ConsoleQueries {
    private final Ignite ignite;

    ConsoleQueries(Ignite ignite) {
        this.ignite = ignite;
    }

    private List<List<?>> query(String sql, Object... args) {
        IgniteCache<?, ?> cache = ignite.cache(FabricMapSchema.FABRIC_MAP_CACHE);
        return cache.query(new SqlFieldsQuery(sql).setSchema(FabricMapSchema.SCHEMA).setArgs(args)).getAll();
    }

    /** Every fabric with its functions, by node name, type and model. */
    List<Map<String, Object>> fabrics() {
        Map<Object, List<String>> functions = new HashMap<>();
        for (List<?> r : query("SELECT FABRIC_ID, FUNCTION_NAME FROM FABRIC_FUNCTION ORDER BY FUNCTION_NAME"))
            functions.computeIfAbsent(r.get(0), k -> new ArrayList<>()).add(String.valueOf(r.get(1)));
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<?> r : query("SELECT FABRIC_ID, NODE_ID, NODE_NAME, SITE, FABRIC_TYPE, MODEL, RESOURCE_UNIT, "
            + "RESOURCE_COUNT, RESOURCE_FREE, LATENCY_MS, STATUS, STATUS_REASON, UPDATED_AT, AGENT_ADDRESS "
            + "FROM FABRIC_ENTRY ORDER BY NODE_NAME, FABRIC_TYPE, MODEL")) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("fabricId", String.valueOf(r.get(0)));
            f.put("nodeId", String.valueOf(r.get(1)));
            f.put("nodeName", r.get(2));
            f.put("site", r.get(3));
            f.put("type", r.get(4));
            f.put("model", r.get(5));
            f.put("resourceUnit", r.get(6));
            f.put("resourceCount", r.get(7));
            f.put("resourceFree", r.get(8));
            f.put("latencyMs", r.get(9));
            f.put("status", r.get(10));
            f.put("statusReason", r.get(11));
            f.put("updatedAt", iso(r.get(12)));
            f.put("agentAddress", r.get(13));
            f.put("functions", functions.getOrDefault(r.get(0), List.of()));
            out.add(f);
        }
        return out;
    }

    /** The latency matrix: node names (every measuring or measured node) and one cell per measured pair. */
    Map<String, Object> latency() {
        TreeSet<String> nodes = new TreeSet<>();
        List<Map<String, Object>> cells = new ArrayList<>();
        for (List<?> r : query("SELECT FROM_NAME, TO_NAME, RTT_MICROS, JITTER_MICROS, SAMPLES, LOST, UPDATED_AT "
            + "FROM FABRIC_LATENCY ORDER BY FROM_NAME, TO_NAME")) {
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("from", r.get(0));
            c.put("to", r.get(1));
            c.put("rttMs", millis(r.get(2)));
            c.put("jitterMs", millis(r.get(3)));
            c.put("samples", r.get(4));
            c.put("lost", r.get(5));
            c.put("updatedAt", iso(r.get(6)));
            nodes.add(String.valueOf(r.get(0)));
            nodes.add(String.valueOf(r.get(1)));
            cells.add(c);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", new ArrayList<>(nodes));
        out.put("cells", cells);
        return out;
    }

    /** The {@code limit} most recent task assignments, newest first, with both cost terms and the data path. */
    List<Map<String, Object>> assignments(int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<?> r : query("SELECT a.TASK_ID, a.ATTEMPT, a.FUNCTION_NAME, a.FABRIC_TYPE, a.NODE_NAME, a.PRIORITY, "
            + "a.AMOUNT, a.RESOURCE_UNIT, a.COST, a.LATENCY_TERM, a.RESOURCE_TERM, a.LATENCY_MS, a.UTILIZATION, "
            + "a.PATH, a.PATH_REASON, a.STATE, a.DETAIL, a.STARTED_AT, a.ENDED_AT, a.FABRIC_ID, e.MODEL "
            + "FROM TASK_ASSIGNMENT a LEFT JOIN FABRIC_ENTRY e ON e.FABRIC_ID = a.FABRIC_ID ORDER BY a.STARTED_AT DESC, a.ATTEMPT DESC "
            + "LIMIT ?", limit)) {
            Map<String, Object> a = new LinkedHashMap<>();
            a.put("taskId", String.valueOf(r.get(0)));
            a.put("attempt", r.get(1));
            a.put("function", r.get(2));
            a.put("fabricType", r.get(3));
            a.put("nodeName", r.get(4));
            a.put("priority", r.get(5));
            a.put("amount", r.get(6));
            a.put("resourceUnit", r.get(7));
            a.put("cost", r.get(8));
            a.put("latencyTerm", r.get(9));
            a.put("resourceTerm", r.get(10));
            a.put("latencyMs", r.get(11));
            a.put("utilization", r.get(12));
            a.put("path", r.get(13));
            a.put("pathReason", r.get(14));
            a.put("state", r.get(15));
            a.put("detail", r.get(16));
            a.put("startedAt", iso(r.get(17)));
            a.put("endedAt", iso(r.get(18)));
            a.put("fabricId", String.valueOf(r.get(19)));
            a.put("model", r.get(20));
            out.add(a);
        }
        return out;
    }

    /**
     * The {@code limit} most recent failovers, newest first: attempts that were LOST (their node or fabric went away,
     * or their data path failed) and where the next attempt of the same task went.
     */
    List<Map<String, Object>> failovers(int limit) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<?> r : query("SELECT l.TASK_ID, l.ATTEMPT, l.FUNCTION_NAME, l.NODE_NAME, l.FABRIC_TYPE, l.DETAIL, "
            + "l.ENDED_AT, n.NODE_NAME, n.FABRIC_TYPE, n.STATE, le.MODEL, ne.MODEL FROM TASK_ASSIGNMENT l "
            + "LEFT JOIN TASK_ASSIGNMENT n ON n.TASK_ID = l.TASK_ID AND n.ATTEMPT = l.ATTEMPT + 1 "
            + "LEFT JOIN FABRIC_ENTRY le ON le.FABRIC_ID = l.FABRIC_ID LEFT JOIN FABRIC_ENTRY ne ON ne.FABRIC_ID = "
            + "n.FABRIC_ID WHERE l.STATE = 'LOST' ORDER BY l.ENDED_AT DESC LIMIT ?", limit)) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("taskId", String.valueOf(r.get(0)));
            f.put("attempt", r.get(1));
            f.put("function", r.get(2));
            f.put("fromNode", r.get(3));
            f.put("fromFabricType", r.get(4));
            f.put("reason", r.get(5));
            f.put("at", iso(r.get(6)));
            f.put("toNode", r.get(7));
            f.put("toFabricType", r.get(8));
            f.put("nextState", r.get(9));
            f.put("fromModel", r.get(10));
            f.put("toModel", r.get(11));
            out.add(f);
        }
        return out;
    }

    /** Microseconds as milliseconds; null stays null. */
    private static Double millis(Object micros) {
        return micros instanceof Number ? ((Number)micros).longValue() / 1000.0 : null;
    }

    private static String iso(Object ts) {
        return ts instanceof Timestamp ? ((Timestamp)ts).toInstant().toString() : null;
    }
}
