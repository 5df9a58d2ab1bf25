package io.fabricstitch.ignite.internal.console;

import io.fabricstitch.ignite.FabricMapSchema;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.query.FieldsQueryCursor;
import org.apache.ignite.cache.query.SqlFieldsQuery;

/**
 * What the console shows, read with SQL from the node's Fabric Map tables (the same queries a user can run through
 * JDBC): fabrics, the latency matrix, recent task assignments and failovers. Each query names its columns as the JSON
 * fields they become; rows come back as maps ready for JSON (ids as text, times as ISO-8601). Not API.
 */
final class ConsoleQueries {
    /** Longest one query may run, so that a stuck one frees its console worker. */
    static final int QUERY_TIMEOUT_MS = 10_000;

    private final Ignite ignite;

    ConsoleQueries(Ignite ignite) {
        this.ignite = ignite;
    }

    /** One map per row, keyed by the query's column labels, in column order. */
    private List<Map<String, Object>> rows(String sql, Object... args) {
        IgniteCache<?, ?> cache = ignite.cache(FabricMapSchema.FABRIC_MAP_CACHE);
        try (FieldsQueryCursor<List<?>> cur = cache.query(new SqlFieldsQuery(sql).setSchema(FabricMapSchema.SCHEMA)
            .setArgs(args).setTimeout(QUERY_TIMEOUT_MS, TimeUnit.MILLISECONDS))) {
            List<Map<String, Object>> out = new ArrayList<>();
            for (List<?> r : cur) {
                Map<String, Object> row = new LinkedHashMap<>();
                for (int i = 0; i < r.size(); i++)
                    row.put(cur.getFieldName(i), json(r.get(i)));
                out.add(row);
            }
            return out;
        }
    }

    private static Object json(Object v) {
        if (v instanceof UUID)
            return v.toString();
        if (v instanceof Timestamp)
            return ((Timestamp)v).toInstant().toString();
        return v;
    }

    /**
     * Every fabric with its functions, by node name, type and model: {@code functions} lists their names,
     * {@code implementations} how each runs (runtime, implementation, speed and its source).
     */
    List<Map<String, Object>> fabrics() {
        Map<Object, List<String>> functions = new HashMap<>();
        Map<Object, List<Map<String, Object>>> implementations = new HashMap<>();
        for (Map<String, Object> f : rows("SELECT FABRIC_ID AS \"fabricId\", FUNCTION_NAME AS \"name\", "
            + "RUNTIME AS \"runtime\", IMPLEMENTATION AS \"implementation\", SPEED_FACTOR AS \"speedFactor\", "
            + "SPEED_SOURCE AS \"speedSource\" FROM FABRIC_FUNCTION ORDER BY FUNCTION_NAME")) {
            Object fabricId = f.remove("fabricId");
            functions.computeIfAbsent(fabricId, k -> new ArrayList<>()).add(String.valueOf(f.get("name")));
            implementations.computeIfAbsent(fabricId, k -> new ArrayList<>()).add(f);
        }
        List<Map<String, Object>> out = rows("SELECT FABRIC_ID AS \"fabricId\", NODE_ID AS \"nodeId\", "
            + "NODE_NAME AS \"nodeName\", SITE AS \"site\", FABRIC_TYPE AS \"type\", MODEL AS \"model\", "
            + "RESOURCE_UNIT AS \"resourceUnit\", RESOURCE_COUNT AS \"resourceCount\", "
            + "RESOURCE_FREE AS \"resourceFree\", LATENCY_MS AS \"latencyMs\", SPEED_FACTOR AS \"speedFactor\", "
            + "STATUS AS \"status\", STATUS_REASON AS \"statusReason\", UPDATED_AT AS \"updatedAt\", "
            + "AGENT_ADDRESS AS \"agentAddress\", RUNTIME AS \"runtime\", DEVICE_KEY AS \"deviceKey\", "
            + "PCI_ADDRESS AS \"pciAddress\", DRIVER AS \"driver\" "
            + "FROM FABRIC_ENTRY ORDER BY NODE_NAME, FABRIC_TYPE, MODEL");
        for (Map<String, Object> f : out) {
            f.put("functions", functions.getOrDefault(f.get("fabricId"), List.of()));
            f.put("implementations", implementations.getOrDefault(f.get("fabricId"), List.of()));
        }
        return out;
    }

