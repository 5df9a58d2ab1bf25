package io.fabricstitch.ignite.compute;

import java.io.Serializable;
import java.util.Objects;
import java.util.UUID;

/**
 * An attempt as its caller holds it: the placement it was given, for which function, when, and, once the attempt has
 * ended, how ({@link #outcome()} is null while it runs). The caller keeps one per attempt until an orchestrator has
 * taken its release; an orchestrator that moved asks every node for them ({@link FabricCompute#heldPlacements()}),
 * so that the ledger says what callers saw even when the orchestrator's node died before writing it. Immutable.
 */
public final class HeldPlacement implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Placement placement;
    private final String function;
    private final boolean closure;
    private final UUID callerNodeId;
    private final long placedAtMillis;
    private final long timeoutMillis;
    private final TaskOutcome outcome;
    private final String detail;
    private final boolean nodeUnreachable;

    private HeldPlacement(Placement placement, String function, boolean closure, UUID callerNodeId,
        long placedAtMillis, long timeoutMillis, TaskOutcome outcome, String detail, boolean nodeUnreachable) {
        this.placement = Objects.requireNonNull(placement, "placement");
        this.function = function;
        this.closure = closure;
        this.callerNodeId = Objects.requireNonNull(callerNodeId, "callerNodeId");
        this.placedAtMillis = placedAtMillis;
        this.timeoutMillis = timeoutMillis;
        this.outcome = outcome;
        this.detail = detail;
        this.nodeUnreachable = nodeUnreachable;
    }

    /**
     * A running attempt of {@code request}, placed at {@code placedAtMillis} (epoch ms) for a caller on node
     * {@code callerNodeId}.
     */
    public static HeldPlacement running(Placement placement, TaskRequest request, UUID callerNodeId,
        long placedAtMillis) {
        return new HeldPlacement(placement, request.function(), request.closure(), callerNodeId, placedAtMillis,
            request.timeout().toMillis(), null, null, false);
    }

    /** This attempt, ended with {@code outcome}. */
    public HeldPlacement ended(TaskOutcome outcome, String detail) {
        return new HeldPlacement(placement, function, closure, callerNodeId, placedAtMillis, timeoutMillis,
            Objects.requireNonNull(outcome, "outcome"), detail, false);
    }

    /**
     * This attempt, LOST because its caller could not reach the fabric's node: Ignite reported the node gone, or
     * failed to send the job to it or to hear back. The orchestrator takes it as evidence against the node.
     */
    public HeldPlacement nodeUnreachable(String detail) {
        return new HeldPlacement(placement, function, closure, callerNodeId, placedAtMillis, timeoutMillis,
            TaskOutcome.LOST, detail, true);
    }

    public Placement placement() {
        return placement;
    }

    public UUID taskId() {
        return placement.taskId();
    }

    public int attempt() {
        return placement.attempt();
    }

    /** The function the task was placed for (for a closure, the function its fabric had to offer). */
    public String function() {
        return function;
    }

    /** Whether the attempt runs an application's closure rather than the function itself. */
    public boolean closure() {
        return closure;
    }

    public UUID callerNodeId() {
        return callerNodeId;
    }

    public long placedAtMillis() {
        return placedAtMillis;
    }

    public long timeoutMillis() {
        return timeoutMillis;
    }

    /** How the attempt ended, or null while it runs. */
    public TaskOutcome outcome() {
        return outcome;
    }

    /** Why it ended so (null for a success). */
    public String detail() {
        return detail;
    }

    /** Whether the attempt was LOST because its caller could not reach the fabric's node. */
    public boolean isNodeUnreachable() {
        return nodeUnreachable;
    }

    public boolean hasEnded() {
        return outcome != null;
    }

    @Override
    public String toString() {
        return "attempt " + placement.attempt() + " of task " + placement.taskId() + " on " + placement.nodeName()
            + (outcome == null ? " (running)" : " (" + outcome + ')');
    }
}
