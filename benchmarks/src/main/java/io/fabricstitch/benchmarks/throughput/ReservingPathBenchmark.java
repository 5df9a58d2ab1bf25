package io.fabricstitch.benchmarks.throughput;

import io.fabricstitch.benchmarks.BenchmarkMain;
import io.fabricstitch.benchmarks.Figure;
import io.fabricstitch.benchmarks.LoadAverage;
import io.fabricstitch.benchmarks.LoopbackPorts;
import io.fabricstitch.benchmarks.ResultTable;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import org.apache.ignite.Ignite;

/**
 * The reserving path against plain Ignite compute, side by side in one run (issue 17): the same trivial job sent
 * through {@code FabricCompute} and through {@code ignite.compute(ignite.cluster().forServers())} from a client node,
 * <ul>
 *     <li><b>async</b>: {@code --tasks} tasks with at most {@code --in-flight} in flight, tasks per second, p50 and
 *     p99 latency (submission to result), whole-JVM CPU per task; aim: FabricCompute ≥ 0.5× plain;</li>
 *     <li><b>sync</b>: {@code --sync-calls} calls from each of {@code --threads} thread counts; aim: FabricCompute
 *     p50 ≤ 1.5× plain;</li>
 *     <li><b>scaling</b>: FabricCompute async placements per second with each of {@code --callers} caller nodes
 *     (the tasks in flight split over them) on each of {@code --servers} server counts.</li>
 * </ul>
 * Every node runs in this JVM on loopback (the figures share its cores); every server declares
 * {@value ThroughputCluster#FABRICS_PER_SERVER} GPU fabrics of {@value ThroughputCluster#UNITS_PER_FABRIC} units
 * running {@value ThroughputCluster#FUNCTION}, so capacity never runs out and no task queues. Each measured run comes
 * after a warm-up run of its own. Ports: {@code fabric.test.discoveryPort}, {@code fabric.test.communicationPort},
 * {@code fabric.test.clientPort}, else {@value #DISCOVERY_PORT}, {@value #COMMUNICATION_PORT} and
 * {@value #CLIENT_PORT}. Progress goes to standard error, the report to standard output.
 */
public final class ReservingPathBenchmark {
    static final int DISCOVERY_PORT = 52700;
    static final int COMMUNICATION_PORT = 52300;
    static final int CLIENT_PORT = 12700;
    /** FabricCompute async throughput at least this times plain. */
    static final double ASYNC_AIM = 0.5;
    /** FabricCompute sync p50 at most this times plain. */
    static final double SYNC_AIM = 1.5;
    static final String COMMAND = "java @examples/target/fabric.jvm-options "
        + "-Djava.util.logging.config.file=config/java.util.logging.properties "
        + "-cp benchmarks/target/benchmarks.jar io.fabricstitch.benchmarks.throughput.ReservingPathBenchmark";

    private final ThroughputOptions opts;
    private final PrintStream progress;

    ReservingPathBenchmark(ThroughputOptions opts, PrintStream progress) {
        this.opts = opts;
        this.progress = progress;
    }

    public static void main(String[] args) {
        BenchmarkMain.main("ReservingPathBenchmark", ThroughputOptions.USAGE, () -> ThroughputOptions.parse(args),
            opts -> {
                long begin = System.nanoTime();
                String loadBefore = LoadAverage.line();
                List<Figure> figures = new ReservingPathBenchmark(opts, System.err).measure(LoopbackPorts
                    .fromProperties(DISCOVERY_PORT, COMMUNICATION_PORT, CLIENT_PORT, ThroughputOptions.MAX_NODES));
                BenchmarkMain.report(report(opts, figures, loadBefore, (System.nanoTime() - begin) / 1e9),
                    opts.markdown());
            });
    }

    /**
     * The two judged rows for {@code BenchmarkSuite} (async throughput and sync p50 at 1 and 16 threads against plain
     * compute), shrunk to about 2 minutes: 5 000 async tasks, 1 000 sync calls per thread count, 1 000 warm-up; on
     * this runner's default ports.
     */
    public static List<Figure> suiteFigures(PrintStream progress) throws Exception {
        ThroughputOptions opts = ThroughputOptions.parse("--tasks", "5000", "--sync-calls", "1000", "--warm-up",
            "1000", "--servers", "3", "--only", "async,sync");
        return new ReservingPathBenchmark(opts, progress).measure(new LoopbackPorts(DISCOVERY_PORT, COMMUNICATION_PORT,
            CLIENT_PORT, ThroughputOptions.MAX_NODES));
    }

