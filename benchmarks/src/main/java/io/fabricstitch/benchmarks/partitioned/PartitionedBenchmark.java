package io.fabricstitch.benchmarks.partitioned;

import io.fabricstitch.benchmarks.BenchmarkMain;
import io.fabricstitch.benchmarks.LoadAverage;
import io.fabricstitch.benchmarks.Flags;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.benchmarks.suite.HeterogeneousCluster;
import io.fabricstitch.function.builtin.GaussianBlurFunction;
import io.fabricstitch.function.builtin.MatmulF32Function;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.agent.datapath.FabricDataPathConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.DataPathChoice;
import io.fabricstitch.ignite.compute.PartPlan;
import io.fabricstitch.ignite.compute.PartitionedResult;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * Partitioned speedup against one fabric (issue 5), end to end on real Ignite nodes in this JVM: a caller node and one
 * node per declared fabric (by default an A100, an L4 and an FPGA, speed factors 8, 4 and 2, as in
 * {@code config/fabric-demo.xml}; every node also reports its CPU). For each workload, after a warm-up, each round runs
 * the same generated input twice, in alternating order:
 * <ul>
 *     <li><b>one fabric</b>: {@link FabricCompute#execute} pinned to the declared fabric with the highest speed
 *     factor;</li>
 *     <li><b>partitioned</b>: {@link FabricCompute#map} across the fabrics that can take a part, cut and stitched here
 *     in proportion to the plan's shares (the split and the reduce are timed apart too).</li>
 * </ul>
 * The workloads ({@code --function blur|matmul|both}, default both, one section each):
 * <ul>
 *     <li><b>blur</b>: {@code image.gaussian-blur} of a generated PNG, in strips with a halo of the blur's radius; the
 *     split and the reduce decode and encode PNGs on the caller, which costs about as much as the blur;</li>
 *     <li><b>matmul</b>: {@code matmul.f32}, C = A x B of two generated square float32 matrices, by row blocks of A
 *     (each part gets its rows of A and all of B; the reducer concatenates the parts' rows of C): the split and the
 *     reduce only copy bytes, so the function dominates.</li>
 * </ul>
 * Every round checks that both outputs are byte-identical (and the same as the first round's); any difference ends
 * the run with exit code 1. Prints Markdown: the machine, the plan (with the data path each part's input took), each
 * round, the medians and the speedup. The nodes take free ports from {@value #FIRST_PORT} on, not the test clusters'
 * fixed ranges, so that they never join the nodes of a test run on the same host (the run fails if a stranger joins
 * anyway).
 * <p>
 * The declared fabrics are simulated: they run the CPU implementation of the function on this machine's cores, and a
 * speed factor of 1 or more adds no pacing, so the speedup is bounded by the cores and measures the plane's overhead
 * and parallelism, not accelerator speed.
 * <p>
 * Run after {@code mvn -q -DskipTests package}, with the JVM flags Ignite needs:
 * {@code java @examples/target/fabric.jvm-options -cp benchmarks/target/benchmarks.jar
 * io.fabricstitch.benchmarks.PartitionedBenchmark [--function both] [--size 2048] [--matrix 1280] [--rounds 5]
 * [--warmup 2] [--max-parts 8] [--speeds 8,4,2] [--types any]}.
 */
public final class PartitionedBenchmark {
    private static final String USAGE = String.join(System.lineSeparator(),
        "usage: PartitionedBenchmark [--function blur|matmul|both] [--size PIXELS] [--matrix N] [--rounds N]"
            + " [--warmup N] [--max-parts N] [--speeds S,S,..] [--types any|TYPE|TYPE..]",
        "  --function   workload(s), one section each: blur (image.gaussian-blur), matmul (matmul.f32) or both"
            + " (default both)",
        "  --size       blur: width and height of the generated image, 64..8000 (default 2048)",
        "  --matrix     matmul: m = k = n of the generated square matrices, 16..2048 (default 1280, about 1 s of"
            + " matmul.f32 on one core of a 2-core test machine)",
        "  --rounds     measured rounds per workload, each runs both cases, 1..100 (default 5)",
        "  --warmup     rounds run first per workload and not counted, 0..20 (default 2)",
        "  --max-parts  most parts map() cuts the input into, 1..64 (default 8)",
        "  --speeds     speed factors of the declared fabrics, one node each, 1 to 4 values in (0, 1000]",
        "               (default 8,4,2: an A100, an L4 and an FPGA as in config/fabric-demo.xml)",
        "  --types      fabric types that take parts: any, or e.g. GPU|FPGA (default any: the nodes' CPUs too)");

    /** The functions every declared fabric runs: those of all workloads. */
    private static final List<String> FUNCTIONS = List.of(GaussianBlurFunction.NAME, MatmulF32Function.NAME);

    /** Each request's time limit: far above a round, so only a hang reaches it. */
    private static final Duration TIMEOUT = Duration.ofMinutes(2);

    /** First port this benchmark's nodes may use, and the size of each of its three ranges. */
    private static final int FIRST_PORT = 49200;
    private static final int PORT_RANGE = 10;

    /** The declared fabrics, in order: name, type, model, unit, count, latency ms, site. */
    private static final String[][] FABRICS = {
        {"bench-gpu-0", "GPU", "NVIDIA A100 80GB (declared)", "MiB", "81920", "3", "default"},
        {"bench-gpu-1", "GPU", "NVIDIA L4 24GB (declared)", "MiB", "24576", "1", "default"},
        {"bench-fpga-0", "FPGA", "Xilinx Alveo U250 (declared)", "slices", "1024", "12", "site-b"},
        {"bench-gpu-2", "GPU", "NVIDIA T4 16GB (declared)", "MiB", "16384", "2", "default"},
    };

    private final int size;
    private final int matrix;
    private final List<PartitionedWorkload> workloads;
    private final int rounds;
    private final int warmup;
    private final int maxParts;
    private final double[] speeds;
    private final Set<FabricType> types;
    private final PrintStream out;
    private final PrintStream progress;
    private final Map<UUID, String> nodeNames = new HashMap<>();
    private int basePort;
    private String loadBefore;

    private PartitionedBenchmark(Map<String, String> opts, PrintStream out, PrintStream progress) {
        size = intOption(opts, "size", 2048, 64, 8000);
        matrix = intOption(opts, "matrix", 1280, 16, 2048);
        String function = opts.getOrDefault("function", "both").trim().toLowerCase(Locale.ROOT);
        switch (function) {
            case "blur":
                workloads = List.of(new PartitionedBlur(size));
                break;
            case "matmul":
                workloads = List.of(new PartitionedMatmul(matrix));
                break;
            case "both":
                workloads = List.of(new PartitionedBlur(size), new PartitionedMatmul(matrix));
                break;
            default:
                throw new IllegalArgumentException("--function: '" + opts.get("function") + "' (expected: blur, "
                    + "matmul or both)");
        }
        rounds = intOption(opts, "rounds", 5, 1, 100);
        warmup = intOption(opts, "warmup", 2, 0, 20);
        maxParts = intOption(opts, "max-parts", FabricCompute.DFLT_MAX_PARTS, 1, 64);
        speeds = speeds(opts.getOrDefault("speeds", "8,4,2"));
        types = types(opts.getOrDefault("types", "any"));
        boolean pinnable = false;
        for (int i = 0; i < speeds.length; i++)
            pinnable |= types.contains(FabricType.valueOf(FABRICS[i][1]));
        if (!pinnable)
            throw new IllegalArgumentException("--types: " + typesText() + " (expected: the type of at least one "
                + "declared fabric, to pin the one-fabric case to: " + Arrays.stream(FABRICS, 0, speeds.length)
                .map(f -> f[1]).distinct().collect(Collectors.joining(", ")) + ")");
        this.out = out;
        this.progress = progress;
    }

    public static void main(String[] args) {
        BenchmarkMain.main("PartitionedBenchmark", USAGE,
            () -> new PartitionedBenchmark(options(args), System.out, System.err), PartitionedBenchmark::run);
    }

    private void run() throws Exception {
        long begin = System.nanoTime();
        loadBefore = LoadAverage.oneMinute();
        basePort = freePorts();
        FabricTestCluster cluster = new FabricTestCluster();
        try {
            Ignite caller = start(cluster, "caller", null);
            List<FabricEntry> declared = new ArrayList<>();
            for (int i = 0; i < speeds.length; i++) {
                Ignite n = start(cluster, "fabric-" + i, declared(i));
                FabricPlugin.of(n).localFabrics().stream().filter(f -> f.getFabricType() != FabricType.CPU)
                    .forEach(declared::add);
            }
            HeterogeneousCluster.awaitOnline(caller, 1 + speeds.length + declared.size());
            checkAlone(caller);
            progress.println("cluster up: " + nodeNames.size() + " nodes, " + FabricPlugin.of(caller).fabricMap().size()
                + " fabrics in the map");
            FabricEntry fastest = declared.stream().filter(f -> types.contains(f.getFabricType()))
                .reduce((a, b) -> b.getSpeedFactor() > a.getSpeedFactor() ? b : a)
                .orElseThrow(() -> new IllegalStateException("no declared fabric of the types " + typesText()
                    + " in the map (expected: at least one, checked with the options)"));
            for (PartitionedWorkload w : workloads) {
                long t0 = System.nanoTime();
                byte[] input = w.generate();
                progress.println(w.key + ": generated " + w.generated(input));
                measure(FabricCompute.of(caller), w, input, fastest, begin, t0);
                checkAlone(caller);
            }
        }
        finally {
            cluster.afterAll(null);
        }
    }

    /** One workload's warm-up and measured rounds; prints its section. */
    private void measure(FabricCompute compute, PartitionedWorkload w, byte[] input, FabricEntry fastest, long begin,
        long sectionBegin) {
        TaskRequest whole = TaskRequest.builder(w.function).fabricTypes(types).amount(1)
            .priority(PriorityClass.BATCH).fabric(fastest.getFabricId()).input(input).timeout(TIMEOUT).build();
        TaskRequest perPart = TaskRequest.builder(w.function).fabricTypes(types).amount(1)
            .priority(PriorityClass.BATCH).timeout(TIMEOUT).build();
        byte[] reference = null;
        List<PartitionedRound> measured = new ArrayList<>();
        for (int r = 0; r < warmup + rounds; r++) {
            boolean oneFirst = r % 2 == 0;
            PartitionedRound round = new PartitionedRound(r < warmup ? "warm-up " + (r + 1)
                : String.valueOf(r - warmup + 1), oneFirst);
            if (oneFirst) {
                one(compute, whole, round);
                partitioned(compute, w, perPart, input, round);
            }
            else {
                partitioned(compute, w, perPart, input, round);
                one(compute, whole, round);
            }
            reference = check(w, round, reference);
            progress.printf(Locale.ROOT, "%s round %s: one fabric %.0f ms (%s), partitioned %.0f ms (%d parts: %s)%n",
                w.key, round.label, round.oneMs, round.one.placement().dataPath().path(), round.mapMs,
                round.result.plan().size(), partPaths(round));
            if (r >= warmup)
                measured.add(round);
        }
        print(w, input, fastest, measured, reference.length, begin, sectionBegin);
    }

    private void one(FabricCompute compute, TaskRequest whole, PartitionedRound round) {
        long t0 = System.nanoTime();
        TaskResult r = compute.execute(whole);
        round.oneMs = ms(System.nanoTime() - t0);
        round.one = r;
    }

    private void partitioned(FabricCompute compute, PartitionedWorkload w, TaskRequest perPart, byte[] input,
        PartitionedRound round) {
        PartitionCutter cutter = w.cutter();
        long t0 = System.nanoTime();
        PartitionedResult<byte[]> r = compute.map(perPart, input, cutter, cutter, maxParts);
        round.mapMs = ms(System.nanoTime() - t0);
        round.splitMs = ms(cutter.splitNanos);
        round.reduceMs = ms(cutter.reduceNanos);
        round.rows = cutter.rows;
        round.inputBytes = cutter.inputBytes;
        round.oneInputBytes = input.length;
        round.result = r;
    }

    /** Fails unless both outputs of the round are equal, and equal to the first round's; returns the reference. */
    private static byte[] check(PartitionedWorkload w, PartitionedRound round, byte[] reference) {
        byte[] a = round.one.output();
        byte[] b = round.result.value();
        if (!Arrays.equals(a, b))
            throw new IllegalStateException(w.key + " round " + round.label + ": the partitioned output differs from "
                + "the one-fabric output: " + difference(w, a, b) + "; plan " + round.result.plan() + "; rows "
                + round.rows.stream().map(x -> x[0] + ".." + (x[1] - 1)).collect(Collectors.joining(", ")));
        if (reference != null && !Arrays.equals(reference, a))
            throw new IllegalStateException(w.key + " round " + round.label + ": the output differs from the first "
                + "round's: " + difference(w, reference, a));
        return reference == null ? a : reference;
    }

    private static String difference(PartitionedWorkload w, byte[] a, byte[] b) {
        int at = Arrays.mismatch(a, b);
        return a.length + " vs " + b.length + " bytes, first difference at byte " + at + w.where(a, b, at);
    }

    /** The data paths of a round's parts, e.g. {@code DIRECT x2, JOB x1}. */
    private static String partPaths(PartitionedRound r) {
        Map<String, Integer> count = new LinkedHashMap<>();
        r.result.placements().forEach(p -> count.merge(p.dataPath().path().name(), 1, Integer::sum));
        return count.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
            .collect(Collectors.joining(", "));
    }

    private void print(PartitionedWorkload w, byte[] input, FabricEntry fastest, List<PartitionedRound> measured,
        int outputBytes, long begin, long sectionBegin) {
        out.println();
        out.println("### " + w.title + " (PartitionedBenchmark)");
        out.println();
        out.println("- **Machine**: " + machine() + "; load average (1 min) " + loadBefore + " before the run, "
            + LoadAverage.oneMinute() + " after this section.");
        out.println("- **Cluster**: " + nodeNames.size() + " server nodes in this JVM, on loopback: `caller` (only its "
            + "CPU) and " + speeds.length + " node(s) with one declared fabric each ("
            + declaredText() + "); every node also reports its CPU fabric (speed 1).");
        out.printf(Locale.ROOT, "- **Input**: %s. `%s`, priority `batch`, 1 unit per part, types %s, at most %d "
            + "parts.%n", w.inputText(input, outputBytes), w.function, typesText(), maxParts);
        DataPathChoice onePath = measured.get(0).one.placement().dataPath();
        out.println("- **Cases**, interleaved in each round (the order alternates), after " + warmup + " warm-up "
            + "round(s): *one fabric* = `execute()` pinned to " + describe(fastest) + " (the highest speed factor; "
            + "its input took the " + onePath.path() + " path: " + onePath.reason() + "); *partitioned* = `map()` "
            + "with " + w.cutText() + " (split and reduce run on the caller and are included in its time). Inputs "
            + "of " + (FabricDataPathConfiguration.DFLT_THRESHOLD_BYTES >> 20) + " MiB or more travel over "
            + "the agents' data path (DIRECT on one site), smaller ones inside the Ignite job "
            + "(`dataPath.thresholdBytes`, default).");
        out.println("- **Check**: in every round the partitioned output is byte-identical to the one-fabric output "
            + "and to the first round's.");
        out.println();
        printPlan(measured.get(0));
        out.println();
        printRounds(w, measured);
        out.println();
        double one = median(measured, r -> r.oneMs);
        double map = median(measured, r -> r.mapMs);
        List<Double> ratios = measured.stream().map(r -> r.oneMs / r.mapMs).sorted().collect(Collectors.toList());
        out.printf(Locale.ROOT, "**Speedup** (median one fabric / median partitioned): **%.2f×** (%.0f ms / %.0f "
            + "ms); per-round ratios %.2f× to %.2f×, median %.2f×.%n", one / map, one, map,
            ratios.get(0), ratios.get(ratios.size() - 1), medianOf(ratios));
        out.println();
        boolean paced = Arrays.stream(speeds).anyMatch(v -> v < 1);
        out.println("The declared fabrics are simulated: every part, whatever its fabric, runs the CPU implementation "
            + "of " + w.function + " on this machine's " + Runtime.getRuntime().availableProcessors() + " cores (a "
            + "speed factor of 1 or more adds no pacing" + (paced ? "; one below 1 holds each call until compute time "
            + "/ factor" : "") + "), so the speedup is bounded by the cores and measures the plane's overhead and "
            + "parallelism, not accelerator speed.");
        out.println();
        out.printf(Locale.ROOT, "This section took %.0f s (input generation included); the whole run so far %.0f s "
            + "(cluster start included).%n", (System.nanoTime() - sectionBegin) / 1e9,
            (System.nanoTime() - begin) / 1e9);
    }

    private void printPlan(PartitionedRound first) {
        List<PartPlan> plan = first.result.plan();
        List<Placement> ran = first.result.placements();
        out.println("Plan of `map()` in round 1 (" + plan.size() + " parts):");
        out.println();
        out.println("| Part | Fabric | Node | Speed | Cost | Share | Rows | Input | Path | Ran on |");
        out.println("|---:|---|---|---:|---:|---:|---|---:|---|---|");
        Map<String, List<Integer>> reasons = new LinkedHashMap<>();
        for (int i = 0; i < plan.size(); i++) {
            PartPlan p = plan.get(i);
            Placement at = ran.get(i);
            int[] rows = first.rows.get(i);
            String where = at.fabricId().equals(p.fabric().getFabricId()) ? "as planned"
                : at.fabricType() + " " + at.model() + " on " + at.nodeName() + " (attempt " + at.attempt() + ")";
            DataPathChoice path = at.dataPath();
            reasons.computeIfAbsent(path.path() + ": " + path.reason(), k -> new ArrayList<>()).add(i + 1);
            out.printf(Locale.ROOT, "| %d | %s %s | %s | %.2f | %.4f | %.3f | %d..%d (%d) | %,d bytes | %s | %s |%n",
                i + 1, p.fabric().getFabricType(), p.fabric().getModel(), nodeName(p.fabric().getNodeId()),
                p.fabric().getSpeedFactor(), p.cost(), p.share(), rows[0], rows[1] - 1, rows[1] - rows[0],
                first.inputBytes.get(i), path.path(), where);
        }
        long moved = first.inputBytes.stream().mapToLong(Integer::longValue).sum();
        long whole = first.oneInputBytes;
        out.println();
        out.printf(Locale.ROOT, "The parts' inputs total %,d bytes, %.2f× the one-fabric input of %,d bytes (what "
            + "each part repeats, such as halos or all of B, travels once per part).%n", moved, moved / (double)whole,
            whole);
        out.println();
        out.println("Why each path (`Placement.dataPath()`):");
        out.println();
        reasons.forEach((reason, parts) -> out.println("- part(s) " + parts.stream().map(String::valueOf)
            .collect(Collectors.joining(", ")) + ": " + reason));
    }

    private void printRounds(PartitionedWorkload w, List<PartitionedRound> measured) {
        Set<UUID> planned = sharesOf(measured.get(0)).keySet();
        out.println("| Round | Order | One fabric | Partitioned | Ratio | of which split | of which parts | of which "
            + "reduce | Parts | Data paths (one; parts) | Output |");
        out.println("|---:|---|---:|---:|---:|---:|---:|---:|---|---|---|");
        for (PartitionedRound r : measured) {
            String parts = r.result.plan().size() + (moved(r) ? ", a part failed over" : "")
                + (sharesOf(r).keySet().equals(planned) ? "" : ", other fabrics: " + planText(r));
            out.printf(Locale.ROOT, "| %s | %s | %.0f ms | %.0f ms | %.2f× | %.0f ms | %.0f ms | %.0f ms | %s | "
                + "%s; %s | identical |%n", r.label, r.oneFirst ? "one, then map" : "map, then one", r.oneMs, r.mapMs,
                r.oneMs / r.mapMs, r.splitMs, r.partsMs(), r.reduceMs, parts, r.one.placement().dataPath().path(),
                partPaths(r));
        }
        out.printf(Locale.ROOT, "| **median** | | **%.0f ms** | **%.0f ms** | **%.2f×** | %.0f ms | %.0f ms | %.0f ms "
            + "| | | |%n", median(measured, r -> r.oneMs), median(measured, r -> r.mapMs),
            median(measured, r -> r.oneMs) / median(measured, r -> r.mapMs), median(measured, r -> r.splitMs),
            median(measured, PartitionedRound::partsMs), median(measured, r -> r.reduceMs));
        double largest = measured.stream().mapToDouble(r -> r.result.plan().stream().mapToDouble(PartPlan::share)
            .max().orElse(1)).max().orElse(1);
        int cores = Runtime.getRuntime().availableProcessors();
        out.println();
        out.printf(Locale.ROOT, "*Split*, *reduce*: the splitter's and the reducer's own time on the caller (%s); "
            + "*parts*: the rest of `map()`, from the first part placed to the last output back. "
            + "Against one fabric the parts can gain at most min(%d cores, 1 / largest share %.3f) = %.2f×; "
            + "measured (median one fabric / median parts) %.2f×. A part's share moved by at most %.3f between "
            + "rounds with the same fabrics (the cost includes the measured round trips); the order of parts of equal "
            + "weight may change.%n", w.splitText, cores, largest, Math.min(cores, 1 / largest),
            median(measured, r -> r.oneMs) / median(measured, PartitionedRound::partsMs), shareDrift(measured));
    }

    /** The largest change of a fabric's share from round 1, over the rounds whose plan has the same fabrics. */
    private static double shareDrift(List<PartitionedRound> measured) {
        Map<UUID, Double> first = sharesOf(measured.get(0));
        double drift = 0;
        for (PartitionedRound r : measured) {
            Map<UUID, Double> shares = sharesOf(r);
            if (shares.keySet().equals(first.keySet())) {
                for (Map.Entry<UUID, Double> e : shares.entrySet())
                    drift = Math.max(drift, Math.abs(e.getValue() - first.get(e.getKey())));
            }
        }
        return drift;
    }

    /** Each fabric of a round's plan with its share. */
    private static Map<UUID, Double> sharesOf(PartitionedRound r) {
        Map<UUID, Double> shares = new HashMap<>();
        r.result.plan().forEach(p -> shares.put(p.fabric().getFabricId(), p.share()));
        return shares;
    }

    /** The fabrics of a round's plan, with their shares, as one line. */
    private String planText(PartitionedRound r) {
        return r.result.plan().stream().map(p -> String.format(Locale.ROOT, "%s %s on %s %.3f",
            p.fabric().getFabricType(), p.fabric().getModel(), nodeName(p.fabric().getNodeId()), p.share()))
            .collect(Collectors.joining(", "));
    }

    /** Whether a part of the round ran elsewhere than planned (it failed over). */
    private static boolean moved(PartitionedRound r) {
        for (int i = 0; i < r.result.plan().size(); i++) {
            if (!r.result.placements().get(i).fabricId().equals(r.result.plan().get(i).fabric().getFabricId()))
                return true;
        }
        return false;
    }

    private String describe(FabricEntry f) {
        return f.getFabricType() + " " + f.getModel() + " on " + nodeName(f.getNodeId()) + " (speed "
            + num(f.getSpeedFactor()) + ")";
    }

    private String declaredText() {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < speeds.length; i++)
            parts.add("`fabric-" + i + "`: " + FABRICS[i][1] + " " + FABRICS[i][2] + ", speed " + num(speeds[i])
                + ", " + FABRICS[i][5] + " ms");
        return String.join("; ", parts);
    }

    private String nodeName(UUID nodeId) {
        return nodeNames.getOrDefault(nodeId, String.valueOf(nodeId));
    }

    private Ignite start(FabricTestCluster cluster, String name, DeclaredFabric fabric) {
        FabricPluginConfiguration plugin = new FabricPluginConfiguration()
            .setAgent(new FabricAgentConfiguration().setDeclaredFabrics(fabric == null ? List.of() : List.of(fabric))
                .setDeviceAllowList(List.of("declared:" + (fabric == null ? "none" : fabric.getName()))))
            .setDataPath(new FabricDataPathConfiguration().setPort(0));
        IgniteConfiguration cfg = cluster.configuration(name, plugin);
        // Ports of our own: the test clusters' fixed ranges may hold a test run's nodes, which ours would join.
        TcpDiscoverySpi discovery = (TcpDiscoverySpi)cfg.getDiscoverySpi();
        discovery.setLocalPort(basePort).setLocalPortRange(PORT_RANGE);
        discovery.setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + basePort + ".."
            + (basePort + PORT_RANGE - 1))));
        ((TcpCommunicationSpi)cfg.getCommunicationSpi()).setLocalPort(basePort + PORT_RANGE)
            .setLocalPortRange(PORT_RANGE);
        cfg.getClientConnectorConfiguration().setPort(basePort + 2 * PORT_RANGE).setPortRange(PORT_RANGE);
        Ignite n = cluster.start(cfg);
        nodeNames.put(n.cluster().localNode().id(), name);
        progress.println("started node " + name);
        return n;
    }

    /** Fails when the cluster holds a node this run did not start. */
    private void checkAlone(Ignite caller) {
        List<String> strangers = caller.cluster().nodes().stream().filter(n -> !nodeNames.containsKey(n.id()))
            .map(n -> String.valueOf(n.consistentId())).collect(Collectors.toList());
        if (!strangers.isEmpty())
            throw new IllegalStateException("nodes this benchmark did not start joined its cluster: " + strangers
                + " (expected: only " + nodeNames.values() + ", on ports " + basePort + ".." + (basePort
                + 3 * PORT_RANGE - 1) + ")");
    }

    /**
     * The first port of {@value #PORT_RANGE} for discovery, then as many for communication and for the JDBC/thin
     * connector, from {@value #FIRST_PORT} on, such that nothing listens on any of them now.
     */
    private static int freePorts() {
        for (int base = FIRST_PORT; base < FIRST_PORT + 20 * 3 * PORT_RANGE; base += 3 * PORT_RANGE) {
            boolean free = true;
            for (int p = base; p < base + 3 * PORT_RANGE && free; p++) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress("127.0.0.1", p));
                }
                catch (IOException e) {
                    free = false;
                }
            }
            if (free)
                return base;
        }
        throw new IllegalStateException("no " + 3 * PORT_RANGE + " free ports in a row on 127.0.0.1 from " + FIRST_PORT
            + " to " + (FIRST_PORT + 20 * 3 * PORT_RANGE - 1));
    }

    private DeclaredFabric declared(int i) {
        String[] f = FABRICS[i];
        return new DeclaredFabric().setName(f[0]).setType(FabricType.valueOf(f[1])).setModel(f[2])
            .setResourceUnit(f[3]).setResourceCount(Long.parseLong(f[4])).setLatencyMs(Double.parseDouble(f[5]))
            .setSite(f[6]).setSpeedFactor(speeds[i]).setFunctions(FUNCTIONS);
    }

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> known = List.of("function", "size", "matrix", "rounds", "warmup", "max-parts", "speeds", "types");
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || !known.contains(a.substring(2)))
                throw new IllegalArgumentException("unknown option '" + a + "' (expected: --"
                    + String.join(", --", known) + ")");
            if (i + 1 >= args.length)
                throw new IllegalArgumentException("option " + a + " needs a value");
            if (opts.put(a.substring(2), args[++i]) != null)
                throw new IllegalArgumentException("option " + a + " given twice");
        }
        return opts;
    }

    private static int intOption(Map<String, String> opts, String name, int dflt, int min, int max) {
        return Flags.intValue("--" + name, opts.get(name), dflt, min, max);
    }

    private static double[] speeds(String text) {
        String[] parts = text.split(",", -1);
        if (parts.length < 1 || parts.length > FABRICS.length)
            throw new IllegalArgumentException("--speeds: '" + text + "', " + parts.length + " values (expected: 1 to "
                + FABRICS.length + " speed factors separated by commas, e.g. 8,4,2)");
        double[] s = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                s[i] = Double.parseDouble(parts[i].trim());
            }
            catch (NumberFormatException e) {
                s[i] = Double.NaN;
            }
            if (!(s[i] > 0 && s[i] <= FabricEntry.MAX_SPEED_FACTOR))
                throw new IllegalArgumentException("--speeds: '" + parts[i] + "' in '" + text + "' (expected: numbers "
                    + "above 0 and at most " + num(FabricEntry.MAX_SPEED_FACTOR) + ")");
        }
        return s;
    }

    private static Set<FabricType> types(String text) {
        if (text.equalsIgnoreCase("any"))
            return Collections.unmodifiableSet(EnumSet.allOf(FabricType.class));
        EnumSet<FabricType> set = EnumSet.noneOf(FabricType.class);
        for (String t : text.split("\\|", -1)) {
            try {
                set.add(FabricType.valueOf(t.trim().toUpperCase(Locale.ROOT)));
            }
            catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("--types: '" + t + "' in '" + text + "' (expected: any, or types "
                    + "of " + Arrays.toString(FabricType.values()) + " joined by |)");
            }
        }
        return Collections.unmodifiableSet(set);
    }

    private String typesText() {
        return types.size() == FabricType.values().length ? "any"
            : types.stream().map(Enum::name).collect(Collectors.joining("|"));
    }

    /** Cores, CPU model, memory, OS and JVM of this machine, in one line. */
    private static String machine() {
        String cpu = "unknown CPU";
        try {
            cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
        }
        catch (IOException | RuntimeException ignored) {
            // Not Linux: the model stays unknown.
        }
        long memory = -1;
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory
            .getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean)
            memory = ((com.sun.management.OperatingSystemMXBean)os).getTotalMemorySize();
        return String.format(Locale.ROOT, "%d cores (`availableProcessors`), CPU `%s`, %s memory, %s %s %s; "
            + "JVM: %s %s, max heap %d MiB", Runtime.getRuntime().availableProcessors(), cpu,
            memory < 0 ? "unknown" : String.format(Locale.ROOT, "%.1f GiB", memory / (double)(1L << 30)),
            System.getProperty("os.name"), System.getProperty("os.version"), System.getProperty("os.arch"),
            System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
            Runtime.getRuntime().maxMemory() >> 20);
    }

    private static double median(List<PartitionedRound> rounds,
        java.util.function.ToDoubleFunction<PartitionedRound> value) {
        return medianOf(rounds.stream().map(value::applyAsDouble).sorted().collect(Collectors.toList()));
    }

    /** The median of sorted values (the mean of the middle two for an even count). */
    private static double medianOf(List<Double> sorted) {
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }

    private static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long)v) : String.valueOf(v);
    }
}
