package io.fabricstitch.ignite.internal.console;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabricstitch.ignite.internal.FabricMetrics;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.ignite.Ignite;

/**
 * The REST API behind the console: JSON answers to {@code GET /api/...} and the fault operations. Each method gets
 * the request's path below {@code /api}, its query parameters and its grant, and returns what to serialize or throws
 * a {@link ConsoleException}. Not API.
 */
final class ConsoleApi {
    /** The endpoints, for the message of an unknown one. */
    static final String ENDPOINTS = "GET /api/overview, /api/fabrics, /api/latency, /api/assignments?limit=N, "
        + "/api/failovers?limit=N, /api/metrics; POST /api/fabrics/<fabricId>/fail|degrade|restore";

    static final int MAX_LIMIT = 500;
    static final int DFLT_LIMIT = 50;
    static final int MAX_REASON = 200;
    static final long FAULT_TIMEOUT_MS = 10_000;

    private final Ignite ignite;
    private final ConsoleQueries queries;
    private final ConsoleFaults faults;
    private final FabricMetrics metrics;
    private final String nodeName;
    private final ConsoleAccess access;
    private final Clock clock;
    private final ObjectMapper json;

    ConsoleApi(Ignite ignite, FabricMetrics metrics, String nodeName, ConsoleAccess access, ObjectMapper json,
        Clock clock) {
        this.ignite = ignite;
        this.queries = new ConsoleQueries(ignite);
        this.faults = new ConsoleFaults(ignite);
        this.metrics = metrics;
        this.nodeName = nodeName;
        this.access = access;
        this.json = json;
        this.clock = clock;
    }

    /** The answer to {@code GET /api/<path>}. */
    Object get(String path, Map<String, String> params, ConsoleAccess.Grant grant) {
        switch (path) {
            case "overview":
                allowOnly(params, Set.of("limit"));
                return overview(limit(params), grant);
            case "fabrics":
                allowOnly(params, Set.of());
                return queries.fabrics();
            case "latency":
                allowOnly(params, Set.of());
                return queries.latency();
            case "assignments":
                allowOnly(params, Set.of("limit"));
                return queries.assignments(limit(params));
            case "failovers":
                allowOnly(params, Set.of("limit"));
                return queries.failovers(limit(params));
            case "metrics":
                allowOnly(params, Set.of());
                return metrics.snapshot();
            default:
                throw new ConsoleException(404, "no endpoint GET /api/" + path + " (expected one of: " + ENDPOINTS
                    + ')');
        }
    }

    private Map<String, Object> overview(int limit, ConsoleAccess.Grant grant) {
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, Object> cluster = new LinkedHashMap<>();
        cluster.put("node", nodeName);
        cluster.put("servers", ignite.cluster().forServers().nodes().size());
        cluster.put("clients", ignite.cluster().forClients().nodes().size());
        cluster.put("generatedAt", clock.instant().toString());
        cluster.put("faultInjection", grant == ConsoleAccess.Grant.FAULTS);
        out.put("cluster", cluster);
        out.put("fabrics", queries.fabrics());
        out.put("latency", queries.latency());
        out.put("assignments", queries.assignments(limit));
        out.put("failovers", queries.failovers(Math.min(limit, 20)));
        out.put("metrics", metrics.snapshot());
        return out;
    }

    /** The answer to {@code POST /api/<path>} with {@code body}, for a caller with {@code grant}. */
    Object post(String path, Map<String, String> params, byte[] body, ConsoleAccess.Grant grant) {
        String[] parts = path.split("/", -1);
        if (parts.length != 3 || !parts[0].equals("fabrics"))
            throw new ConsoleException(404, "no endpoint POST /api/" + path + " (expected one of: " + ENDPOINTS + ')');
        allowOnly(params, Set.of());
        ConsoleFaults.Operation op = ConsoleFaults.Operation.parse(parts[2]);
        if (grant != ConsoleAccess.Grant.FAULTS)
            throw new ConsoleException(403, access.faultInjection() ? "fault injection needs the console token "
                + "(expected: header Authorization: Bearer <console.token>)" : "fault injection is off on this node "
                + "(expected: console.faultInjection=true and a console token in the plugin configuration)");
        UUID fabricId;
        try {
            fabricId = UUID.fromString(parts[1]);
        }
        catch (IllegalArgumentException e) {
            throw new ConsoleException(400, "fabric id '" + parts[1] + "' (expected: a UUID, a FABRIC_ID of "
                + "FABRIC.FABRIC_ENTRY)");
        }
        String reason = reason(body, op);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("fabricId", fabricId.toString());
        out.put("operation", op.name().toLowerCase(java.util.Locale.ROOT));
        out.put("result", faults.apply(fabricId, op, reason, FAULT_TIMEOUT_MS));
        return out;
    }

    private String reason(byte[] body, ConsoleFaults.Operation op) {
        String dflt = "injected from the web console";
        if (body.length == 0)
            return dflt;
        JsonNode node;
        try {
            node = json.readTree(body);
        }
        catch (JsonProcessingException e) {
            throw new ConsoleException(400, "request body is not JSON: " + e.getOriginalMessage()
                + " (expected: {\"reason\": \"...\"} or no body)");
        }
        catch (java.io.IOException e) {
            throw new ConsoleException(400, "request body cannot be read: " + e.getMessage());
        }
        if (node == null || node.isNull() || node.isMissingNode())
            return dflt;
        if (!node.isObject())
            throw new ConsoleException(400, "request body is " + node.getNodeType() + " (expected: {\"reason\": "
                + "\"...\"} or no body)");
        for (java.util.Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!f.equals("reason"))
                throw new ConsoleException(400, "unknown field '" + f + "' (expected: reason)");
        }
        JsonNode r = node.get("reason");
        if (r == null || r.isNull())
            return dflt;
        if (!r.isTextual() || r.asText().isBlank() || r.asText().length() > MAX_REASON)
            throw new ConsoleException(400, "reason: " + r + " (expected: text of 1.." + MAX_REASON + " characters)");
        return r.asText().strip();
    }

    private static void allowOnly(Map<String, String> params, Set<String> accepted) {
        for (String p : params.keySet()) {
            if (!accepted.contains(p))
                throw new ConsoleException(400, "unknown parameter '" + p + "' (expected: "
                    + (accepted.isEmpty() ? "none" : String.join(", ", accepted)) + ')');
        }
    }

    private static int limit(Map<String, String> params) {
        String v = params.get("limit");
        if (v == null)
            return DFLT_LIMIT;
        try {
            int n = Integer.parseInt(v);
            if (n >= 1 && n <= MAX_LIMIT)
                return n;
        }
        catch (NumberFormatException e) {
            // reported below
        }
        throw new ConsoleException(400, "limit: '" + v + "' (expected: an integer 1.." + MAX_LIMIT + ')');
    }
}
