package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.ignite.compute.PriorityClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * The batch every policy places: the same tasks, in the same order, from the same seed.
 * <ul>
 *     <li>functions: {@value #INFER} 50%, {@value #ENCODE} 30%, {@value #FILTER} 20%;</li>
 *     <li>sizes, log-uniform within a tier: small 40..200 work units (60%), medium 200..800 (30%), large 800..3200
 *     (10%);</li>
 *     <li>priorities: latency-critical 20%, balanced 50%, batch 30%.</li>
 * </ul>
 */
public final class PlacementWorkload {
    public static final String INFER = "bench.infer";
    public static final String ENCODE = "bench.encode";
    public static final String FILTER = "bench.filter";

    /** Size tiers: share, smallest and largest work units. */
    private static final double[][] TIERS = {{0.6, 40, 200}, {0.3, 200, 800}, {0.1, 800, 3200}};

    private PlacementWorkload() {
    }

    /** {@code tasks} tasks drawn from {@code seed}; the same arguments give the same list. */
    public static List<BenchTask> generate(int tasks, long seed) {
        if (tasks < 1)
            throw new IllegalArgumentException("tasks: " + tasks + " (expected: at least 1)");
        Random rnd = new Random(seed);
        List<BenchTask> out = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            String function = pick(rnd.nextDouble(), new double[] {0.5, 0.3, 0.2}, INFER, ENCODE, FILTER);
            double work = size(rnd);
            String priority = pick(rnd.nextDouble(), new double[] {0.2, 0.5, 0.3}, PriorityClass.LATENCY_CRITICAL,
                PriorityClass.BALANCED, PriorityClass.BATCH);
            out.add(new BenchTask(i, function, work, priority));
        }
        return Collections.unmodifiableList(out);
    }

    /** Total work units of {@code tasks}. */
    public static double totalWork(List<BenchTask> tasks) {
        return tasks.stream().mapToDouble(BenchTask::work).sum();
    }

    private static double size(Random rnd) {
        double u = rnd.nextDouble();
        double[] tier = TIERS[TIERS.length - 1];
        double acc = 0;
        for (double[] t : TIERS) {
            acc += t[0];
            if (u < acc) {
                tier = t;
                break;
            }
        }
        double lo = Math.log(tier[1]);
        double hi = Math.log(tier[2]);
        return Math.round(Math.exp(lo + rnd.nextDouble() * (hi - lo)));
    }

    private static String pick(double u, double[] shares, String... names) {
        double acc = 0;
        for (int i = 0; i < names.length; i++) {
            acc += shares[i];
            if (u < acc)
                return names[i];
        }
        return names[names.length - 1];
    }
}
