package io.fabricstitch.benchmarks.map;

import io.fabricstitch.benchmarks.BenchmarkMain;
import io.fabricstitch.benchmarks.Figure;
import io.fabricstitch.benchmarks.LoadAverage;
import io.fabricstitch.benchmarks.LoopbackPorts;
import io.fabricstitch.benchmarks.Percentiles;
import io.fabricstitch.benchmarks.ResultTable;
import io.fabricstitch.benchmarks.throughput.Load;
import io.fabricstitch.ignite.FabricMapSchema;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;
import javax.cache.event.CacheEntryEvent;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCache;
import org.apache.ignite.cache.query.ContinuousQuery;
import org.apache.ignite.cache.query.QueryCursor;
import org.apache.ignite.cache.query.SqlFieldsQuery;

/**
 * The Fabric Map at scale (issue 19), side by side in one run: {@value #SERVERS} server nodes in this JVM with 4, 200
 * and 1 250 declared GPU fabrics each (40 to 10 008 rows with each server's CPU), each fleet on a fresh cluster after
 * an unmeasured warm-up fleet, measuring
 * <ul>
 *     <li>start-up: the servers started one after the other, and until a client's map shows every fabric ONLINE;</li>
 *     <li>idle map writes per second: updates of {@code FABRIC_MAP} and {@code FABRIC_AGENT_HEARTBEAT} seen by the
 *     client's continuous queries over {@value #IDLE_SECONDS} s with no task running, and the JVM's CPU meanwhile;</li>
 *     <li>SQL: the first (cold) and the median of {@value #WARM_QUERIES} later (warm) runs of {@value #SQL};</li>
 *     <li>placement throughput: {@code FabricCompute.callAsync} of a trivial job, {@value #TASKS} tasks,
 *     {@value #IN_FLIGHT} in flight, from the client.</li>
 * </ul>
 * Aims: idle writes per second within {@value #IDLE_AIM}x from the smallest fleet to the largest, start-up to routable
 * of the largest under {@value #STARTUP_AIM}x the smallest's. Ports: {@code fabric.test.discoveryPort},
 * {@code fabric.test.communicationPort}, {@code fabric.test.clientPort}, else {@value #DISCOVERY_PORT},
 * {@value #COMMUNICATION_PORT} and {@value #CLIENT_PORT}. Progress to standard error, the report to standard output.
 */
public final class MapScaleBenchmark {
    static final int DISCOVERY_PORT = 53900;
    static final int COMMUNICATION_PORT = 53400;
    static final int CLIENT_PORT = 13900;
    static final int SERVERS = 8;
    static final List<Integer> FLEETS = List.of(4, 200, 1250);
    static final int IDLE_SECONDS = 10;
    static final int WARM_QUERIES = 20;
    static final int TASKS = 2000;
    static final int IN_FLIGHT = 64;
    static final double IDLE_AIM = 2.0;
    static final double STARTUP_AIM = 2.0;
    static final long ONLINE_LIMIT_S = 300;
    static final String SQL = "SELECT COUNT(*), SUM(RESOURCE_FREE) FROM FABRIC.FABRIC_ENTRY";
    static final String COMMAND = "java @examples/target/fabric.jvm-options "
        + "-Djava.util.logging.config.file=config/java.util.logging.properties "
        + "-cp benchmarks/target/benchmarks.jar io.fabricstitch.benchmarks.map.MapScaleBenchmark";
    static final String USAGE = "usage: MapScaleBenchmark [--fabrics N,N,...] [--markdown FILE]  (fabrics per server, "
        + "1..2000 each; default 4,200,1250)";

    private final PrintStream progress;

    MapScaleBenchmark(PrintStream progress) {
        this.progress = progress;
    }

    /** What one fleet measured. */
    record Fleet(int perServer, double serversUpS, double onlineS, double mapWritesPerS, double heartbeatsPerS,
        double idleCores, double coldSqlMs, double warmSqlMs, long sqlRows, double placementsPerS, double p50Ms) {
        /** Rows of {@code FABRIC_ENTRY}: the declared fabrics and each server's CPU. */
        int rows() {
            return (perServer + 1) * SERVERS;
        }

        double idleWritesPerS() {
            return mapWritesPerS + heartbeatsPerS;
        }
    }

    public static void main(String[] args) {
        BenchmarkMain.main("MapScaleBenchmark", USAGE, () -> Options.parse(args), opts -> {
            long begin = System.nanoTime();
            String loadBefore = LoadAverage.oneMinute();
            List<Figure> figures = new MapScaleBenchmark(System.err).measure(opts.fleets(),
                LoopbackPorts.fromProperties(DISCOVERY_PORT, COMMUNICATION_PORT, CLIENT_PORT, MapFleet.RANGE));
            BenchmarkMain.report(report(opts.fleets(), figures, loadBefore, (System.nanoTime() - begin) / 1e9),
                opts.markdown());
        });
    }