    /** The latency matrix: node names (every measuring or measured node) and one cell per measured pair. */
    Map<String, Object> latency() {
        List<Map<String, Object>> cells = rows("SELECT FROM_NAME AS \"from\", TO_NAME AS \"to\", "
            + "CAST(RTT_MICROS AS DOUBLE) / 1000 AS \"rttMs\", CAST(JITTER_MICROS AS DOUBLE) / 1000 AS \"jitterMs\", "
            + "SAMPLES AS \"samples\", LOST AS \"lost\", UPDATED_AT AS \"updatedAt\" "
            + "FROM FABRIC_LATENCY ORDER BY FROM_NAME, TO_NAME");
        TreeSet<String> nodes = new TreeSet<>();
        for (Map<String, Object> c : cells) {
            nodes.add(String.valueOf(c.get("from")));
            nodes.add(String.valueOf(c.get("to")));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("nodes", new ArrayList<>(nodes));
        out.put("cells", cells);
        return out;
    }

    /**
     * The {@code limit} most recent task assignments, newest first, with the runtime that ran each, both cost terms
     * and the data path.
     */
    List<Map<String, Object>> assignments(int limit) {
        return rows("SELECT a.TASK_ID AS \"taskId\", a.ATTEMPT AS \"attempt\", a.FUNCTION_NAME AS \"function\", "
            + "a.FABRIC_TYPE AS \"fabricType\", a.RUNTIME AS \"runtime\", a.NODE_NAME AS \"nodeName\", "
            + "a.PRIORITY AS \"priority\", "
            + "a.AMOUNT AS \"amount\", a.RESOURCE_UNIT AS \"resourceUnit\", a.COST AS \"cost\", "
            + "a.LATENCY_TERM AS \"latencyTerm\", a.RESOURCE_TERM AS \"resourceTerm\", a.LATENCY_MS AS \"latencyMs\", "
            + "a.UTILIZATION AS \"utilization\", a.PATH AS \"path\", a.PATH_REASON AS \"pathReason\", "
            + "a.STATE AS \"state\", a.DETAIL AS \"detail\", a.STARTED_AT AS \"startedAt\", a.ENDED_AT AS \"endedAt\", "
            + "a.FABRIC_ID AS \"fabricId\", e.MODEL AS \"model\" "
            + "FROM TASK_ASSIGNMENT a LEFT JOIN FABRIC_ENTRY e ON e.FABRIC_ID = a.FABRIC_ID "
            + "ORDER BY a.STARTED_AT DESC, a.ATTEMPT DESC LIMIT ?", limit);
    }

    /**
     * The {@code limit} most recent failovers, newest first: attempts that were LOST (their node or fabric went away,
     * or their data path failed) and where the next attempt of the same task went.
     */
    List<Map<String, Object>> failovers(int limit) {
        return rows("SELECT l.TASK_ID AS \"taskId\", l.ATTEMPT AS \"attempt\", l.FUNCTION_NAME AS \"function\", "
            + "l.NODE_NAME AS \"fromNode\", l.FABRIC_TYPE AS \"fromFabricType\", l.DETAIL AS \"reason\", "
            + "l.ENDED_AT AS \"at\", n.NODE_NAME AS \"toNode\", n.FABRIC_TYPE AS \"toFabricType\", "
            + "n.STATE AS \"nextState\", le.MODEL AS \"fromModel\", ne.MODEL AS \"toModel\" "
            + "FROM TASK_ASSIGNMENT l "
            + "LEFT JOIN TASK_ASSIGNMENT n ON n.TASK_ID = l.TASK_ID AND n.ATTEMPT = l.ATTEMPT + 1 "
            + "LEFT JOIN FABRIC_ENTRY le ON le.FABRIC_ID = l.FABRIC_ID "
            + "LEFT JOIN FABRIC_ENTRY ne ON ne.FABRIC_ID = n.FABRIC_ID "
            + "WHERE l.STATE = 'LOST' ORDER BY l.ENDED_AT DESC LIMIT ?", limit);
    }
}
