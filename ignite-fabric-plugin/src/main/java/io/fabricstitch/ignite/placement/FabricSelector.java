package io.fabricstitch.ignite.placement;

import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.internal.Units;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.StringJoiner;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.Supplier;

/**
 * Picks the fabric for a task (the design's {@code assignTask}): filters, then the least cost.
 * <ol>
 *     <li>Candidates run the function, have an accepted type, are not excluded (fabrics the task already failed on),
 *     are ONLINE, and have {@code resourceFree >= amount}.</li>
 *     <li>If none is ONLINE and DEGRADED fabrics are allowed, DEGRADED ones are tried the same way.</li>
 *     <li>The least {@link CostFunction cost} wins; equal costs go to the lowest fabric id.</li>
 * </ol>
 * With no winner the {@link Selection} says whether the task could fit later (busy) or never (none), with counts of
 * what each filter removed. Fabrics are scanned nearest first, and the scan stops once the latency term alone
 * exceeds the best cost found.
 * <p>
 * {@code NetworkLatency} is measured from the task's origin node: the round trip from the origin to the fabric's node
 * in the {@link LatencyMatrix} (0 on the origin itself) plus the fabric's own {@code LATENCY_MS} (a declared, simulated
 * distance; 0 for probed devices). A pair not measured yet falls back to {@code LATENCY_MS} alone.
 * <p>
 * A fabric's speed, wherever it counts (the expected service time, a per-speed price, the faster fabrics a task may
 * wait for), is its speed for the task's function ({@link FabricEntry#speedFor}): a GPU fast at matrices may be slow at
 * hashing. A request without a function (an SPI job may name none) weighs the fabric's own speed factor.
 * Thread-safe; the table must not change during a call.
 */
public final class FabricSelector {
    private static final int ALL_TYPES = (1 << FabricType.values().length) - 1;

    /** Largest service time a cost counts, ms: keeps costs finite (and comparable) on very slow fabrics. */
    private static final double MAX_SERVICE_MS = 1e12;

    private final CostFunction costFunction;
    private final boolean allowDegraded;
    private volatile Supplier<LatencyMatrix> latencies = () -> LatencyMatrix.EMPTY;

    public FabricSelector(CostFunction costFunction, boolean allowDegraded) {
        this.costFunction = costFunction;
        this.allowDegraded = allowDegraded;
    }

    /** Where the measured latencies come from (the node's copy of {@code FABRIC_LATENCY}); none by default. */
    public FabricSelector latencies(Supplier<LatencyMatrix> latencies) {
        this.latencies = latencies;
        return this;
    }

    /** The latencies selections use now. */
    public LatencyMatrix latencyMatrix() {
        return latencies.get();
    }

    public CostFunction costFunction() {
        return costFunction;
    }

    /**
     * Selects a fabric for {@code request} weighed by {@code weights}, avoiding the {@code excluded} fabrics, with
     * latencies measured from the request's origin.
     */
    public Selection select(CandidateTable t, TaskRequest request, CostWeights weights, Set<UUID> excluded) {
        return select(t, request, weights, excluded, 0);
    }

    /**
     * As {@link #select(CandidateTable, TaskRequest, CostWeights, Set)} for a task expected to take
     * {@code serviceMsAtSpeed1} ms on a fabric of speed factor 1 (0 when unknown): each fabric's latency term weighs
     * {@code NetworkLatency + serviceMsAtSpeed1 / speed}, the time to the result, with {@code speed} the fabric's speed
     * for the request's function ({@code FABRIC_FUNCTION.SPEED_FACTOR}), so that a long task goes to a free fabric
     * that finishes it sooner rather than to the nearest one.
     */
    public Selection select(CandidateTable t, TaskRequest request, CostWeights weights, Set<UUID> excluded,
        double serviceMsAtSpeed1) {
        if (!(serviceMsAtSpeed1 > 0)) // NaN or not positive: unknown
            serviceMsAtSpeed1 = 0;
        if (request.fabric() != null)
            return selectPinned(t, request, weights, excluded, serviceMsAtSpeed1);
        return select(t, request.function(), request.fabricTypes(), request.amount(), weights, excluded,
            request.origin(), serviceMsAtSpeed1);
    }

