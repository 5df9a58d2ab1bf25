package io.fabricstitch.ignite.compute;

import java.io.Serializable;

/**
 * One evaluation of the cost function, with its inputs and both terms kept, so a decision can be explained:
 * {@code cost = latencyTerm + resourceTerm}, {@code latencyTerm = latencyWeight * (latencyMs + serviceMs)},
 * {@code resourceTerm = resourceWeight * utilizationAfter * price}. {@code serviceMs}, the task's expected service
 * time on the fabric, is 0 unless the task gave its size and the orchestrator has learned its function's rate.
 * Immutable.
 */
public final class CostTerms implements Serializable {
    private static final long serialVersionUID = 1L;

    private final double latencyMs;
    private final double utilizationAfter;
    private final double price;
    private final double latencyTerm;
    private final double resourceTerm;
    private final double serviceMs;

    CostTerms(double latencyMs, double utilizationAfter, double price, double latencyTerm, double resourceTerm) {
        this(latencyMs, 0, utilizationAfter, price, latencyTerm, resourceTerm);
    }

    CostTerms(double latencyMs, double serviceMs, double utilizationAfter, double price, double latencyTerm,
        double resourceTerm) {
        this.latencyMs = latencyMs;
        this.serviceMs = serviceMs;
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

    /**
     * The task's expected service time on the fabric, ms: its size times its function's learned time per unit of
     * size at speed factor 1, divided by the fabric's speed for the function; 0 when unknown (and in restored terms).
     */
    public double serviceMs() {
        return serviceMs;
    }

    /** The fabric's utilization once the task is placed, 0..1. */
    public double utilizationAfter() {
        return utilizationAfter;
    }

    /** Price of the fabric's type. */
    public double price() {
        return price;
    }

    /** {@code latencyWeight * (latencyMs + serviceMs)}. */
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
        String service = serviceMs > 0 ? String.format(java.util.Locale.ROOT, " + %.3f ms expected service", serviceMs)
            : "";
        return String.format(java.util.Locale.ROOT, "cost=%.4f [latencyTerm=%.4f (%.3f ms%s), resourceTerm=%.4f "
            + "(utilization %.3f, price %.2f)]", cost(), latencyTerm, latencyMs, service, resourceTerm,
            utilizationAfter, price);
    }
}
