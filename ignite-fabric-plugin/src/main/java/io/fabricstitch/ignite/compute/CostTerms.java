package io.fabricstitch.ignite.compute;

import java.io.Serializable;

/**
 * One evaluation of the cost function, with its inputs and both terms kept, so a decision can be explained:
 * {@code cost = latencyTerm + resourceTerm}, {@code latencyTerm = latencyWeight * latencyMs},
 * {@code resourceTerm = resourceWeight * utilizationAfter * price}. Immutable.
 */
public final class CostTerms implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double latencyMs;
    private final double utilizationAfter;
    private final double price;
    private final double latencyTerm;
    private final double resourceTerm;

    CostTerms(double latencyMs, double utilizationAfter, double price, double latencyTerm, double resourceTerm) {
        this.latencyMs = latencyMs;
        this.utilizationAfter = utilizationAfter;
        this.price = price;
        this.latencyTerm = latencyTerm;
        this.resourceTerm = resourceTerm;
    }

    /** Terms as recorded earlier (a ledger row, a table row); {@link CostFunction#terms} computes new ones. */
    public static CostTerms restore(double latencyMs, double utilizationAfter, double price, double latencyTerm,
        double resourceTerm) {
        return new CostTerms(latencyMs, utilizationAfter, price, latencyTerm, resourceTerm);
    }

    /** Network latency from the origin to the fabric, ms. */
    public double latencyMs() {
        return latencyMs;
    }

    /** The fabric's utilization once the task is placed, 0..1. */
    public double utilizationAfter() {
        return utilizationAfter;
    }

    /** Price of the fabric's type. */
    public double price() {
        return price;
    }

    /** {@code latencyWeight * latencyMs}. */
    public double latencyTerm() {
        return latencyTerm;
    }

    /** {@code resourceWeight * utilizationAfter * price}. */
    public double resourceTerm() {
        return resourceTerm;
    }

    /** {@code latencyTerm + resourceTerm}. */
    public double cost() {
        return latencyTerm + resourceTerm;
    }

    @Override
    public String toString() {
        return String.format(java.util.Locale.ROOT, "cost=%.4f [latencyTerm=%.4f (%.3f ms), resourceTerm=%.4f "
            + "(utilization %.3f, price %.2f)]", cost(), latencyTerm, latencyMs, resourceTerm, utilizationAfter, price);
    }
}
