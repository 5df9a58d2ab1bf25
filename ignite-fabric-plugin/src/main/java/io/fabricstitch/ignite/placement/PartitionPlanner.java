package io.fabricstitch.ignite.placement;

import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.ignite.compute.PartPlan;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricEntry;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Set;

/**
 * Shares a partitioned task out among fabrics, in proportion to what each can do and what it costs: every fabric that
 * could take a part now (it runs the function, is of an accepted type, is ONLINE and has the part's amount free) is
 * weighed by {@code speed / (1 + cost)}, where the speed is the fabric's for the request's function
 * ({@link FabricEntry#speedFor}: {@code FABRIC_FUNCTION.SPEED_FACTOR}) and the cost the cost function's for one part
 * placed there; the {@code maxParts} heaviest take part, each with a share of the work proportional to its weight.
 * A fabric twice as fast gets twice the work; a far or loaded one (higher cost) gets less. Shares below
 * {@code minShare} are dropped and the others scaled up. Stateless.
 */
public final class PartitionPlanner {
    private final FabricSelector selector;

    public PartitionPlanner(FabricSelector selector) {
        this.selector = selector;
    }

    /**
     * @param request what one part needs (function, types, amount, priority, origin)
     * @throws NoSuitableFabricException when no fabric could take a part, with the selector's reason
     */
    public List<PartPlan> plan(Collection<FabricEntry> map, TaskRequest request, CostWeights weights, int maxParts,
        double minShare) {
        CandidateTable table = CandidateTable.of(map);
        List<PartPlan> weighed = new ArrayList<>();
        for (int i = 0; i < table.size(); i++) {
            FabricEntry f = table.fabric(i);
            Selection s = selector.select(table, request.withFabric(f.getFabricId()), weights, Set.of());
            if (s.isPlaced()) {
                double cost = s.terms().cost();
                double speed = f.speedFor(request.function());
                weighed.add(PartPlan.of(f, speed, 0, cost, speed / (1 + cost)));
            }
        }
        if (weighed.isEmpty()) {
            Selection why = selector.select(table, request, weights, Set.of());
            throw new NoSuitableFabricException("no fabric can take a part of " + request.function() + ": "
                + (why.reason() == null ? "every capable fabric is busy" : why.reason()));
        }
        weighed.sort(Comparator.comparingDouble(PartPlan::weight).reversed()
            .thenComparing(p -> p.fabric().getFabricId()));
        List<PartPlan> chosen = new ArrayList<>(weighed.subList(0, Math.min(maxParts, weighed.size())));
        while (true) {
            double total = chosen.stream().mapToDouble(PartPlan::weight).sum();
            PartPlan smallest = chosen.get(chosen.size() - 1);
            if (chosen.size() == 1 || smallest.weight() / total >= minShare) {
                List<PartPlan> plan = new ArrayList<>(chosen.size());
                for (PartPlan p : chosen)
                    plan.add(PartPlan.of(p.fabric(), p.speed(), p.weight() / total, p.cost(), p.weight()));
                return plan;
            }
            chosen.remove(chosen.size() - 1);
        }
    }
}
