package io.fabricstitch.affinity;

import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricEntry;
import java.io.Serializable;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Where a job over one partition's data goes and why: the chosen fabric with its terms, next to the best fabric on the
 * data's primary node and the best elsewhere (one of them is the chosen one), so the choice can be checked.
 * {@link #toString()} says it in one line. {@link #taskRequest()} is the job's request pinned to the chosen fabric,
 * ready for {@code FabricCompute.call}. Immutable.
 */
public final class LocalityDecision implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String cacheName;
    private final int partition;
    private final UUID primaryNodeId;
    private final LocalityCandidate chosen;
    private final LocalityCandidate bestOnPrimary;
    private final LocalityCandidate bestElsewhere;
    private final CostWeights weights;
    private final boolean busy;
    private final TaskRequest taskRequest;

    LocalityDecision(PartitionOwners owners, LocalityCandidate bestOnPrimary, LocalityCandidate bestElsewhere,
        CostWeights weights, boolean busy, TaskRequest task) {
        this.cacheName = owners.cacheName();
        this.partition = owners.partition();
        this.primaryNodeId = owners.primary();
        this.bestOnPrimary = bestOnPrimary;
        this.bestElsewhere = bestElsewhere;
        this.chosen = LocalityScan.better(bestOnPrimary, bestElsewhere);
        this.weights = weights;
        this.busy = busy;
        this.taskRequest = task.withFabric(chosen.fabric().getFabricId());
    }

    /** The cache the data is in. */
    public String cacheName() {
        return cacheName;
    }

    /** The data's partition. */
    public int partition() {
        return partition;
    }

    /** The data's primary node. */
    public UUID primaryNodeId() {
        return primaryNodeId;
    }

    /** The chosen fabric with its terms. */
    public LocalityCandidate chosen() {
        return chosen;
    }

    /** The chosen fabric, as the Fabric Map showed it. */
    public FabricEntry fabric() {
        return chosen.fabric();
    }

    /** The chosen fabric's node. */
    public UUID nodeId() {
        return chosen.nodeId();
    }

    /** True when the job stays on the data's primary node. */
    public boolean isPrimary() {
        return chosen.isOnPrimary();
    }

    /** The chosen fabric's round trip from the origin plus its own {@code LATENCY_MS}, ms. */
    public double networkMs() {
        return chosen.networkMs();
    }

    /** The chosen fabric's data transfer time, ms (0 on a node that holds the data). */
    public double transferMs() {
        return chosen.transferMs();
    }

    /** The chosen fabric's compute time, ms. */
    public double computeMs() {
        return chosen.computeMs();
    }

    /** The chosen fabric's {@code resourceWeight x utilizationAfter x price}. */
    public double resourceTerm() {
        return chosen.resourceTerm();
    }

    /** The chosen fabric's cost. */
    public double cost() {
        return chosen.cost();
    }

    /** The cheapest fitting fabric on the primary node; empty when none there fits. */
    public Optional<LocalityCandidate> bestOnPrimary() {
        return Optional.ofNullable(bestOnPrimary);
    }

    /** The cheapest fitting fabric on any other node; empty when none there fits. */
    public Optional<LocalityCandidate> bestElsewhere() {
        return Optional.ofNullable(bestElsewhere);
    }

    /** The weights the candidates were weighed with. */
    public CostWeights weights() {
        return weights;
    }

    /**
     * True when no fitting fabric had the amount free: the choice is the cheapest by capacity (utilization counted as
     * full), and a job pinned to it waits in the orchestrator's queue until it frees.
     */
    public boolean isBusy() {
        return busy;
    }

    /** The job's request pinned to the chosen fabric, for {@code FabricCompute.call}. */
    public TaskRequest taskRequest() {
        return taskRequest;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof LocalityDecision))
            return false;
        LocalityDecision d = (LocalityDecision)o;
        return partition == d.partition && busy == d.busy && cacheName.equals(d.cacheName)
            && primaryNodeId.equals(d.primaryNodeId) && Objects.equals(bestOnPrimary, d.bestOnPrimary)
            && Objects.equals(bestElsewhere, d.bestElsewhere) && weights.equals(d.weights);
    }

    @Override
    public int hashCode() {
        return Objects.hash(cacheName, partition, chosen);
    }

    @Override
    public String toString() {
        boolean stays = chosen == bestOnPrimary;
        LocalityCandidate other = stays ? bestElsewhere : bestOnPrimary;
        String where = stays ? "elsewhere" : "on the primary";
        String otherText = other == null ? "no fabric " + where + " fits" : "best " + where + ": " + other.describe();
        return "LocalityDecision [partition " + partition + " of cache '" + cacheName + "' (primary node "
            + primaryNodeId + ") goes to " + chosen.describe() + (busy ? " (busy: it waits for free units)" : "")
            + "; " + otherText + "; weights: " + weights + ']';
    }
}
