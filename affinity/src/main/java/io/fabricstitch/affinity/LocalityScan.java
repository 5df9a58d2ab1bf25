package io.fabricstitch.affinity;

import io.fabricstitch.ignite.placement.CandidateTable;
import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.CostTerms;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.placement.FabricSelector;
import io.fabricstitch.ignite.placement.LatencyMatrix;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.ignite.placement.Selection;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

/**
 * Weighs every fitting fabric for a job over one partition's data, by the filters of the plugin's
 * {@link FabricSelector} and its cost function with the job's transfer and compute times added to the latency:
 * <ol>
 *     <li>Candidates run the function, have an accepted type, are ONLINE and have {@code free >= amount}; if none,
 *     DEGRADED ones the same way when the configuration allows them; if none, the same two passes with
 *     {@code count >= amount} (busy: the pinned job will wait for its fabric).</li>
 *     <li>Each candidate's time is {@code networkMs + transferMs + computeMs}; its cost the plugin's
 *     {@link CostFunction#terms} for that time.</li>
 *     <li>The least cost wins; equal costs go to the primary's node, then to the lowest fabric id.</li>
 * </ol>
 * With no candidate at all it throws {@link NoSuitableFabricException} with the selector's explanation and the data's
 * place. Immutable and thread-safe.
 */
final class LocalityScan {
    /** Bytes in a MiB. */
    static final double MIB = 1024 * 1024;

    private final CostFunction costFunction;
    private final boolean allowDegraded;
    private final double assumedBandwidthMibS;

    LocalityScan(CostFunction costFunction, boolean allowDegraded, double assumedBandwidthMibS) {
        this.costFunction = costFunction;
        this.allowDegraded = allowDegraded;
        this.assumedBandwidthMibS = assumedBandwidthMibS;
    }

    /**
     * The decision for {@code req} over the data at {@code owners}, among the fabrics of {@code map}, with latencies
     * from {@code origin} in {@code matrix}.
     *
     * @throws NoSuitableFabricException when no fabric could ever take the job
     */
    LocalityDecision decide(Collection<FabricEntry> map, PartitionOwners owners, DataLocalityRequest req,
        CostWeights w, UUID origin, LatencyMatrix matrix) {
        for (boolean needFree : new boolean[] {true, false}) {
            for (FabricStatus status : usableStatuses()) {
                Best best = scan(map, owners, req, w, origin, matrix, status, needFree);
                if (best.onPrimary != null || best.elsewhere != null)
                    return new LocalityDecision(owners, best.onPrimary, best.elsewhere, w, !needFree, req.task());
            }
        }
        throw new NoSuitableFabricException(explain(map, req.task(), w) + " [" + owners + ']');
    }

    private List<FabricStatus> usableStatuses() {
        return allowDegraded ? List.of(FabricStatus.ONLINE, FabricStatus.DEGRADED) : List.of(FabricStatus.ONLINE);
    }

    private Best scan(Collection<FabricEntry> map, PartitionOwners owners, DataLocalityRequest req, CostWeights w,
        UUID origin, LatencyMatrix matrix, FabricStatus status, boolean needFree) {
        TaskRequest t = req.task();
        Best best = new Best();
        for (FabricEntry f : map) {
            if (f.getStatus() != status || !t.fabricTypes().contains(f.getFabricType())
                || !f.getSupportedFunctions().contains(t.function()))
                continue;
            if ((needFree ? f.getResourceFree() : f.getResourceCount()) < t.amount())
                continue;
            best.offer(candidate(f, owners, req, w, origin, matrix));
        }
        return best;
    }

    /** The terms of running the job on {@code f}. */
    LocalityCandidate candidate(FabricEntry f, PartitionOwners owners, DataLocalityRequest req, CostWeights w,
        UUID origin, LatencyMatrix matrix) {
        UUID node = f.getNodeId();
        double networkMs = orZero(matrix.networkMs(origin, node)) + f.getLatencyMs();
        boolean holds = owners.holds(node, req.readFromBackups());
        double transferMs = 0;
        double bandwidth = Double.NaN;
        boolean measured = false;
        if (!holds) {
            double measuredBw = matrix.bandwidthMibS(owners.primary(), node);
            measured = Double.isFinite(measuredBw) && measuredBw > 0;
            bandwidth = measured ? measuredBw : assumedBandwidthMibS;
            double rttMs = orZero(matrix.networkMs(owners.primary(), node));
            transferMs = rttMs + req.dataBytes() * 1000.0 / (bandwidth * MIB);
        }
        double computeMs = req.computeMs(f.getSpeedFactor());
        CostTerms terms = costFunction.terms(w, networkMs + transferMs + computeMs, f.getFabricType(),
            f.getResourceCount(), f.getResourceFree(), req.task().amount());
        return new LocalityCandidate(f, node.equals(owners.primary()), holds, networkMs, transferMs, computeMs,
            bandwidth, measured, terms);
    }

    /** An unmeasured round trip adds nothing, as in the selector. */
    private static double orZero(double ms) {
        return Double.isNaN(ms) ? 0 : ms;
    }

    /** The cheaper of two candidates (either may be null): least cost, then the primary's node, then lowest id. */
    static LocalityCandidate better(LocalityCandidate a, LocalityCandidate b) {
        if (a == null)
            return b;
        if (b == null)
            return a;
        int byCost = Double.compare(a.cost(), b.cost());
        if (byCost != 0)
            return byCost < 0 ? a : b;
        if (a.isOnPrimary() != b.isOnPrimary())
            return a.isOnPrimary() ? a : b;
        return a.fabric().getFabricId().compareTo(b.fabric().getFabricId()) <= 0 ? a : b;
    }

    /** What the map holds for the task, in the selector's words. */
    private String explain(Collection<FabricEntry> map, TaskRequest t, CostWeights w) {
        Selection s = new FabricSelector(costFunction, allowDegraded).select(CandidateTable.of(new ArrayList<>(map)),
            t.function(), t.fabricTypes(), t.amount(), w, null, null);
        if (s.reason() != null)
            return s.reason();
        return "no fabric for " + t.function() + " needing " + t.amount() + ' ' + t.fabricTypesText() + " units";
    }

    /** The cheapest candidate on the primary's node and elsewhere. */
    private static final class Best {
        private LocalityCandidate onPrimary;
        private LocalityCandidate elsewhere;

        void offer(LocalityCandidate c) {
            if (c.isOnPrimary())
                onPrimary = better(onPrimary, c);
            else
                elsewhere = better(elsewhere, c);
        }
    }
}