    /**
     * As {@link #select(CandidateTable, TaskRequest, CostWeights, Set, double)}, avoiding the fabrics in
     * {@code avoid} (those on nodes a caller could not reach, which Ignite has not judged yet): a task only they
     * could take waits (a busy selection) rather than being placed there or refused.
     */
    public Selection select(CandidateTable t, TaskRequest request, CostWeights weights, Set<UUID> excluded,
        Set<UUID> avoid, double serviceMsAtSpeed1) {
        if (avoid.isEmpty())
            return select(t, request, weights, excluded, serviceMsAtSpeed1);
        Set<UUID> both = new java.util.HashSet<>(avoid);
        if (excluded != null)
            both.addAll(excluded);
        Selection s = select(t, request, weights, both, serviceMsAtSpeed1);
        if (s.isPlaced() || s.isBusy())
            return s;
        Selection anyway = select(t, request, weights, excluded, serviceMsAtSpeed1);
        if (!anyway.isPlaced() && !anyway.isBusy())
            return anyway;
        FabricEntry f = anyway.isPlaced() ? anyway.fabric() : null;
        return Selection.busy("every fabric that fits " + request.function() + " is on a node a caller could not "
            + "reach" + (f == null ? "" : " (" + f.getFabricType() + ' ' + f.getModel() + " on node " + f.getNodeId()
            + ')') + ": waiting until Ignite judges the node, or it answers again");
    }

    /** The request's pinned fabric, if it passes every filter; busy when it merely lacks free units now. */
    private Selection selectPinned(CandidateTable t, TaskRequest r, CostWeights w, Set<UUID> excluded,
        double service) {
        UUID id = r.fabric();
        int i = t.indexOf(id);
        String asked = r.function() + " pinned to fabric " + id;
        if (i < 0)
            return Selection.none("no fabric for " + asked + ": the map holds no fabric " + id);
        FabricEntry f = t.fabric(i);
        String what = " (" + f.getFabricType() + ' ' + f.getModel() + ')';
        if (!f.getFunctions().containsKey(r.function()))
            return Selection.none("no fabric for " + asked + what + ": it does not run " + r.function());
        if (!r.fabricTypes().contains(f.getFabricType()))
            return Selection.none("no fabric for " + asked + what + ": its type is not one of " + r.fabricTypesText());
        if (excluded != null && excluded.contains(id))
            return Selection.none("no fabric for " + asked + what + ": it already failed this task");
        boolean usable = t.status[i] == FabricStatus.ONLINE.ordinal() || (allowDegraded && t.isDegraded(i));
        if (!usable)
            return Selection.none("no fabric for " + asked + what + ": it is " + f.getStatus()
                + (f.getStatusReason().isEmpty() ? "" : " (" + f.getStatusReason() + ')'));
        if (t.count[i] < r.amount())
            return Selection.none("no fabric for " + asked + what + ": it has " + t.count[i] + ' '
                + f.getResourceUnit() + " (asked " + r.amount() + ')');
        if (t.free[i] < r.amount())
            return Selection.busy("fabric " + id + what + " is busy: " + t.free[i] + " of " + r.amount() + ' '
                + f.getResourceUnit() + " free");
        CandidateTable.Layout layout = t.layout(r.origin(), r.origin() == null ? null : latencies.get());
        double speed = f.speedFor(r.function());
        return Selection.placed(i, f, costFunction.terms(w, layout.latencyMs[i], serviceOn(service, speed),
            f.getFabricType(), speed, t.count[i], t.free[i], r.amount()));
    }

    /** Expected service time on a fabric of {@code speed} of a task taking {@code atSpeed1} ms at speed 1. */
    private static double serviceOn(double atSpeed1, double speed) {
        return atSpeed1 > 0 ? Math.min(MAX_SERVICE_MS, atSpeed1 / speed) : 0;
    }


    /**
     * Selects a fabric that runs {@code function} (any fabric when null), of one of {@code types} (any when empty),
     * with {@code amount} units free, by latencies from {@code origin} (null: {@code LATENCY_MS} alone).
     */
    public Selection select(CandidateTable t, String function, Set<FabricType> types, long amount, CostWeights weights,
        Set<UUID> excluded, UUID origin) {
        return select(t, function, types, amount, weights, excluded, origin, 0);
    }

