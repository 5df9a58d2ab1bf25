package io.fabricstitch.benchmarks;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.benchmarks.suite.HeterogeneousCluster;
import io.fabricstitch.function.builtin.GaussianBlurFunction;
import io.fabricstitch.function.builtin.MatmulF32Function;
import io.fabricstitch.ignite.FabricAgentConfiguration;
import io.fabricstitch.ignite.FabricDataPathConfiguration;
import io.fabricstitch.ignite.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.DataPathChoice;
import io.fabricstitch.ignite.compute.PartPlan;
import io.fabricstitch.ignite.compute.PartitionedResult;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.Reducer;
import io.fabricstitch.ignite.compute.Splitter;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
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

    /** Bytes of {@code matmul.f32}'s input header (int32 m, k, n) and of its output header (int32 m, n). */
    private static final int MATMUL_IN_HEADER = 12;
    private static final int MATMUL_OUT_HEADER = 8;

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
    private final List<Workload> workloads;
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
                workloads = List.of(new Blur());
                break;
            case "matmul":
                workloads = List.of(new Matmul());
                break;
            case "both":
                workloads = List.of(new Blur(), new Matmul());
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
        PartitionedBenchmark b;
        try {
            b = new PartitionedBenchmark(options(args), System.out, System.err);
        }
        catch (IllegalArgumentException e) {
            System.err.println("PartitionedBenchmark: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        System.setProperty("IGNITE_QUIET", "true");
        int code;
        try {
            b.run();
            code = 0;
        }
        catch (Exception | Error e) {
            System.out.flush();
            System.err.println("PartitionedBenchmark: FAILED: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private void run() throws Exception {
        long begin = System.nanoTime();
        loadBefore = loadAverage();
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
            for (Workload w : workloads) {
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
    private void measure(FabricCompute compute, Workload w, byte[] input, FabricEntry fastest, long begin,
        long sectionBegin) {
        TaskRequest whole = TaskRequest.builder(w.function).fabricTypes(types).amount(1)
            .priority(PriorityClass.BATCH).fabric(fastest.getFabricId()).input(input).timeout(TIMEOUT).build();
        TaskRequest perPart = TaskRequest.builder(w.function).fabricTypes(types).amount(1)
            .priority(PriorityClass.BATCH).timeout(TIMEOUT).build();
        byte[] reference = null;
        List<Round> measured = new ArrayList<>();
        for (int r = 0; r < warmup + rounds; r++) {
            boolean oneFirst = r % 2 == 0;
            Round round = new Round(r < warmup ? "warm-up " + (r + 1) : String.valueOf(r - warmup + 1), oneFirst);
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

    private void one(FabricCompute compute, TaskRequest whole, Round round) {
        long t0 = System.nanoTime();
        TaskResult r = compute.execute(whole);
        round.oneMs = ms(System.nanoTime() - t0);
        round.one = r;
    }

    private void partitioned(FabricCompute compute, Workload w, TaskRequest perPart, byte[] input, Round round) {
        Cutter cutter = w.cutter();
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
    private static byte[] check(Workload w, Round round, byte[] reference) {
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

    private static String difference(Workload w, byte[] a, byte[] b) {
        int at = Arrays.mismatch(a, b);
        return a.length + " vs " + b.length + " bytes, first difference at byte " + at + w.where(a, b, at);
    }

    /** The data paths of a round's parts, e.g. {@code DIRECT x2, JOB x1}. */
    private static String partPaths(Round r) {
        Map<String, Integer> count = new LinkedHashMap<>();
        r.result.placements().forEach(p -> count.merge(p.dataPath().path().name(), 1, Integer::sum));
        return count.entrySet().stream().map(e -> e.getKey() + " ×" + e.getValue())
            .collect(Collectors.joining(", "));
    }

    private void print(Workload w, byte[] input, FabricEntry fastest, List<Round> measured, int outputBytes,
        long begin, long sectionBegin) {
        out.println();
        out.println("### " + w.title + " (PartitionedBenchmark)");
        out.println();
        out.println("- **Machine**: " + machine() + "; load average (1 min) " + loadBefore + " before the run, "
            + loadAverage() + " after this section.");
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

    private void printPlan(Round first) {
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

    private void printRounds(Workload w, List<Round> measured) {
        Set<UUID> planned = sharesOf(measured.get(0)).keySet();
        out.println("| Round | Order | One fabric | Partitioned | Ratio | of which split | of which parts | of which "
            + "reduce | Parts | Data paths (one; parts) | Output |");
        out.println("|---:|---|---:|---:|---:|---:|---:|---:|---|---|---|");
        for (Round r : measured) {
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
            median(measured, Round::partsMs), median(measured, r -> r.reduceMs));
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
            median(measured, r -> r.oneMs) / median(measured, Round::partsMs), shareDrift(measured));
    }

    /** The largest change of a fabric's share from round 1, over the rounds whose plan has the same fabrics. */
    private static double shareDrift(List<Round> measured) {
        Map<UUID, Double> first = sharesOf(measured.get(0));
        double drift = 0;
        for (Round r : measured) {
            Map<UUID, Double> shares = sharesOf(r);
            if (shares.keySet().equals(first.keySet())) {
                for (Map.Entry<UUID, Double> e : shares.entrySet())
                    drift = Math.max(drift, Math.abs(e.getValue() - first.get(e.getKey())));
            }
        }
        return drift;
    }

    /** Each fabric of a round's plan with its share. */
    private static Map<UUID, Double> sharesOf(Round r) {
        Map<UUID, Double> shares = new HashMap<>();
        r.result.plan().forEach(p -> shares.put(p.fabric().getFabricId(), p.share()));
        return shares;
    }

    /** The fabrics of a round's plan, with their shares, as one line. */
    private String planText(Round r) {
        return r.result.plan().stream().map(p -> String.format(Locale.ROOT, "%s %s on %s %.3f",
            p.fabric().getFabricType(), p.fabric().getModel(), nodeName(p.fabric().getNodeId()), p.share()))
            .collect(Collectors.joining(", "));
    }

    /** Whether a part of the round ran elsewhere than planned (it failed over). */
    private static boolean moved(Round r) {
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

    /** One workload: its function, its generated input, and how {@code map()} cuts and stitches it. */
    private abstract static class Workload {
        /** The {@code --function} value naming it. */
        final String key;
        final String function;
        /** The section's heading. */
        final String title;
        /** What the splitter and the reducer spend their time on. */
        final String splitText;

        Workload(String key, String function, String title, String splitText) {
            this.key = key;
            this.function = function;
            this.title = title;
            this.splitText = splitText;
        }

        /** The input, the same every run. */
        abstract byte[] generate();

        /** The generated input, in a few words, for the progress lines. */
        abstract String generated(byte[] input);

        /** A new splitter and reducer, for one task. */
        abstract Cutter cutter();

        /** The input and the output, for the section's header. */
        abstract String inputText(byte[] input, int outputBytes);

        /** What the splitter and the reducer do, after "map() with". */
        abstract String cutText();

        /** Where byte {@code at}, the first that differs between two outputs, lies, or "". */
        String where(byte[] a, byte[] b, int at) {
            return "";
        }
    }

    /** {@code image.gaussian-blur} of a generated {@code --size} PNG, in strips with halos. */
    private final class Blur extends Workload {
        Blur() {
            super("blur", GaussianBlurFunction.NAME, "Partitioned blur against one fabric", "decoding and encoding "
                + "PNGs");
        }

        @Override
        byte[] generate() {
            return image(size);
        }

        @Override
        String generated(byte[] input) {
            return String.format(Locale.ROOT, "a %dx%d PNG of %d bytes", size, size, input.length);
        }

        @Override
        Cutter cutter() {
            return new Strips();
        }

        @Override
        String inputText(byte[] input, int outputBytes) {
            return String.format(Locale.ROOT, "a generated %dx%d PNG of %,d bytes; output %,d bytes of PNG", size, size,
                input.length, outputBytes);
        }

        @Override
        String cutText() {
            return "a splitter and reducer that cut the PNG into strips with a " + GaussianBlurFunction.RADIUS
                + "-row halo and stitch them";
        }
    }

    /** {@code matmul.f32} of two generated {@code --matrix} square matrices, by row blocks of A. */
    private final class Matmul extends Workload {
        Matmul() {
            super("matmul", MatmulF32Function.NAME, "Partitioned matrix product against one fabric", "copying rows of "
                + "A, all of B and rows of C between byte arrays");
        }

        @Override
        byte[] generate() {
            return matrices(matrix);
        }

        @Override
        String generated(byte[] input) {
            return String.format(Locale.ROOT, "A and B, %dx%d float32 each, %d bytes of input", matrix, matrix,
                input.length);
        }

        @Override
        Cutter cutter() {
            return new RowBlocks();
        }

        @Override
        String inputText(byte[] input, int outputBytes) {
            return String.format(Locale.ROOT, "C = A×B of two generated %dx%d float32 matrices (seeded, uniform in "
                + "[-1, 1)), %,d bytes in (m, k, n, A, B); output %,d bytes (m, n, C)", matrix, matrix, input.length,
                outputBytes);
        }

        @Override
        String cutText() {
            return "a splitter that gives each part its block of rows of A and all of B, in the function's input "
                + "format, and a reducer that concatenates the parts' rows of C in order under one (m, n) header";
        }

        @Override
        String where(byte[] a, byte[] b, int at) {
            if (at < MATMUL_OUT_HEADER || at >= Math.min(a.length, b.length))
                return " (in the header or past the end of the shorter)";
            int n = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
            int e = (at - MATMUL_OUT_HEADER) / 4;
            int off = MATMUL_OUT_HEADER + 4 * e;
            return String.format(Locale.ROOT, " (C[%d][%d]: %s vs %s)", e / n, e % n,
                Float.toString(ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getFloat(off)),
                Float.toString(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getFloat(off)));
        }
    }

    /** A splitter and reducer for one task, with what they cut and how long they took. */
    private abstract static class Cutter implements Splitter<byte[]>, Reducer<byte[]> {
        /** Per part: its first row, the row after its last, the first row of its input (halo included). */
        final List<int[]> rows = new ArrayList<>();
        /** Per part: the bytes of its input. */
        final List<Integer> inputBytes = new ArrayList<>();
        long splitNanos;
        long reduceNanos;
    }

    /**
     * Where {@code shares.size()} blocks of {@code total} rows begin, in proportion to the shares, each at least one
     * row long: block {@code i} is rows {@code b[i]} to {@code b[i + 1] - 1}.
     */
    private static int[] blocks(int total, List<Double> shares, String what) {
        int parts = shares.size();
        if (total < parts)
            throw new IllegalArgumentException(what + ": " + total + " rows for " + parts + " parts (expected: at "
                + "least one row per part)");
        int[] b = new int[parts + 1];
        double sum = 0;
        for (int i = 0; i < parts; i++) {
            sum += shares.get(i);
            b[i + 1] = i == parts - 1 ? total
                : Math.min(total - (parts - 1 - i), Math.max(b[i] + 1, (int)Math.round(sum * total)));
        }
        return b;
    }

    /**
     * Cuts a PNG into horizontal strips in proportion to the shares, each with a halo of the blur's radius above and
     * below so that its own rows blur as in the whole image; stitches the blurred strips without their halos and
     * encodes the result as the function encodes its output. One instance per task.
     */
    private static final class Strips extends Cutter {
        private static final int HALO = GaussianBlurFunction.RADIUS;

        private int width;
        private int height;

        @Override
        public List<byte[]> split(byte[] png, List<Double> shares) {
            long t0 = System.nanoTime();
            BufferedImage src = decode(png, "input");
            width = src.getWidth();
            height = src.getHeight();
            int[] b = blocks(height, shares, "image");
            List<byte[]> inputs = new ArrayList<>(shares.size());
            for (int i = 0; i < shares.size(); i++) {
                int from = b[i];
                int to = b[i + 1];
                int top = Math.max(0, from - HALO);
                int bottom = Math.min(height, to + HALO);
                int[] argb = src.getRGB(0, top, width, bottom - top, null, 0, width);
                BufferedImage strip = new BufferedImage(width, bottom - top, BufferedImage.TYPE_INT_ARGB);
                strip.setRGB(0, 0, width, bottom - top, argb, 0, width);
                byte[] in = encode(strip);
                inputs.add(in);
                rows.add(new int[] {from, to, top});
                inputBytes.add(in.length);
            }
            splitNanos = System.nanoTime() - t0;
            return inputs;
        }

        @Override
        public byte[] reduce(List<byte[]> outputs) {
            long t0 = System.nanoTime();
            if (outputs.size() != rows.size())
                throw new IllegalArgumentException("outputs: " + outputs.size() + " (expected: " + rows.size()
                    + ", one per strip)");
            BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            for (int i = 0; i < outputs.size(); i++) {
                BufferedImage part = decode(outputs.get(i), "output of part " + (i + 1));
                int[] r = rows.get(i);
                int[] argb = part.getRGB(0, r[0] - r[2], width, r[1] - r[0], null, 0, width);
                dst.setRGB(0, r[0], width, r[1] - r[0], argb, 0, width);
            }
            byte[] png = encode(dst);
            reduceNanos = System.nanoTime() - t0;
            return png;
        }
    }

    /**
     * Cuts a {@code matmul.f32} input by row blocks of A, in proportion to the shares: each part's input is
     * {@code (rows, k, n)}, its rows of A and all of B, so that it computes its rows of C exactly as the whole product
     * does (each row of C depends only on its row of A and on B, accumulated in the same order). Concatenates the
     * parts' rows of C, in order, under one {@code (m, n)} header: the whole product's output. One instance per task.
     */
    private static final class RowBlocks extends Cutter {
        private int m;
        private int n;

        @Override
        public List<byte[]> split(byte[] input, List<Double> shares) {
            long t0 = System.nanoTime();
            ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
            m = in.getInt(0);
            int k = in.getInt(4);
            n = in.getInt(8);
            long expected = MATMUL_IN_HEADER + 4L * ((long)m * k + (long)k * n);
            if (m < 1 || k < 1 || n < 1 || input.length != expected)
                throw new IllegalArgumentException("input: " + input.length + " bytes for m=" + m + ", k=" + k + ", n="
                    + n + " (expected: " + expected + " = 12 + 4*(m*k + k*n))");
            int[] b = blocks(m, shares, "matrix A");
            int bBytes = 4 * k * n;
            int bAt = MATMUL_IN_HEADER + 4 * m * k;
            List<byte[]> inputs = new ArrayList<>(shares.size());
            for (int i = 0; i < shares.size(); i++) {
                int rowsOfA = b[i + 1] - b[i];
                int aBytes = 4 * rowsOfA * k;
                byte[] part = new byte[MATMUL_IN_HEADER + aBytes + bBytes];
                ByteBuffer.wrap(part).order(ByteOrder.LITTLE_ENDIAN).putInt(rowsOfA).putInt(k).putInt(n);
                System.arraycopy(input, MATMUL_IN_HEADER + 4 * b[i] * k, part, MATMUL_IN_HEADER, aBytes);
                System.arraycopy(input, bAt, part, MATMUL_IN_HEADER + aBytes, bBytes);
                inputs.add(part);
                rows.add(new int[] {b[i], b[i + 1], b[i]});
                inputBytes.add(part.length);
            }
            splitNanos = System.nanoTime() - t0;
            return inputs;
        }

        @Override
        public byte[] reduce(List<byte[]> outputs) {
            long t0 = System.nanoTime();
            if (outputs.size() != rows.size())
                throw new IllegalArgumentException("outputs: " + outputs.size() + " (expected: " + rows.size()
                    + ", one per row block)");
            byte[] c = new byte[MATMUL_OUT_HEADER + 4 * m * n];
            ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(m).putInt(n);
            for (int i = 0; i < outputs.size(); i++) {
                byte[] o = outputs.get(i);
                int[] r = rows.get(i);
                int want = r[1] - r[0];
                ByteBuffer ob = ByteBuffer.wrap(o).order(ByteOrder.LITTLE_ENDIAN);
                if (o.length != MATMUL_OUT_HEADER + 4L * want * n || ob.getInt(0) != want || ob.getInt(4) != n)
                    throw new IllegalStateException("output of part " + (i + 1) + ": " + o.length + " bytes"
                        + (o.length >= MATMUL_OUT_HEADER ? ", m=" + ob.getInt(0) + ", n=" + ob.getInt(4) : "")
                        + " (expected: m=" + want + ", n=" + n + ", " + (MATMUL_OUT_HEADER + 4L * want * n)
                        + " bytes)");
                System.arraycopy(o, MATMUL_OUT_HEADER, c, MATMUL_OUT_HEADER + 4 * r[0] * n, 4 * want * n);
            }
            reduceNanos = System.nanoTime() - t0;
            return c;
        }
    }

    private static BufferedImage decode(byte[] png, String what) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            if (img == null)
                throw new IllegalArgumentException(what + ": not a PNG (expected: PNG bytes)");
            return img;
        }
        catch (IOException e) {
            throw new UncheckedIOException(what + ": unreadable PNG", e);
        }
    }

    /** PNG bytes as {@code image.gaussian-blur} writes them: the JDK's writer with its defaults. */
    private static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(img, "png", out))
                throw new IllegalStateException("no PNG writer in this JVM");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A {@code size x size} test image, the same every run: colour gradients, a few shapes and seeded noise of a few
     * levels, so that the PNG does not compress to nothing.
     */
    static byte[] image(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(5);
        int[] row = new int[size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int n = rnd.nextInt(9) - 4;
                int r = clamp(x * 255 / size + n);
                int g = clamp(y * 255 / size - n);
                int b = clamp(128 + (int)(60 * Math.sin((x + 2 * y) / 37.0)) + n);
                row[x] = r << 16 | g << 8 | b;
            }
            img.setRGB(0, y, size, 1, row, 0, size);
        }
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillOval(size / 4, size / 4, size / 2, size / 2);
            g.setColor(Color.BLACK);
            g.fillRect(size / 3, size / 2 - size / 64, size / 3, size / 32);
        }
        finally {
            g.dispose();
        }
        return encode(img);
    }

    /**
     * A {@code matmul.f32} input for A and B of {@code n x n}, the same every run: seeded floats uniform in
     * {@code [-1, 1)}, A then B.
     */
    static byte[] matrices(int n) {
        ByteBuffer b = ByteBuffer.allocate(MATMUL_IN_HEADER + 8 * n * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(n).putInt(n);
        Random rnd = new Random(5);
        for (int i = 0; i < 2 * n * n; i++)
            b.putFloat(rnd.nextFloat() * 2 - 1);
        return b.array();
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }

    /** One round: both cases' times and results. */
    private static final class Round {
        final String label;
        final boolean oneFirst;
        double oneMs;
        double mapMs;
        double splitMs;
        double reduceMs;
        List<int[]> rows;
        List<Integer> inputBytes;
        int oneInputBytes;
        TaskResult one;
        PartitionedResult<byte[]> result;

        /** The time of map() outside the splitter and the reducer: placing, running and collecting the parts. */
        double partsMs() {
            return mapMs - splitMs - reduceMs;
        }

        Round(String label, boolean oneFirst) {
            this.label = label;
            this.oneFirst = oneFirst;
        }
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

    /** The 1-minute load average of this machine, as {@code /proc/loadavg} gives it, or "unknown". */
    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        }
        catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static double median(List<Round> rounds, java.util.function.ToDoubleFunction<Round> value) {
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
