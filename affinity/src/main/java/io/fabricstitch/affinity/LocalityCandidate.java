package io.fabricstitch.affinity;

import io.fabricstitch.ignite.compute.CostTerms;
import io.fabricstitch.model.FabricEntry;
import java.io.Serializable;
import java.util.Locale;
import java.util.Objects;
import java.util.UUID;

/**
 * One fabric weighed for a job over cached data: the three times the job would wait for on it and the cost they make.
 * {@code cost = latencyWeight x (networkMs + transferMs + computeMs) + resourceWeight x utilizationAfter x price};
 * {@link #terms()} holds the plugin's {@link CostTerms} with {@code latencyMs = networkMs + transferMs + computeMs}.
 * Immutable.
 */
public final class LocalityCandidate implements Serializable {
    private static final long serialVersionUID = 1L;

    private final FabricEntry fabric;
    private final boolean onPrimary;
    private final boolean holdsData;
    private final double networkMs;
    private final double transferMs;
    private final double computeMs;
    private final double bandwidthMibS;
    private final boolean bandwidthMeasured;
    private final CostTerms terms;

    LocalityCandidate(FabricEntry fabric, boolean onPrimary, boolean holdsData, double networkMs, double transferMs,
        double computeMs, double bandwidthMibS, boolean bandwidthMeasured, CostTerms terms) {
        this.fabric = fabric;
        this.onPrimary = onPrimary;
        this.holdsData = holdsData;
        this.networkMs = networkMs;
        this.transferMs = transferMs;
        this.computeMs = computeMs;
        this.bandwidthMibS = bandwidthMibS;
        this.bandwidthMeasured = bandwidthMeasured;
        this.terms = terms;
    }

    /** The fabric, as the Fabric Map showed it when weighed. */
    public FabricEntry fabric() {
        return fabric;
    }

    /** The fabric's node. */
    public UUID nodeId() {
        return fabric.getNodeId();
    }

    /** True when the fabric is on the data's primary node. */
    public boolean isOnPrimary() {
        return onPrimary;
    }

    /** True when the fabric's node holds the data (the primary, or a backup when the job reads from backups). */
    public boolean holdsData() {
        return holdsData;
    }

    /** Round trip from the origin to the fabric's node plus the fabric's own {@code LATENCY_MS}, ms. */
    public double networkMs() {
        return networkMs;
    }

    /** Moving the data from the primary to the fabric's node, ms: 0 on a node that holds it. */
    public double transferMs() {
        return transferMs;
    }

    /** Processing the data on the fabric, ms: {@code dataBytes / (referenceMibPerSecond x speedFactor)}. */
    public double computeMs() {
        return computeMs;
    }

    /** {@code networkMs + transferMs + computeMs}: what the job waits for, ms. */
    public double timeMs() {
        return terms.latencyMs();
    }

    /** Bandwidth the transfer was weighed with, MiB/s; {@code NaN} when nothing moves. */
    public double bandwidthMibS() {
        return bandwidthMibS;
    }

    /** True when {@link #bandwidthMibS()} was measured on the data path, false when assumed (or nothing moves). */
    public boolean isBandwidthMeasured() {
        return bandwidthMeasured;
    }

    /** The plugin's cost terms, with {@code latencyMs} = {@link #timeMs()}. */
    public CostTerms terms() {
        return terms;
    }

    /** {@code latencyWeight x timeMs}. */
    public double latencyTerm() {
        return terms.latencyTerm();
    }

    /** {@code resourceWeight x utilizationAfter x price}. */
    public double resourceTerm() {
        return terms.resourceTerm();
    }

    /** {@code latencyTerm + resourceTerm}. */
    public double cost() {
        return terms.cost();
    }

    /** One line: the fabric, where it is, and its cost by term. */
    String describe() {
        return String.format(Locale.ROOT, "%s '%s' on %s: cost %.4f = latencyTerm %.4f (network %.3f + transfer "
            + "%.3f%s + compute %.3f ms) + resourceTerm %.4f", fabric.getFabricType(), fabric.getModel(), where(),
            cost(), latencyTerm(), networkMs, transferMs, bandwidthText(), computeMs, resourceTerm());
    }

    private String where() {
        String node = "node " + fabric.getNodeId();
        if (onPrimary)
            return "the primary " + node;
        return holdsData ? "backup " + node : node;
    }

    private String bandwidthText() {
        if (Double.isNaN(bandwidthMibS))
            return "";
        return String.format(Locale.ROOT, " at %.1f MiB/s %s", bandwidthMibS, bandwidthMeasured ? "measured"
            : "assumed");
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof LocalityCandidate))
            return false;
        LocalityCandidate c = (LocalityCandidate)o;
        return onPrimary == c.onPrimary && holdsData == c.holdsData && bandwidthMeasured == c.bandwidthMeasured
            && Double.compare(networkMs, c.networkMs) == 0 && Double.compare(transferMs, c.transferMs) == 0
            && Double.compare(computeMs, c.computeMs) == 0 && Double.compare(bandwidthMibS, c.bandwidthMibS) == 0
            && Double.compare(cost(), c.cost()) == 0 && Double.compare(resourceTerm(), c.resourceTerm()) == 0
            && fabric.equals(c.fabric);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fabric.getFabricId(), networkMs, transferMs, computeMs, cost());
    }

    @Override
    public String toString() {
        return "LocalityCandidate [" + describe() + ", fabricId=" + fabric.getFabricId() + ']';
    }
}
