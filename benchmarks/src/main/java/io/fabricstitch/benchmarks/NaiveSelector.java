package io.fabricstitch.benchmarks;

import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The baseline {@code FabricSelector} is measured against: a stream over every entry of the map that applies the same
 * filters (function, type, ONLINE, not excluded, enough free) and takes the least cost, ties to the lowest fabric id.
 * It picks the same fabric as the selector with DEGRADED fabrics not allowed.
 */
final class NaiveSelector {
    private final CostFunction costFunction;

    NaiveSelector(CostFunction costFunction) {
        this.costFunction = costFunction;
    }

    Optional<FabricEntry> select(List<FabricEntry> map, TaskRequest r, CostWeights w, Set<UUID> excluded) {
        long amount = r.amount();
        return map.stream()
            .filter(f -> f.getSupportedFunctions().contains(r.function()))
            .filter(f -> r.fabricTypes().contains(f.getFabricType()))
            .filter(f -> f.getStatus() == FabricStatus.ONLINE)
            .filter(f -> !excluded.contains(f.getFabricId()))
            .filter(f -> f.getResourceFree() >= amount)
            .map(f -> new Costed(f, cost(f, amount, w)))
            .min(Comparator.comparingDouble(Costed::cost).thenComparing(c -> c.fabric().getFabricId()))
            .map(Costed::fabric);
    }

    private double cost(FabricEntry f, long amount, CostWeights w) {
        double util = CostFunction.utilizationAfter(f.getResourceCount(), f.getResourceFree(), amount);
        return w.latencyWeight() * f.getLatencyMs() + w.resourceWeight() * util * costFunction.price(f.getFabricType());
    }

    private record Costed(FabricEntry fabric, double cost) {
    }
}
