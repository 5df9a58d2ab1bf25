package io.fabricstitch.ignite.compute;

import java.util.List;

/**
 * The result of a partitioned task ({@link FabricCompute#map}), with how it was cut and where each part ran. Immutable.
 *
 * @param <R> the reduced result
 */
public final class PartitionedResult<R> {
    private final R value;
    private final List<PartPlan> plan;
    private final List<Placement> placements;

    /** The result of a partitioned task as {@link FabricCompute#map} builds it; copies both lists. */
    public PartitionedResult(R value, List<PartPlan> plan, List<Placement> placements) {
        this.value = value;
        this.plan = List.copyOf(plan);
        this.placements = List.copyOf(placements);
    }

    /** The reducer's result. */
    public R value() {
        return value;
    }

    /** How the work was shared out: one entry per part, in order. */
    public List<PartPlan> plan() {
        return plan;
    }

    /** Where each part finally ran, in order (a part that failed over shows its last attempt). */
    public List<Placement> placements() {
        return placements;
    }

    @Override
    public String toString() {
        return "PartitionedResult [parts=" + plan + ", placements=" + placements + ']';
    }
}