    /** Runs the parts {@code opts} names on one cluster (ports from the given bases) and returns their rows. */
    List<Figure> measure(LoopbackPorts ports) throws Exception {
        List<Figure> figures = new ArrayList<>();
        int maxCallers = opts.runs(ThroughputOptions.Part.SCALING)
            ? opts.callers().stream().mapToInt(Integer::intValue).max().orElse(1) : 1;
        try (ThroughputCluster cluster = new ThroughputCluster(ports)) {
            long t0 = System.nanoTime();
            cluster.growServers(opts.servers().get(0));
            cluster.growCallers(maxCallers);
            progress.printf(Locale.ROOT, "%d servers and %d caller(s) up in %.1f s on %s%n", cluster.servers().size(),
                maxCallers, (System.nanoTime() - t0) / 1e9, cluster.ports());
            List<Ignite> one = cluster.callers(1);
            if (opts.runs(ThroughputOptions.Part.ASYNC))
                figures.addAll(async(one));
            if (opts.runs(ThroughputOptions.Part.SYNC)) {
                for (int threads : opts.threads())
                    figures.add(sync(one.get(0), threads));
            }
            if (opts.runs(ThroughputOptions.Part.SCALING))
                figures.addAll(scaling(cluster));
        }
        return figures;
    }

    private List<Figure> async(List<Ignite> caller) throws Exception {
        int servers = opts.servers().get(0);
        warmUpAsync(Load.Path.FABRIC_COMPUTE, caller);
        warmUpAsync(Load.Path.PLAIN, caller);
        Recording jfr = opts.jfr() == null ? null : startRecording();
        Load.Run fc = Load.async(Load.Path.FABRIC_COMPUTE, caller, opts.tasks(), opts.inFlight());
        if (jfr != null)
            stopRecording(jfr);
        log("async", Load.Path.FABRIC_COMPUTE, fc);
        settle();
        Load.Run plain = Load.async(Load.Path.PLAIN, caller, opts.tasks(), opts.inFlight());
        log("async", Load.Path.PLAIN, plain);
        settle();
        String what = fmt("Async: FabricCompute.callAsync against plain compute(forServers()).callAsync, %,d tasks, "
            + "%d in flight, 1 client caller, %d servers", opts.tasks(), opts.inFlight(), servers);
        return List.of(
            Figure.judged(what, fmt("%,.0f tasks/s = %.3f× plain (%,.0f tasks/s); p50 %.1f ms, p99 %.1f ms "
                + "(plain %.1f, %.1f ms); JVM CPU %.2f ms/task (plain %.3f)", fc.perSecond(), fc.perSecond()
                / plain.perSecond(), plain.perSecond(), fc.latencyMs().at(50), fc.latencyMs().at(99),
                plain.latencyMs().at(50), plain.latencyMs().at(99), fc.cpuMsPerTask(), plain.cpuMsPerTask()),
                fmt("≥ %.1f× plain", ASYNC_AIM), fc.perSecond() >= ASYNC_AIM * plain.perSecond())
        );
    }

    private Figure sync(Ignite caller, int threads) throws Exception {
        int warm = Math.min(opts.warmUp(), opts.syncCalls());
        if (warm > 0) {
            Load.sync(Load.Path.FABRIC_COMPUTE, caller, warm, threads);
            Load.sync(Load.Path.PLAIN, caller, warm, threads);
        }
        Load.Run fc = Load.sync(Load.Path.FABRIC_COMPUTE, caller, opts.syncCalls(), threads);
        log("sync T=" + threads, Load.Path.FABRIC_COMPUTE, fc);
        settle();
        Load.Run plain = Load.sync(Load.Path.PLAIN, caller, opts.syncCalls(), threads);
        log("sync T=" + threads, Load.Path.PLAIN, plain);
        settle();
        double ratio = fc.latencyMs().at(50) / plain.latencyMs().at(50);
        return Figure.judged(fmt("Sync: FabricCompute.call against plain call, %d thread%s, %,d calls, 1 client "
            + "caller, %d servers", threads, threads == 1 ? "" : "s", opts.syncCalls(), opts.servers().get(0)),
            fmt("p50 %.2f ms = %.2f× plain (%.2f ms); p99 %.2f ms = %.2f× (%.2f ms); %,.0f calls/s against %,.0f",
                fc.latencyMs().at(50), ratio, plain.latencyMs().at(50), fc.latencyMs().at(99), fc.latencyMs().at(99)
                / plain.latencyMs().at(99), plain.latencyMs().at(99), fc.perSecond(), plain.perSecond()),
            fmt("p50 ≤ %.1f× plain", SYNC_AIM), ratio <= SYNC_AIM);
    }