    /** The command line: fabrics per server of each fleet, and where to write the Markdown (null: nowhere). */
    private record Options(List<Integer> fleets, Path markdown) {
        static Options parse(String[] args) {
            List<Integer> fleets = FLEETS;
            Path markdown = null;
            for (int i = 0; i < args.length; i += 2) {
                if (i + 1 >= args.length)
                    throw new IllegalArgumentException(args[i] + ": no value (expected: " + args[i] + " VALUE)");
                if (args[i].equals("--fabrics"))
                    fleets = MapScaleBenchmark.fleets(args[i + 1]);
                else if (args[i].equals("--markdown"))
                    markdown = Path.of(args[i + 1]);
                else
                    throw new IllegalArgumentException("unknown option '" + args[i] + "' (expected: --fabrics, "
                        + "--markdown)");
            }
            return new Options(fleets, markdown);
        }
    }

    /** Fabrics per server, comma-separated. */
    static List<Integer> fleets(String text) {
        List<Integer> out = new ArrayList<>();
        for (String s : text.split(",")) {
            try {
                int n = Integer.parseInt(s.trim());
                if (n < 1 || n > 2000)
                    throw new NumberFormatException();
                out.add(n);
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("--fabrics: '" + text + "' (expected: fabrics per server, 1..2000 "
                    + "each, comma-separated, e.g. 4,200,1250)");
            }
        }
        return out;
    }

    /** The rows for {@code BenchmarkSuite}: the default fleets on this benchmark's default ports. */
    public static List<Figure> suiteFigures(PrintStream progress) throws Exception {
        return new MapScaleBenchmark(progress).measure(FLEETS, new LoopbackPorts(DISCOVERY_PORT, COMMUNICATION_PORT, CLIENT_PORT,
            MapFleet.RANGE));
    }

    List<Figure> measure(List<Integer> fleets, LoopbackPorts ports)
        throws Exception {
        List<Fleet> runs = new ArrayList<>();
        progress.println("warm-up: one unmeasured fleet of " + fleets.get(0) + " fabrics per server, so that the first "
            + "measured fleet does not pay for the JVM's warm-up alone");
        fleet(fleets.get(0), ports);
        for (int perServer : fleets)
            runs.add(fleet(perServer, ports));
        return figures(runs);
    }

    private Fleet fleet(int perServer, LoopbackPorts ports) throws Exception {
        try (MapFleet fleet = new MapFleet(ports)) {
            long t0 = System.nanoTime();
            fleet.startServers(SERVERS, perServer);
            double up = (System.nanoTime() - t0) / 1e9;
            Ignite client = fleet.startClient();
            fleet.awaitOnline(SERVERS * perServer, ONLINE_LIMIT_S);
            double online = (System.nanoTime() - t0) / 1e9;
            progress.printf(Locale.ROOT, "%d x %d fabrics: servers up in %.1f s, all ONLINE in the client's map after "
                + "%.1f s (%s)%n", SERVERS, perServer, up, online, fleet.ports());
            Thread.sleep(3_000); // the joins' last writes (calibration, latencies) settle
            double[] idle = idle(client);
            progress.printf(Locale.ROOT, "  idle: %.1f map writes/s, %.1f heartbeats/s, %.2f cores%n", idle[0], idle[1],
                idle[2]);
            IgniteCache<?, ?> map = client.cache(FabricMapSchema.FABRIC_MAP_CACHE);
            long q0 = System.nanoTime();
            List<List<?>> first = map.query(new SqlFieldsQuery(SQL)).getAll();
            double cold = (System.nanoTime() - q0) / 1e6;
            double[] warm = new double[WARM_QUERIES];
            for (int i = 0; i < WARM_QUERIES; i++) {
                long w0 = System.nanoTime();
                map.query(new SqlFieldsQuery(SQL)).getAll();
                warm[i] = (System.nanoTime() - w0) / 1e6;
            }
            long rows = ((Number)first.get(0).get(0)).longValue();
            progress.printf(Locale.ROOT, "  SQL: cold %.1f ms, warm %.2f ms (%d rows)%n", cold,
                Percentiles.of(warm).median(), rows);
            Load.async(Load.Path.FABRIC_COMPUTE, List.of(client), TASKS / 4, IN_FLIGHT); // warm-up
            Load.Run run = Load.async(Load.Path.FABRIC_COMPUTE, List.of(client), TASKS, IN_FLIGHT);
            progress.printf(Locale.ROOT, "  placement: %,.0f tasks/s, p50 %.1f ms%n", run.perSecond(),
                run.latencyMs().at(50));
            return new Fleet(perServer, up, online, idle[0], idle[1], idle[2], cold, Percentiles.of(warm).median(),
                rows, run.perSecond(), run.latencyMs().at(50));
        }
    }

