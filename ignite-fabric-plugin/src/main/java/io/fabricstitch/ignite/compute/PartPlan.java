package io.fabricstitch.ignite.compute;

import io.fabricstitch.model.FabricEntry;
import java.util.Locale;

/**
 * One part of a partitioned task as planned: the fabric it is aimed at, its share of the work and why. Immutable.
 */
public final class PartPlan {
    private final FabricEntry fabric;
    private final double speed;
    private final double share;
    private final double cost;
    private final double weight;

    private PartPlan(FabricEntry fabric, double speed, double share, double cost, double weight) {
        this.fabric = fabric;
        this.speed = speed;
        this.share = share;
        this.cost = cost;
        this.weight = weight;
    }

    /** A part aimed at {@code fabric}: its speed for the task's function, share of the work, cost and weight. */
    public static PartPlan of(FabricEntry fabric, double speed, double share, double cost, double weight) {
        return new PartPlan(fabric, speed, share, cost, weight);
    }

    /** The fabric the part is pinned to (it may fail over elsewhere). */
    public FabricEntry fabric() {
        return fabric;
    }

    /** The fabric's speed for the task's function ({@link FabricEntry#speedFor}), as the plan weighed it. */
    public double speed() {
        return speed;
    }

    /** The part's share of the work, in (0, 1]; the shares of a task sum to 1. */
    public double share() {
        return share;
    }

    /** The cost of the fabric for one part, by the cost function, when planned. */
    public double cost() {
        return cost;
    }

    /** {@code speed / (1 + cost)}: what the share is in proportion to. */
    public double weight() {
        return weight;
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s %s: share %.3f (speed %.2f, cost %.4f)", fabric.getFabricType(),
            fabric.getModel(), share, speed, cost);
    }
}
