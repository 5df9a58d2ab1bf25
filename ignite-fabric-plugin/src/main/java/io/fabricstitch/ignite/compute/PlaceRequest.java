package io.fabricstitch.ignite.compute;

import java.io.Serializable;
import java.util.Set;
import java.util.UUID;

/**
 * One placement asked of the orchestrator: attempt {@code attempt} of task {@code taskId}, the request without its
 * input, the weights it is placed with, and the fabrics it already failed on; queued until {@code deadlineMillis}
 * (epoch ms) when every capable fabric is busy. Callers send these in batches ({@link FabricOrchestrator#placeAll}).
 * Immutable.
 */
public final class PlaceRequest implements Serializable {
    private static final long serialVersionUID = 1L;

    private final UUID taskId;
    private final int attempt;
    private final TaskRequest request;
    private final CostWeights weights;
    private final String priorityLabel;
    private final UUID callerNodeId;
    private final Set<UUID> excluded;
    private final long deadlineMillis;

    public PlaceRequest(UUID taskId, int attempt, TaskRequest request, CostWeights weights, String priorityLabel,
        UUID callerNodeId, Set<UUID> excluded, long deadlineMillis) {
        this.taskId = taskId;
        this.attempt = attempt;
        this.request = request;
        this.weights = weights;
        this.priorityLabel = priorityLabel;
        this.callerNodeId = callerNodeId;
        this.excluded = excluded == null ? Set.of() : Set.copyOf(excluded);
        this.deadlineMillis = deadlineMillis;
    }

    public UUID taskId() {
        return taskId;
    }

    public int attempt() {
        return attempt;
    }

    /** The request, without its input. */
    public TaskRequest request() {
        return request;
    }

    public CostWeights weights() {
        return weights;
    }

    /** The priority class's name, or {@code explicit}, recorded with the placement. */
    public String priorityLabel() {
        return priorityLabel;
    }

    /** The node that will run and release the task. */
    public UUID callerNodeId() {
        return callerNodeId;
    }

    /** Fabrics this task already failed on. */
    public Set<UUID> excluded() {
        return excluded;
    }

    public long deadlineMillis() {
        return deadlineMillis;
    }
}