    private Selection select(CandidateTable t, String function, Set<FabricType> types, long amount,
        CostWeights weights, Set<UUID> excluded, UUID origin, double service) {
        int typeMask = 0;
        for (FabricType ft : types)
            typeMask |= 1 << ft.ordinal();
        if (typeMask == 0)
            typeMask = ALL_TYPES;
        CandidateTable.Layout layout = t.layout(origin, origin == null ? null : latencies.get());
        int[] runners = function == null ? layout.all() : layout.runners(function);
        double[] speeds = t.speeds(function);
        int best = scan(t, layout.latencyMs, speeds, runners, typeMask, amount, weights, excluded,
            FabricStatus.ONLINE, service);
        if (best < 0 && allowDegraded)
            best = scan(t, layout.latencyMs, speeds, runners, typeMask, amount, weights, excluded,
                FabricStatus.DEGRADED, service);
        if (best >= 0) {
            FabricEntry f = t.fabric(best);
            return Selection.placed(best, f, costFunction.terms(weights, layout.latencyMs[best],
                serviceOn(service, speeds[best]), f.getFabricType(), speeds[best], t.count[best], t.free[best],
                amount));
        }
        return explain(t, function, typeMask, amount, excluded);
    }

    /** Index of the cheapest fabric of {@code status} that fits, or -1; {@code speed}: each one's for the function. */
    private int scan(CandidateTable t, double[] lat, double[] speed, int[] runners, int typeMask, long amount,
        CostWeights w, Set<UUID> excluded, FabricStatus wanted, double service) {
        double wl = w.latencyWeight();
        double wr = w.resourceWeight();
        byte st = (byte)wanted.ordinal();
        boolean checkExcluded = excluded != null && !excluded.isEmpty();
        long[] count = t.count;
        long[] free = t.free;
        byte[] type = t.type;
        byte[] status = t.status;
        int best = -1;
        double bestCost = Double.POSITIVE_INFINITY;
        boolean timed = service > 0;
        for (int i : runners) {
            double latencyTerm = wl * lat[i];
            if (latencyTerm > bestCost)
                break; // nearest first: no later fabric can cost less (the service time only adds to it)
            if (status[i] != st || ((typeMask >>> type[i]) & 1) == 0 || free[i] < amount)
                continue;
            if (checkExcluded && excluded.contains(t.fabric(i).getFabricId()))
                continue;
            if (timed)
                latencyTerm += wl * serviceOn(service, speed[i]);
            double util = (double)(count[i] - free[i] + amount) / count[i];
            double cost = latencyTerm + wr * (util > 1.0 ? 1.0 : util) * costFunction.priceOf(type[i], speed[i]);
            if (cost < bestCost || (cost == bestCost && i < best)) {
                bestCost = cost;
                best = i;
            }
        }
        return best;
    }

    /**
     * How many tasks like {@code request} the busy fabrics faster than {@code chosen} (a higher speed for the request's
     * function) that could run it would finish while {@code chosen} runs one: the sum over them of
     * {@code (units / amount) * speed / chosenSpeed}. Faster fabrics with room now do not count (the cost function
     * passed them over); 0 when none is faster and busy, or when the request is pinned to a fabric.
     */
    public double fasterCapacity(CandidateTable t, TaskRequest request, Set<UUID> excluded, int chosen) {
        if (request.fabric() != null)
            return 0;
        double[] speeds = t.speeds(request.function());
        double speed = speeds[chosen];
        long amount = Math.max(1, request.amount());
        int typeMask = 0;
        for (FabricType ft : request.fabricTypes())
            typeMask |= 1 << ft.ordinal();
        if (typeMask == 0)
            typeMask = ALL_TYPES;
        CandidateTable.Layout layout = t.layout(null, null);
        int[] runners = request.function() == null ? layout.all() : layout.runners(request.function());
        double capacity = 0;
        for (int i : runners) {
            FabricEntry f = t.fabric(i);
            if (speeds[i] <= speed || ((typeMask >>> t.type[i]) & 1) == 0 || t.count[i] < amount)
                continue;
            boolean usable = t.status[i] == FabricStatus.ONLINE.ordinal() || (allowDegraded && t.isDegraded(i));
            if (!usable || (excluded != null && excluded.contains(f.getFabricId())))
                continue;
            if (t.free[i] >= amount)
                continue; // it has room and the cost function passed it over: not one to wait for
            capacity += (double)(t.count[i] / amount) * speeds[i] / speed;
        }
        return capacity;
    }