    /** Map writes per second, heartbeat writes per second and JVM cores over {@value #IDLE_SECONDS} idle seconds. */
    private static double[] idle(Ignite client) throws InterruptedException {
        AtomicLong mapWrites = new AtomicLong();
        AtomicLong beats = new AtomicLong();
        List<QueryCursor<?>> cursors = new ArrayList<>();
        cursors.add(count(client.cache(FabricMapSchema.FABRIC_MAP_CACHE), mapWrites));
        IgniteCache<Object, Object> heartbeats = client.cache("FABRIC_AGENT_HEARTBEAT"); // absent before issue 19
        if (heartbeats != null)
            cursors.add(count(heartbeats, beats));
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(IDLE_SECONDS * 1000L);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cores = (cpuNanos() - cpu0) / 1e9 / seconds;
        double[] out = {mapWrites.get() / seconds, beats.get() / seconds, cores};
        cursors.forEach(QueryCursor::close);
        return out;
    }

    private static <K, V> QueryCursor<?> count(IgniteCache<K, V> cache, AtomicLong counter) {
        ContinuousQuery<K, V> q = new ContinuousQuery<>();
        q.setLocalListener(events -> {
            for (CacheEntryEvent<? extends K, ? extends V> ignored : events)
                counter.incrementAndGet();
        });
        return cache.query(q);
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
            ? ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : 0;
    }

    /** One row per fleet and figure, then the two judged rows. */
    static List<Figure> figures(List<Fleet> runs) {
        List<Figure> out = new ArrayList<>();
        for (Fleet f : runs) {
            String who = fmt("%d servers x %,d fabrics (%,d rows with the CPUs)", SERVERS, f.perServer(), f.rows());
            out.add(Figure.context("Start-up, " + who, fmt("servers up %.1f s; all ONLINE in a client's map %.1f s",
                f.serversUpS(), f.onlineS()), "(servers started one after the other)"));
            out.add(Figure.context("Idle, " + who, fmt("%.1f map writes/s (FABRIC_MAP %.1f + heartbeats %.1f); JVM "
                + "CPU %.2f cores", f.idleWritesPerS(), f.mapWritesPerS(), f.heartbeatsPerS(), f.idleCores()),
                fmt("(over %d s, no task running)", IDLE_SECONDS)));
            out.add(Figure.context("SQL, " + who, fmt("cold %.1f ms, warm %.2f ms (median of %d), %,d rows counted",
                f.coldSqlMs(), f.warmSqlMs(), WARM_QUERIES, f.sqlRows()), "`" + SQL + "` from the client"));
            out.add(Figure.context("Placement, " + who, fmt("%,.0f tasks/s, p50 %.1f ms", f.placementsPerS(),
                f.p50Ms()), fmt("(FabricCompute.callAsync, %,d tasks, %d in flight)", TASKS, IN_FLIGHT)));
        }
        if (runs.size() >= 2) {
            Fleet small = runs.get(0);
            Fleet large = runs.get(runs.size() - 1);
            double idle = large.idleWritesPerS() / Math.max(0.1, small.idleWritesPerS());
            out.add(Figure.judged(fmt("Idle map writes/s, %,d rows against %,d", large.rows(), small.rows()),
                fmt("%.1f against %.1f = %.2fx", large.idleWritesPerS(), small.idleWritesPerS(), idle),
                fmt("within %.0fx", IDLE_AIM), idle <= IDLE_AIM && idle >= 1 / IDLE_AIM));
            double startup = large.onlineS() / small.onlineS();
            out.add(Figure.judged(fmt("Start-up to routable, %,d rows against %,d", large.rows(), small.rows()),
                fmt("%.1f s against %.1f s = %.2fx", large.onlineS(), small.onlineS(), startup),
                fmt("under %.0fx", STARTUP_AIM), startup < STARTUP_AIM));
        }
        return out;
    }

    static String report(List<Integer> fleets, List<Figure> figures, String loadBefore, double seconds) {
        StringBuilder sb = new StringBuilder();
        sb.append(fmt("Command: %s --fabrics %s%n", COMMAND, fleets.toString().replaceAll("[\\[\\] ]", "")));
        sb.append(fmt("Machine: %d cores; JVM %s %s, max heap %d MiB; all nodes in this one JVM%n",
            Runtime.getRuntime().availableProcessors(), System.getProperty("java.vm.name"),
            System.getProperty("java.runtime.version"), Runtime.getRuntime().maxMemory() >> 20));
        sb.append(fmt("Load average (1 min) before: %s, after: %s; the run took %.0f s.%n%n", loadBefore, LoadAverage.oneMinute(),
            seconds));
        sb.append(ResultTable.markdown(figures)).append(System.lineSeparator()).append(ResultTable.summary(figures))
            .append('.').append(System.lineSeparator());
        return sb.toString();
    }

    static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
