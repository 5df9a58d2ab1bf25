package io.fabricstitch.ignite.compute;

import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The cluster-singleton Ignite service that owns fabric selection and the reservation ledger. Every Fabric Stitch
 * server deploys it under {@code fabric-orchestrator}; Ignite runs one instance and moves it when its node leaves.
 * The ledger lives in the REPLICATED cache behind {@code FABRIC.RESERVATION}, so a moved orchestrator starts from
 * it: nothing is lost or counted twice. Every call is idempotent per (task id, attempt), so callers simply repeat a
 * call that failed while the service was moving.
 * <p>
 * Applications use {@link FabricCompute}; this interface is what it calls, and what tests and tools inspect.
 */
public interface FabricOrchestrator {
    /**
     * Places attempt {@code attempt} of task {@code taskId}: reserves the cheapest fitting fabric, or queues the task
     * until {@code deadlineMillis} (epoch ms) when every capable fabric is busy, or refuses it. Asking again for a task
     * already placed returns the same placement; a higher attempt releases the previous one first.
     *
     * @param request the request without its input
     * @param weights the weights resolved from the request's priority class or explicit weights
     * @param priorityLabel the class name, or {@code explicit}, recorded with the placement
     * @param callerNodeId node that will run and release the task
     * @param excluded fabrics this task already failed on
     */
    PlacementReply place(UUID taskId, int attempt, TaskRequest request, CostWeights weights, String priorityLabel,
        UUID callerNodeId, Set<UUID> excluded, long deadlineMillis);

    /**
     * Releases the reservation of the attempt {@code held} and records how it ended ({@code held.outcome()}), as its
     * caller saw it. When this orchestrator holds no reservation for the attempt (an earlier orchestrator released
     * it, or died before writing it), it still records the attempt's final row, unless one says so already: the
     * caller's word is the record.
     *
     * @param held an ended attempt ({@link HeldPlacement#hasEnded()})
     * @return true if a reservation was released; false if none was held (already released, or never placed)
     */
    boolean release(HeldPlacement held);

    /**
     * {@link #place} for several tasks in one call, under one hold of the orchestrator's lock: what a caller node
     * sends for all its threads at once. The replies come in the order of the requests.
     */
    java.util.List<PlacementReply> placeAll(java.util.List<PlaceRequest> requests);

    /**
     * {@link #releaseAll} then {@link #placeAll}, in one call and under one hold of the lock: a caller sends the
     * releases it has waiting with its next placements, so that a task never sees the units of one its caller has
     * already finished.
     */
    java.util.List<PlacementReply> releaseAndPlace(java.util.List<HeldPlacement> ended,
        java.util.List<PlaceRequest> requests);

    /**
     * {@link #release(HeldPlacement)} for several ended attempts in one call; the final rows are written, in one
     * batch, before it returns.
     */
    void releaseAll(java.util.List<HeldPlacement> ended);

    /** Drops a queued task, and releases its reservation if it was placed meanwhile. */
    boolean cancel(UUID taskId, TaskOutcome outcome, String detail);

    /** Units reserved now per fabric id, from the ledger. */
    Map<UUID, Long> reservedUnits();

    /** Number of tasks waiting in the queue now. */
    int queuedTasks();
}
