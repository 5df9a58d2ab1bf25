package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FunctionImplementation;
import java.sql.Timestamp;
import java.util.UUID;
import org.apache.ignite.cache.query.annotations.QuerySqlField;

/**
 * A row of {@code FABRIC.TASK_ASSIGNMENT}: one placement of a task and how it ended, so an operator can ask why a
 * task went where it went. Not API.
 */
public final class AssignmentRow {
    /** Placed; the job is running or about to. */
    public static final String RUNNING = "RUNNING";

    @QuerySqlField(name = "TASK_ID", index = true, notNull = true)
    private UUID taskId;

    @QuerySqlField(name = "ATTEMPT")
    private int attempt;

    @QuerySqlField(name = "FUNCTION_NAME")
    private String function;

    @QuerySqlField(name = "FABRIC_ID")
    private UUID fabricId;

    @QuerySqlField(name = "FABRIC_TYPE")
    private String fabricType;

    /**
     * What ran the function on the fabric, as the fabric's map entry said when the task was placed: {@code JAVA},
     * {@code OPENCL} or {@code PROCESS}; null for a closure.
     */
    @QuerySqlField(name = "RUNTIME")
    private String runtime;

    @QuerySqlField(name = "NODE_ID")
    private UUID nodeId;

    @QuerySqlField(name = "NODE_NAME")
    private String nodeName;

    @QuerySqlField(name = "CALLER_NODE_ID")
    private UUID callerNodeId;

    @QuerySqlField(name = "PRIORITY")
    private String priority;

    @QuerySqlField(name = "AMOUNT")
    private long amount;

    @QuerySqlField(name = "RESOURCE_UNIT")
    private String resourceUnit;

    @QuerySqlField(name = "COST")
    private double cost;

    @QuerySqlField(name = "LATENCY_TERM")
    private double latencyTerm;

    @QuerySqlField(name = "RESOURCE_TERM")
    private double resourceTerm;

    @QuerySqlField(name = "LATENCY_MS")
    private double latencyMs;

    @QuerySqlField(name = "UTILIZATION")
    private double utilization;

    /** How the input travelled: JOB (inside the Ignite job), DIRECT, TLS or RDMA. */
    @QuerySqlField(name = "PATH")
    private String path;

    /** Why that path, and why not the better ones. */
    @QuerySqlField(name = "PATH_REASON")
    private String pathReason;

    @QuerySqlField(name = "STATE")
    private String state;

    @QuerySqlField(name = "DETAIL")
    private String detail;

    @QuerySqlField(name = "STARTED_AT", index = true)
    private Timestamp startedAt;

    @QuerySqlField(name = "ENDED_AT")
    private Timestamp endedAt;

    /** For the marshaller. */
    public AssignmentRow() {
    }

    /** Cache key of a task attempt's row. */
    public static String key(UUID taskId, int attempt) {
        return taskId + "#" + attempt;
    }

    /**
     * The runtime that serves {@code function} on {@code fabric} by its map entry: {@code JAVA}, {@code OPENCL} or
     * {@code PROCESS}; null for a closure (no function), an unknown fabric or a function it does not list.
     */
    public static String runtimeOf(FabricEntry fabric, String function) {
        FunctionImplementation f = fabric == null || function == null ? null : fabric.getFunctions().get(function);
        return f == null ? null : f.runtime().name();
    }

    /**
     * The row of a fresh placement: RUNNING since {@code at}, its function run by {@code runtime} ({@link #runtimeOf};
     * null for a closure).
     */
    public static AssignmentRow running(Placement p, String function, String runtime, UUID callerNodeId, long at) {
        AssignmentRow r = new AssignmentRow();
        r.taskId = p.taskId();
        r.attempt = p.attempt();
        r.function = function;
        r.fabricId = p.fabricId();
        r.fabricType = p.fabricType().name();
        r.runtime = runtime;
        r.nodeId = p.nodeId();
        r.nodeName = p.nodeName();
        r.callerNodeId = callerNodeId;
        r.priority = p.priority();
        r.amount = p.amount();
        r.resourceUnit = p.resourceUnit();
        r.cost = p.terms().cost();
        r.latencyTerm = p.terms().latencyTerm();
        r.resourceTerm = p.terms().resourceTerm();
        r.latencyMs = p.terms().latencyMs();
        r.utilization = p.terms().utilizationAfter();
        r.path = p.dataPath().path().name();
        r.pathReason = p.dataPath().reason();
        r.state = RUNNING;
        r.startedAt = new Timestamp(at);
        return r;
    }

    /** A copy ended in {@code finalState} at {@code at}, with a detail (an error message) or null. */
    public AssignmentRow ended(String finalState, String detail, long at) {
        AssignmentRow r = copy();
        r.state = finalState;
        r.detail = detail == null ? null : detail.length() > 1000 ? detail.substring(0, 1000) + "..." : detail;
        r.endedAt = new Timestamp(at);
        return r;
    }

    private AssignmentRow copy() {
        AssignmentRow r = new AssignmentRow();
        r.taskId = taskId;
        r.attempt = attempt;
        r.function = function;
        r.fabricId = fabricId;
        r.fabricType = fabricType;
        r.runtime = runtime;
        r.nodeId = nodeId;
        r.nodeName = nodeName;
        r.callerNodeId = callerNodeId;
        r.priority = priority;
        r.amount = amount;
        r.resourceUnit = resourceUnit;
        r.cost = cost;
        r.latencyTerm = latencyTerm;
        r.resourceTerm = resourceTerm;
        r.latencyMs = latencyMs;
        r.utilization = utilization;
        r.path = path;
        r.pathReason = pathReason;
        r.state = state;
        r.detail = detail;
        r.startedAt = startedAt;
        r.endedAt = endedAt;
        return r;
    }

    public String state() {
        return state;
    }

    /** {@code RUNTIME}, or null. */
    public String runtime() {
        return runtime;
    }

    public String detail() {
        return detail;
    }

    public long startedAtMillis() {
        return startedAt == null ? 0 : startedAt.getTime();
    }

    /** When the attempt ended (epoch ms), or 0 while it runs. */
    public long endedAtMillis() {
        return endedAt == null ? 0 : endedAt.getTime();
    }

    /** Whether the row is final (any state but RUNNING). */
    public boolean hasEnded() {
        return !RUNNING.equals(state);
    }

    /** This ended row with {@code more} put before its detail. */
    AssignmentRow withDetailBefore(String more) {
        AssignmentRow r = copy();
        r.detail = detail == null ? more : more + ": " + detail;
        return r;
    }

    @Override
    public String toString() {
        return "AssignmentRow [task=" + taskId + '#' + attempt + ", function=" + function
            + (runtime == null ? "" : " (" + runtime + ')') + ", fabric=" + fabricType + ' ' + fabricId + ", state="
            + state + ", cost=" + cost + ']';
    }
}
