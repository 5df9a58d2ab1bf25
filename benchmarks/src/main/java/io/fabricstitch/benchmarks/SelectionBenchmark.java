package io.fabricstitch.benchmarks;

import io.fabricstitch.ignite.placement.CandidateTable;
import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.placement.FabricSelector;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.placement.Selection;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Selections per second of {@link FabricSelector#select} on one thread, against a {@link NaiveSelector} stream over
 * the same map in the same run.
 * <p>
 * The map is {@link FabricMaps#generate seeded}; the requests cycle through {@value #REQUESTS} precomputed ones whose
 * function and amount vary, so the JIT cannot fold a constant request. {@code types=any} accepts every type with
 * 1..4 units; {@code types=GPU} wants a GPU with 2..16 GiB of memory. DEGRADED fabrics are not allowed, so both
 * selectors apply the same filters; setup checks that they pick the same fabric. Nothing is reserved: the map is the
 * same for every call.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@State(Scope.Thread)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class SelectionBenchmark {
    /** Requests cycled through; a power of two. */
    static final int REQUESTS = 1024;

    /** Requests checked against the baseline in setup. */
    private static final int CHECKED = 128;

    private static final long MAP_SEED = 20250301L;

    private static final long REQUEST_SEED = 42L;

    private static final long[] GPU_MIB = {2048, 4096, 8192, 16384};

    private static final Set<UUID> NONE_EXCLUDED = Set.of();

    @Param({"100", "10000", "100000"})
    public int fabrics;

    @Param({PriorityClass.LATENCY_CRITICAL, PriorityClass.BALANCED, PriorityClass.BATCH})
    public String priority;

    @Param({"any", "GPU"})
    public String types;

    private List<FabricEntry> map;
    private CandidateTable table;
    private CostWeights weights;
    private TaskRequest[] requests;
    private final FabricSelector selector = new FabricSelector(CostFunction.standard(), false);
    private final NaiveSelector naive = new NaiveSelector(CostFunction.standard());
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        map = FabricMaps.generate(fabrics, MAP_SEED);
        table = CandidateTable.of(map);
        weights = PriorityClass.defaults().stream().filter(p -> p.name().equals(priority)).findFirst()
            .orElseThrow(() -> new IllegalArgumentException("priority: '" + priority + "' (expected: a default class)"))
            .weights();
        requests = requests(types, new Random(REQUEST_SEED));
        checkAgainstBaseline();
    }

    private static TaskRequest[] requests(String types, Random rnd) {
        TaskRequest[] r = new TaskRequest[REQUESTS];
        for (int i = 0; i < r.length; i++) {
            TaskRequest.Builder b = TaskRequest.builder(FabricMaps.FUNCTIONS[rnd.nextInt(FabricMaps.FUNCTIONS.length)]);
            if ("any".equals(types))
                b.amount(1 + rnd.nextInt(4));
            else
                b.require(FabricType.parse(types), GPU_MIB[rnd.nextInt(GPU_MIB.length)]);
            r[i] = b.build();
        }
        return r;
    }

    /**
     * Fails unless both selectors pick the same fabric for the first {@value #CHECKED} requests; prints how many were
     * placed and how many runners of the function lie within the winner's cost (about what the selector scans).
     */
    private void checkAgainstBaseline() {
        int placed = 0;
        long withinCost = 0;
        long runners = 0;
        for (int i = 0; i < CHECKED; i++) {
            TaskRequest r = requests[i];
            Selection s = selector.select(table, r, weights, NONE_EXCLUDED);
            Optional<FabricEntry> n = naive.select(map, r, weights, NONE_EXCLUDED);
            if (s.isPlaced() != n.isPresent() || s.isPlaced() && !s.fabric().equals(n.get()))
                throw new IllegalStateException("selectors disagree on " + r + ": " + s + " vs " + n);
            if (!s.isPlaced())
                continue;
            placed++;
            double best = s.terms().cost();
            for (FabricEntry f : map) {
                if (f.getSupportedFunctions().contains(r.function())) {
                    runners++;
                    if (weights.latencyWeight() * f.getLatencyMs() <= best)
                        withinCost++;
                }
            }
        }
        System.out.printf(Locale.ROOT, "%n[setup] fabrics=%d priority=%s types=%s: same choice as the baseline for %d "
                + "requests, %d placed; runners the scan must visit (latency term within the winning cost): "
                + "at least %.1f of %.1f%n",
            fabrics, priority, types, CHECKED, placed, (double)withinCost / Math.max(1, placed),
            (double)runners / Math.max(1, placed));
    }

    private TaskRequest nextRequest() {
        return requests[next++ & (REQUESTS - 1)];
    }

    /** One selection by {@link FabricSelector}; JMH consumes the result. */
    @Benchmark
    public Selection selector() {
        return selector.select(table, nextRequest(), weights, NONE_EXCLUDED);
    }

    /** One selection by the stream baseline; JMH consumes the result. */
    @Benchmark
    public Optional<FabricEntry> naive() {
        return naive.select(map, nextRequest(), weights, NONE_EXCLUDED);
    }
}
