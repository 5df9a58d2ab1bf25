package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.benchmarks.SelectionBenchmark;
import io.fabricstitch.ignite.compute.PriorityClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Decisions per second of {@code FabricSelector.select} at 100, 10 000 and 100 000 fabrics, for each default priority
 * class, any fabric type: a short run of {@link SelectionBenchmark}'s {@code selector} case through JMH's
 * {@link Runner} (one fork, {@code -Xms2g -Xmx2g}, one thread).
 */
public final class SelectionScaling {
    /** Map sizes measured. */
    public static final List<Integer> FABRICS = List.of(100, 10_000, 100_000);

    /** Priority classes measured. */
    public static final List<String> PRIORITIES = List.of(PriorityClass.LATENCY_CRITICAL, PriorityClass.BALANCED,
        PriorityClass.BATCH);

    /**
     * One case's throughput.
     *
     * @param fabrics map size
     * @param priority priority class
     * @param opsPerSecond mean selections per second
     * @param error JMH's 99.9% error of the mean
     */
    public record Case(int fabrics, String priority, double opsPerSecond, double error) {
    }

    private SelectionScaling() {
    }

    /** Runs every case with {@code iterations} one-second measurements after {@code warmUps} one-second warm-ups. */
    public static List<Case> measure(int warmUps, int iterations) throws RunnerException {
        Options opts = new OptionsBuilder()
            .include(SelectionBenchmark.class.getName() + ".selector$")
            .param("fabrics", FABRICS.stream().map(String::valueOf).toArray(String[]::new))
            .param("priority", PRIORITIES.toArray(String[]::new))
            .param("types", "any")
            .forks(1)
            .warmupIterations(warmUps).warmupTime(TimeValue.seconds(1))
            .measurementIterations(iterations).measurementTime(TimeValue.seconds(1))
            .verbosity(VerboseMode.SILENT)
            .build();
        Collection<RunResult> results = new Runner(opts).run();
        List<Case> out = new ArrayList<>();
        for (RunResult r : results) {
            out.add(new Case(Integer.parseInt(r.getParams().getParam("fabrics")), r.getParams().getParam("priority"),
                r.getPrimaryResult().getScore(), r.getPrimaryResult().getScoreError()));
        }
        out.sort(java.util.Comparator.comparingInt(Case::fabrics)
            .thenComparingInt(c -> PRIORITIES.indexOf(c.priority())));
        return out;
    }
}