    private List<Figure> scaling(ThroughputCluster cluster) throws Exception {
        List<Figure> out = new ArrayList<>();
        for (int servers : opts.servers()) {
            cluster.growServers(servers);
            for (int callers : opts.callers()) {
                List<Ignite> group = cluster.callers(callers);
                warmUpAsync(Load.Path.FABRIC_COMPUTE, group);
                Load.Run r = Load.async(Load.Path.FABRIC_COMPUTE, group, opts.scalingTasks(), opts.inFlight());
                log(fmt("scaling %d servers, %d callers", servers, callers), Load.Path.FABRIC_COMPUTE, r);
                settle();
                out.add(Figure.context(fmt("Scaling: FabricCompute.callAsync placements per second, %d server%s, %d "
                    + "client caller%s, %,d tasks, %d in flight in all", servers, servers == 1 ? "" : "s", callers,
                    callers == 1 ? "" : "s", opts.scalingTasks(), opts.inFlight()), fmt("%,.0f/s; p50 %.1f ms, p99 "
                    + "%.1f ms; JVM CPU %.2f ms/task", r.perSecond(), r.latencyMs().at(50), r.latencyMs().at(99),
                    r.cpuMsPerTask()), "(scaling: flat means a shared ceiling)"));
            }
        }
        return out;
    }

    private void warmUpAsync(Load.Path path, List<Ignite> callers) throws InterruptedException {
        if (opts.warmUp() == 0)
            return;
        int warm = Math.max(opts.warmUp(), callers.size());
        Load.Run w = Load.async(path, callers, warm, opts.inFlight());
        progress.printf(Locale.ROOT, "  warm-up %s, %d caller(s): %,d tasks, %,.0f/s%n", path.label(), callers.size(),
            warm, w.perSecond());
        settle();
    }

    private Recording startRecording() throws IOException, java.text.ParseException {
        Recording r = new Recording(Configuration.getConfiguration("profile"));
        r.enable("jdk.JavaMonitorEnter").withThreshold(Duration.ofMillis(1)).withStackTrace();
        r.enable("jdk.ThreadPark").withThreshold(Duration.ofMillis(1)).withStackTrace();
        r.setName("reserving-path-async");
        r.start();
        return r;
    }

    private void stopRecording(Recording r) throws IOException {
        r.stop();
        r.dump(opts.jfr());
        r.close();
        progress.println("  JFR of the measured FabricCompute async run written to " + opts.jfr().toAbsolutePath());
    }

    /** A pause after each run, so that the ledger writer's trailing batches do not fall on the next run. */
    private static void settle() throws InterruptedException {
        Thread.sleep(1_000);
    }

    private void log(String what, Load.Path path, Load.Run r) {
        progress.printf(Locale.ROOT, "%s %s: %,d in %.0f ms = %,.0f/s; p50 %.2f ms, p99 %.2f ms; CPU %.3f ms/task%n",
            what, path.label(), r.tasks(), r.wallMs(), r.perSecond(), r.latencyMs().at(50), r.latencyMs().at(99),
            r.cpuMsPerTask());
    }

    static String report(ThroughputOptions opts, List<Figure> figures, String loadBefore, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(fmt("Command: %s %s%n", COMMAND, String.join(" ", opts.asArguments())));
        sb.append(fmt("Machine: %d cores, %s %s; JVM %s %s, max heap %d MiB; all nodes in this one JVM%n",
            Runtime.getRuntime().availableProcessors(), System.getProperty("os.name"), System.getProperty("os.arch"),
            System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
            Runtime.getRuntime().maxMemory() >> 20));
        sb.append(fmt("Load average (1 min) before: %s, after: %s; the run took %.0f s (JVM up %.0f s).%n%n",
            loadBefore, LoadAverage.line(), seconds, ManagementFactory.getRuntimeMXBean().getUptime() / 1000.0));
        sb.append(ResultTable.markdown(figures)).append(System.lineSeparator()).append(ResultTable.summary(figures))
            .append('.').append(System.lineSeparator());
        return sb.toString();
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
