package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.benchmarks.ResultTable;
import io.fabricstitch.benchmarks.Figure;
import io.fabricstitch.benchmarks.AdaptiveBenchmark;
import io.fabricstitch.benchmarks.DataPathBenchmark;
import io.fabricstitch.benchmarks.LoadAverage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Every figure of BENCHMARKS.md in one run on one machine, each next to its aim: selection scaling (JMH), data-path
 * throughput, placement quality of Fabric Stitch against Ignite's built-in load balancers and the lower bound,
 * routing overhead, discovery and failover, reserving-path throughput, the Fabric Map at scale. Progress goes to standard error; the machine, the workload and the
 * Markdown table go to standard output (and to {@code --markdown FILE}). See {@link SuiteOptions#USAGE}.
 * <p>
 * Its clusters use loopback ports of their own: placement from {@value HeterogeneousCluster.PortBlock#PLACEMENT_FIRST_PORT}
 * on, discovery and failover {@value #DISCOVERY_PORT} (discovery), {@value #COMMUNICATION_PORT} (communication) and
 * {@value #CLIENT_PORT} (thin/JDBC), ten of each, unless the {@code fabric.test.*Port} properties are given.
 */
public final class BenchmarkSuite {
    static final int DISCOVERY_PORT = 51500;
    static final int COMMUNICATION_PORT = 51100;
    static final int CLIENT_PORT = 51800;

    private final SuiteOptions opts;
    private final PrintStream progress;

    private BenchmarkSuite(SuiteOptions opts, PrintStream progress) {
        this.opts = opts;
        this.progress = progress;
    }

    public static void main(String[] args) {
        SuiteOptions opts;
        try {
            opts = SuiteOptions.parse(args);
        }
        catch (IllegalArgumentException e) {
            System.err.println("BenchmarkSuite: " + e.getMessage());
            System.err.println(SuiteOptions.USAGE);
            System.exit(2);
            return;
        }
        // Before anything loads FabricTestCluster: the discovery and failover clusters (and their child JVMs) move here.
        System.setProperty("fabric.test.discoveryPort", System.getProperty("fabric.test.discoveryPort",
            String.valueOf(DISCOVERY_PORT)));
        System.setProperty("fabric.test.communicationPort", System.getProperty("fabric.test.communicationPort",
            String.valueOf(COMMUNICATION_PORT)));
        System.setProperty("fabric.test.clientPort", System.getProperty("fabric.test.clientPort",
            String.valueOf(CLIENT_PORT)));
        System.setProperty("IGNITE_QUIET", "true");
        int code;
        try {
            new BenchmarkSuite(opts, System.err).run(System.out);
            code = 0;
        }
        catch (Exception | Error e) {
            System.out.flush();
            System.err.println("BenchmarkSuite: FAILED: " + e);
            e.printStackTrace();
            code = 1;
        }
        System.exit(code);
    }

    private void run(PrintStream out) throws Exception {
        long begin = System.nanoTime();
        String loadBefore = LoadAverage.oneMinute();
        List<Figure> figures = new ArrayList<>();
        List<BenchTask> batch = PlacementWorkload.generate(opts.tasks(), opts.seed());
        List<String> notes = new ArrayList<>();
        if (opts.runs(SuiteOptions.Part.SELECTION)) {
            progress.println("selection scaling: 9 JMH cases, one fork (about 2 minutes)");
            figures.addAll(SuiteFigures.selection(SelectionScaling.measure(2, 3)));
        }
        if (opts.runs(SuiteOptions.Part.DATAPATH)) {
            progress.println("data paths: " + opts.dataPathMib() + " MiB rounds");
            DataPathBenchmark.Figures dataPath = DataPathBenchmark.run(opts.dataPathMib(),
                DataPathBenchmark.DFLT_ROUNDS, DataPathBenchmark.WARM_UP_MIB, null,
                new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            figures.addAll(SuiteFigures.dataPath(dataPath, opts.dataPathMib()));
        }
        if (opts.runs(SuiteOptions.Part.PLACEMENT) || opts.runs(SuiteOptions.Part.OVERHEAD))
            figures.addAll(placementAndOverhead(batch, notes));
        if (opts.runs(SuiteOptions.Part.ADAPTIVE)) {
            progress.println("discovery and failover: " + opts.adaptiveRuns() + " runs each");
            figures.addAll(SuiteFigures.adaptive(AdaptiveBenchmark.measure(opts.adaptiveRuns(), progress)));
        }
        if (opts.runs(SuiteOptions.Part.THROUGHPUT)) {
            progress.println("reserving-path throughput: async and sync against plain compute (about 2 minutes)");
            figures.addAll(io.fabricstitch.benchmarks.throughput.ReservingPathBenchmark.suiteFigures(progress));
        }
        if (opts.runs(SuiteOptions.Part.MAP)) {
            progress.println("Fabric Map at scale: 8 servers with 4, 200 and 1 250 fabrics each (about 5 minutes)");
            figures.addAll(io.fabricstitch.benchmarks.map.MapScaleBenchmark.suiteFigures(progress));
        }
        String table = ResultTable.markdown(figures);
        StringBuilder report = new StringBuilder();
        report.append(String.format(Locale.ROOT, "Machine: %s%n", Machine.describe()));
        report.append(String.format(Locale.ROOT, "Load average (1 min) before: %s, after: %s; the run took %.0f s.%n",
            loadBefore, LoadAverage.oneMinute(), (System.nanoTime() - begin) / 1e9));
        report.append(String.format(Locale.ROOT, "Options: %s%n", String.join(" ", optionsText())));
        if (opts.runs(SuiteOptions.Part.PLACEMENT)) {
            report.append(String.format(Locale.ROOT, "Placement batch: %d tasks (seed %d), %.0f work units; devices: "
                + "%s.%n", batch.size(), opts.seed(), PlacementWorkload.totalWork(batch), devicesText()));
        }
        for (String n : notes)
            report.append(n).append(System.lineSeparator());
        report.append(System.lineSeparator()).append(table).append(System.lineSeparator())
            .append(ResultTable.summary(figures)).append('.').append(System.lineSeparator());
        out.print(report);
        out.flush();
        if (opts.markdown() != null) {
            Files.writeString(opts.markdown(), report.toString(), StandardCharsets.UTF_8);
            progress.println("table written to " + opts.markdown().toAbsolutePath());
        }
    }

    /** Each policy on a cluster of its own; the overhead figure on the Fabric Stitch cluster, before its batch. */
    private List<Figure> placementAndOverhead(List<BenchTask> batch, List<String> notes) throws Exception {
        List<Figure> figures = new ArrayList<>();
        List<PlacementResult> results = new ArrayList<>();
        for (Policy p : Policy.values()) {
            if (p != Policy.FABRIC_STITCH && !opts.runs(SuiteOptions.Part.PLACEMENT))
                continue;
            try (HeterogeneousCluster cluster = HeterogeneousCluster.start(p, Math.max(1024, 2 * batch.size()),
                progress)) {
                if (p == Policy.FABRIC_STITCH && opts.runs(SuiteOptions.Part.OVERHEAD)) {
                    int warmUp = Math.min(2 * opts.overheadRounds(), 4_000); // the JIT settles the task path late
                    figures.addAll(SuiteFigures.overhead(RoutingOverhead.measure(cluster, warmUp,
                        opts.overheadRounds(), progress), opts.overheadRounds()));
                }
                if (opts.runs(SuiteOptions.Part.PLACEMENT)) {
                    PlacementResult r = PlacementRun.run(cluster, p, batch, progress);
                    results.add(r);
                    notes.add(String.format(Locale.ROOT, "%s: tasks per device %s, work units per device %s",
                        p.label(), r.tasksByDevice(), rounded(r.workByDevice())));
                }
            }
        }
        if (!results.isEmpty()) {
            List<Device> devices = HeterogeneousCluster.DEVICES;
            List<Figure> placement = SuiteFigures.placement(LowerBound.of(batch, devices),
                LowerBound.workOverCapacity(batch, devices), LowerBound.longestTask(batch, devices), results);
            placement.addAll(figures);
            return placement;
        }
        return figures;
    }

    private List<String> optionsText() {
        return List.of("--tasks", String.valueOf(opts.tasks()), "--seed", String.valueOf(opts.seed()),
            "--overhead-rounds", String.valueOf(opts.overheadRounds()), "--adaptive-runs",
            String.valueOf(opts.adaptiveRuns()), "--data-path-mib", String.valueOf(opts.dataPathMib()), "--only",
            opts.parts().toString().toLowerCase(Locale.ROOT).replace(" ", "").replace("[", "").replace("]", ""));
    }

    private static String devicesText() {
        StringBuilder sb = new StringBuilder();
        for (Device d : HeterogeneousCluster.DEVICES) {
            if (sb.length() > 0)
                sb.append("; ");
            sb.append(d.describe());
        }
        return sb.toString();
    }

    private static String rounded(java.util.Map<String, Double> m) {
        StringBuilder sb = new StringBuilder("{");
        m.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(k).append('=').append(Math.round(v)));
        return sb.append('}').toString();
    }

    /** What the run ran on. */
    static final class Machine {
        private Machine() {
        }

        /** Cores, CPU model, memory, JVM, in one line. */
        static String describe() {
            String cpu = "unknown CPU";
            try {
                cpu = Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(cpu);
            }
            catch (IOException | RuntimeException ignored) {
                // Not Linux: the model stays unknown.
            }
            long memory = -1;
            java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
            if (os instanceof com.sun.management.OperatingSystemMXBean)
                memory = ((com.sun.management.OperatingSystemMXBean)os).getTotalMemorySize();
            return String.format(Locale.ROOT, "%d cores, CPU `%s`, %s memory, %s %s; JVM %s %s, max heap %d MiB",
                Runtime.getRuntime().availableProcessors(), cpu, memory < 0 ? "unknown" : String.format(Locale.ROOT,
                    "%.1f GiB", memory / (double)(1L << 30)), System.getProperty("os.name"),
                System.getProperty("os.arch"), System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() >> 20);
        }

    }
}
