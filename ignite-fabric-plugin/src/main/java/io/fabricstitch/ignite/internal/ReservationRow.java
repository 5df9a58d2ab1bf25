package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.CostTerms;
import io.fabricstitch.ignite.compute.DataPath;
import io.fabricstitch.ignite.compute.DataPathChoice;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.model.FabricType;
import java.sql.Timestamp;
import java.util.UUID;
import org.apache.ignite.cache.query.annotations.QuerySqlField;

/**
 * A row of {@code FABRIC.RESERVATION}: resources of one fabric held by one task attempt, the orchestrator's ledger.
 * Holds everything needed to answer the task again after the orchestrator moved. Not API.
 */
public final class ReservationRow {
    @QuerySqlField(name = "TASK_ID", notNull = true)
    private UUID taskId;

    @QuerySqlField(name = "ATTEMPT")
    private int attempt;

    @QuerySqlField(name = "FABRIC_ID", index = true, notNull = true)
    private UUID fabricId;

    @QuerySqlField(name = "NODE_ID", index = true)
    private UUID nodeId;

    @QuerySqlField(name = "NODE_NAME")
    private String nodeName;

    @QuerySqlField(name = "CALLER_NODE_ID", index = true)
    private UUID callerNodeId;

    @QuerySqlField(name = "FUNCTION_NAME")
    private String function;

    /** What runs the function on the fabric (JAVA, OPENCL, PROCESS); null for an application's closure. */
    @QuerySqlField(name = "RUNTIME")
    private String runtime;

    @QuerySqlField(name = "FABRIC_TYPE")
    private String fabricType;

    @QuerySqlField(name = "MODEL")
    private String model;

    @QuerySqlField(name = "RESOURCE_UNIT")
    private String resourceUnit;

    @QuerySqlField(name = "AMOUNT")
    private long amount;

    @QuerySqlField(name = "PRIORITY")
    private String priority;

    @QuerySqlField(name = "LATENCY_MS")
    private double latencyMs;

    @QuerySqlField(name = "UTILIZATION")
    private double utilization;

    @QuerySqlField(name = "PRICE")
    private double price;

    @QuerySqlField(name = "LATENCY_TERM")
    private double latencyTerm;

    @QuerySqlField(name = "RESOURCE_TERM")
    private double resourceTerm;

    /** How the input travels: JOB, DIRECT, TLS or RDMA. */
    @QuerySqlField(name = "PATH")
    private String path;

    @QuerySqlField(name = "PATH_REASON")
    private String pathReason;

    /** The fabric agent's data-path endpoint ({@code host:port}); null for JOB. */
    @QuerySqlField(name = "DATA_ENDPOINT")
    private String dataEndpoint;

    @QuerySqlField(name = "CREATED_AT")
    private Timestamp createdAt;

    @QuerySqlField(name = "EXPIRES_AT")
    private Timestamp expiresAt;

    /** For the marshaller. */
    public ReservationRow() {
    }

    /**
     * The reservation of placement {@code p} for {@code function}, run there by {@code runtime} (null for a closure).
     */
    public static ReservationRow of(Placement p, String function, String runtime, UUID callerNodeId, long createdAt,
        long expiresAt) {
        ReservationRow r = new ReservationRow();
        r.runtime = runtime;
        r.taskId = p.taskId();
        r.attempt = p.attempt();
        r.fabricId = p.fabricId();
        r.nodeId = p.nodeId();
        r.nodeName = p.nodeName();
        r.callerNodeId = callerNodeId;
        r.function = function;
        r.fabricType = p.fabricType().name();
        r.model = p.model();
        r.resourceUnit = p.resourceUnit();
        r.amount = p.amount();
        r.priority = p.priority();
        CostTerms t = p.terms();
        r.latencyMs = t.latencyMs();
        r.utilization = t.utilizationAfter();
        r.price = t.price();
        r.latencyTerm = t.latencyTerm();
        r.resourceTerm = t.resourceTerm();
        r.path = p.dataPath().path().name();
        r.pathReason = p.dataPath().reason();
        r.dataEndpoint = p.dataPath().endpoint();
        r.createdAt = new Timestamp(createdAt);
        r.expiresAt = new Timestamp(expiresAt);
        return r;
    }

    /** The placement this reservation records. */
    public Placement placement() {
        Placement p = new Placement(taskId, attempt, fabricId, nodeId, nodeName, FabricType.parse(fabricType), model,
            resourceUnit, amount, priority, CostTerms.restore(latencyMs, utilization, price, latencyTerm, resourceTerm));
        return path == null ? p : p.withDataPath(DataPathChoice.of(DataPath.valueOf(path), pathReason, dataEndpoint));
    }

    public UUID taskId() {
        return taskId;
    }

    /** What runs the function on the fabric, as recorded when the task was placed; null for a closure. */
    public String runtime() {
        return runtime;
    }

    public int attempt() {
        return attempt;
    }

    public UUID fabricId() {
        return fabricId;
    }

    public UUID nodeId() {
        return nodeId;
    }

    public UUID callerNodeId() {
        return callerNodeId;
    }

    public String function() {
        return function;
    }

    public long amount() {
        return amount;
    }

    public long createdAtMillis() {
        return createdAt.getTime();
    }

    /** Whether both its times are set (rows written through SQL may lack them). */
    public boolean hasTimes() {
        return createdAt != null && expiresAt != null;
    }

    /**
     * Whether {@code other} holds the same reservation: task, attempt, fabric, node, caller, amount and times (what the
     * ledger guard compares, without serializing either row).
     */
    public boolean sameReservation(ReservationRow other) {
        return other != null && java.util.Objects.equals(taskId, other.taskId) && attempt == other.attempt
            && java.util.Objects.equals(fabricId, other.fabricId) && java.util.Objects.equals(nodeId, other.nodeId)
            && java.util.Objects.equals(callerNodeId, other.callerNodeId) && amount == other.amount
            && java.util.Objects.equals(createdAt, other.createdAt) && java.util.Objects.equals(expiresAt, other.expiresAt)
            && java.util.Objects.equals(function, other.function);
    }

    public long expiresAtMillis() {
        return expiresAt.getTime();
    }

    @Override
    public String toString() {
        return "ReservationRow [task=" + taskId + '#' + attempt + ", fabric=" + fabricId + ", amount=" + amount
            + ' ' + resourceUnit + ", caller=" + callerNodeId + ", expiresAt=" + expiresAt + ']';
    }
}
