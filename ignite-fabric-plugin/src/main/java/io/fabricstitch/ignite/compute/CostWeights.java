package io.fabricstitch.ignite.compute;

import io.fabricstitch.internal.Checks;
import java.io.Serializable;
import java.util.Objects;

/**
 * The two weights of {@code Cost = LatencyWeight * NetworkLatency + ResourceWeight * ResourceCost}.
 * <ul>
 *     <li>{@code latencyWeight}: cost points per millisecond of network latency between the task's origin and the
 *     fabric.</li>
 *     <li>{@code resourceWeight}: cost points for a fabric that the task leaves fully used (utilization 1.0) at
 *     price 1.0; a fabric left half used costs half of it.</li>
 * </ul>
 * So {@code resourceWeight / latencyWeight} is how many milliseconds of extra latency a task accepts to land on an
 * idle fabric instead of a full one. Immutable.
 */
public final class CostWeights implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double latencyWeight;
    private final double resourceWeight;

    private CostWeights(double latencyWeight, double resourceWeight) {
        this.latencyWeight = Checks.nonNegative(latencyWeight, "latencyWeight");
        this.resourceWeight = Checks.nonNegative(resourceWeight, "resourceWeight");
        if (latencyWeight == 0 && resourceWeight == 0)
            throw new IllegalArgumentException("weights: latencyWeight=0, resourceWeight=0 (expected: at least one "
                + "weight > 0, or every fabric would cost the same)");
    }

    /** Weights in cost points per millisecond and per full utilization. */
    public static CostWeights of(double latencyWeight, double resourceWeight) {
        return new CostWeights(latencyWeight, resourceWeight);
    }

    /** Cost points per millisecond of network latency. */
    public double latencyWeight() {
        return latencyWeight;
    }

    /** Cost points for leaving a fabric fully used (at price 1.0). */
    public double resourceWeight() {
        return resourceWeight;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof CostWeights))
            return false;
        CostWeights w = (CostWeights)o;
        return Double.compare(w.latencyWeight, latencyWeight) == 0 && Double.compare(w.resourceWeight, resourceWeight) == 0;
    }

    @Override
    public int hashCode() {
        return Objects.hash(latencyWeight, resourceWeight);
    }

    @Override
    public String toString() {
        return "latencyWeight=" + latencyWeight + ", resourceWeight=" + resourceWeight;
    }
}