    /** Why nothing fits: busy when a usable fabric is merely short of free units now, else none. */
    private Selection explain(CandidateTable t, String function, int typeMask, long amount, Set<UUID> excluded) {
        int known = 0;
        int withoutFn = 0;
        int offline = 0;
        int degraded = 0;
        int tooSmall = 0;
        int excludedCount = 0;
        int capable = 0;
        long mostFree = -1;
        long largest = -1;
        Set<String> units = new TreeSet<>();
        Map<FabricType, Integer> inMap = new EnumMap<>(FabricType.class);
        for (int i = 0; i < t.size(); i++) {
            FabricEntry f = t.fabric(i);
            inMap.merge(f.getFabricType(), 1, Integer::sum);
            if (((typeMask >>> t.type[i]) & 1) == 0)
                continue;
            known++;
            units.add(f.getResourceUnit());
            if (function != null && !f.getFunctions().containsKey(function)) {
                withoutFn++;
                continue;
            }
            if (excluded != null && excluded.contains(f.getFabricId())) {
                excludedCount++;
                continue;
            }
            if (t.status[i] == FabricStatus.OFFLINE.ordinal()) {
                offline++;
                continue;
            }
            if (t.isDegraded(i) && !allowDegraded) {
                degraded++;
                continue;
            }
            largest = Math.max(largest, t.count[i]);
            mostFree = Math.max(mostFree, t.free[i]);
            if (t.count[i] < amount) {
                tooSmall++;
                continue;
            }
            capable++;
        }
        String unit = units.size() == 1 ? units.iterator().next() : "units";
        boolean anyType = typeMask == ALL_TYPES;
        String types = typesText(typeMask);
        String fn = function == null ? "any function" : function;
        String asked = fn + " needing " + amount + ' ' + (anyType ? "" : types + ' ') + Units.of(amount, unit);
        if (function != null && capable == 0) {
            Set<String> run = new TreeSet<>();
            for (int i = 0; i < t.size(); i++)
                run.addAll(t.fabric(i).getFunctions().keySet());
            if (!run.isEmpty() && !run.contains(function))
                return Selection.none("no fabric runs " + function + ": it is not a registered function on any node "
                    + "(expected one of: " + String.join(", ", run) + ')');
        }
        if (capable > 0) {
            return Selection.busy("every fabric for " + asked + " is busy: " + capable + " could take it, most free "
                + mostFree);
        }
        if (known == 0) {
            return Selection.none("no fabric for " + asked + ": the map holds no " + types + " fabric ("
                + describe(inMap) + ')');
        }
        StringJoiner why = new StringJoiner(", ");
        why.add(known + " " + (anyType ? "" : types + ' ') + "fabric" + (known == 1 ? "" : "s") + " known");
        if (withoutFn > 0)
            why.add(withoutFn + " without " + fn);
        if (excludedCount > 0)
            why.add(excludedCount + " already failed this task");
        if (tooSmall > 0)
            why.add(tooSmall + " smaller than " + amount + ' ' + Units.of(amount, unit) + " (largest " + largest + ')');
        if (mostFree >= 0)
            why.add("most free " + mostFree);
        StringJoiner status = new StringJoiner(", ");
        if (offline > 0)
            status.add(offline + " OFFLINE");
        if (degraded > 0)
            status.add(degraded + " DEGRADED (not allowed)");
        return Selection.none("no fabric for " + asked + ": " + why + (status.length() > 0 ? "; " + status : ""));
    }

    private static String typesText(int typeMask) {
        if (typeMask == ALL_TYPES)
            return "any";
        StringJoiner j = new StringJoiner("|");
        for (FabricType ft : FabricType.values()) {
            if (((typeMask >>> ft.ordinal()) & 1) != 0)
                j.add(ft.name());
        }
        return j.toString();
    }

    private static String describe(Map<FabricType, Integer> inMap) {
        if (inMap.isEmpty())
            return "it is empty";
        StringJoiner j = new StringJoiner(", ", "it holds ", "");
        inMap.forEach((type, n) -> j.add(n + " " + type));
        return j.toString();
    }
}
