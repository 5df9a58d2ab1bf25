package io.fabricstitch.benchmarks;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.net.Peer;
import io.fabricstitch.agent.net.PeerListener;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricFailoverSpi;
import io.fabricstitch.ignite.compute.FabricLoadBalancingSpi;
import io.fabricstitch.ignite.test.ChildNodeProcess;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.LongGpuJob;
import io.fabricstitch.model.FabricType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.lang.IgniteFuture;

/**
 * End-to-end figures of the adaptive plane, each over repeated runs (median and spread), on this machine:
 * <ul>
 *     <li><b>discovery</b>: a node joins a running 2-node cluster; from its agent's start to its fabric's row visible
 *     in SQL on another node, and to its agent being heard by beacon by another node's agent (and from
 *     {@code Ignition.start} to the row, the whole join);</li>
 *     <li><b>failover</b>: {@code kill -9} of the process running a long task, to the caller holding the result from
 *     the next-best fabric, through {@link FabricCompute} and through plain compute with {@link FabricFailoverSpi}.
 *     Every run starts a fresh victim process.</li>
 * </ul>
 * Run after {@code mvn -q -DskipTests package}, with the JVM flags Ignite needs:
 * {@code java @examples/target/fabric.jvm-options -cp benchmarks/target/benchmarks.jar
 * io.fabricstitch.benchmarks.AdaptiveBenchmark [--runs N]}. Prints a Markdown table with each aim next to its figure.
 */
public final class AdaptiveBenchmark {
    private final int runs;
    private final PrintStream out;

    private AdaptiveBenchmark(int runs, PrintStream out) {
        this.runs = runs;
        this.out = out;
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--runs"))
                runs = Integer.parseInt(args[i + 1]);
            else
                throw new IllegalArgumentException("unknown option " + args[i] + " (expected: --runs N)");
        }
        if (runs < 3 || runs > 100)
            throw new IllegalArgumentException("--runs: " + runs + " (expected: 3..100)");
        System.setProperty("IGNITE_QUIET", "true");
        Figures f = measure(runs, System.out);
        List<String[]> rows = new ArrayList<>();
        rows.add(row("Discovery: agent start to its fabric's row in SQL on another node", f.toRow(), "under 1 s"));
        rows.add(row("Discovery: agent start to heard by another node's agent (beacon)", f.toHeard(), "under 1 s"));
        rows.add(row("Discovery: Ignition.start of the joining node to its row in SQL (whole join)", f.joinToRow(),
            "(context)"));
        rows.add(row("Failover: kill -9 of the task's node to the result, FabricCompute (orchestrator re-places)",
            f.failoverCompute(), "under 2 s"));
        rows.add(row("Failover: kill -9 of the job's node to the result, plain compute with FabricFailoverSpi",
            f.failoverSpi(), "under 2 s"));
        rows.add(row("Failover under load: kill -9 of the task's node to the result, FabricCompute",
            f.loaded().longTask(), "(context: quiet figure above)"));
        rows.add(row("Failover under load: kill -9 to Ignite's verdict (EVT_NODE_FAILED at the caller)",
            f.loaded().verdict(), "(context)"));
        rows.add(row("Failover under load: kill -9 to the result of each moved stream task (all runs)",
            f.loaded().moved(), "(context)"));
        rows.add(row("Failover under load: kill -9 to the last placement on the dead node (runs with one)",
            f.loaded().lastPlacement(), "no later than the verdict"));
        rows.add(countRow("Failover under load: placements on the dead node after the kill, per run",
            f.loaded().placementsAfterKill()));
        rows.add(new String[] {"Failover under load: runs with no placement on the dead node after Ignite's verdict",
            String.valueOf(runs), f.loaded().stoppedByVerdict() + " of " + runs, "", "", "", "", "every run"});
        System.out.println();
        System.out.println("| Measurement | Runs | Median | Min | p25 | p75 | Max | Aim |");
        System.out.println("|---|---:|---:|---:|---:|---:|---:|---|");
        for (String[] r : rows)
            System.out.println("| " + String.join(" | ", r) + " |");
        System.exit(0);
    }

    /**
     * Every figure's samples in ms, one per run.
     *
     * @param toRow agent start to the joining fabric's row in SQL on another node
     * @param toHeard agent start to heard by another node's agent
     * @param joinToRow {@code Ignition.start} of the joining node to its row
     * @param failoverCompute kill -9 to the result, through FabricCompute
     * @param failoverSpi kill -9 to the result, through plain compute with FabricFailoverSpi
     */
    public record Figures(List<Double> toRow, List<Double> toHeard, List<Double> joinToRow,
        List<Double> failoverCompute, List<Double> failoverSpi, LoadedFailover loaded) {
    }

    /**
     * Runs discovery ({@code runs} + 1 joins, the first not counted) and failover ({@code runs} kills per path) on
     * the test clusters' ports ({@code FabricTestCluster}; the {@code fabric.test.*Port} properties move them).
     */
    public static Figures measure(int runs, PrintStream progress) throws Exception {
        AdaptiveBenchmark b = new AdaptiveBenchmark(runs, progress);
        List<List<Double>> d = b.discovery();
        List<List<Double>> f = b.failover();
        LoadedFailover loaded = new LoadedFailover(progress).measure(runs);
        return new Figures(d.get(0), d.get(1), d.get(2), f.get(0), f.get(1), loaded);
    }

    /** A node with one declared GPU that joins; its row and its beacon are watched from the first node. */
    private List<List<Double>> discovery() throws Exception {
        FabricTestCluster cluster = new FabricTestCluster();
        try {
            Ignite watcher = cluster.start("d0", p -> p.getAgent().setDeviceAllowList(List.of("declared:none")));
            cluster.start("d1", p -> p.getAgent().setDeviceAllowList(List.of("declared:none")));
            List<Double> toRow = new ArrayList<>();
            List<Double> toHeard = new ArrayList<>();
            List<Double> joinToRow = new ArrayList<>();
            Map<UUID, Long> heard = new ConcurrentHashMap<>();
            FabricPlugin.of(watcher).agent().network().orElseThrow().addListener(new PeerListener() {
                @Override
                public void onPeerHeard(Peer peer) {
                    heard.putIfAbsent(peer.nodeId(), System.nanoTime());
                }

                @Override
                public void onPeerLost(Peer peer) {
                    // Not measured.
                }
            });
            for (int i = 0; i < runs + 1; i++) {
                String name = "join-" + i;
                String fabric = "gpu-" + i;
                AtomicLong rowAt = new AtomicLong();
                Thread poller = new Thread(() -> rowAt.set(until(() -> !watcher.cache("FABRIC_MAP").query(
                    new SqlFieldsQuery("SELECT 1 FROM FABRIC.FABRIC_ENTRY WHERE MODEL = ? AND STATUS = 'ONLINE'")
                        .setArgs(fabric + " (declared)")).getAll().isEmpty())), "row-poller");
                poller.start();
                long begin = System.nanoTime();
                Ignite joined = cluster.start(name, p -> p.getAgent().setDeclaredFabrics(List.of(new DeclaredFabric()
                    .setName(fabric).setType(FabricType.GPU).setModel(fabric + " (declared)").setResourceUnit("MiB")
                    .setResourceCount(1024).setFunctions(List.of("sha256")))).setDeviceAllowList(List.of("declared:"
                    + fabric)));
                long agentStart = FabricPlugin.of(joined).agent().startedNanos();
                UUID nodeId = joined.cluster().localNode().id();
                poller.join();
                until(() -> heard.containsKey(nodeId));
                long heardAt = heard.get(nodeId);
                if (i > 0) { // the first join warms the JVM up
                    toRow.add(ms(rowAt.get() - agentStart));
                    toHeard.add(ms(heardAt - agentStart));
                    joinToRow.add(ms(rowAt.get() - begin));
                }
                cluster.stop(name);
                out.printf(Locale.ROOT, "discovery run %d: agent start -> row in SQL %.1f ms, -> heard by beacon %.1f "
                    + "ms; Ignition.start -> row %.1f ms%n", i, ms(rowAt.get() - agentStart), ms(heardAt - agentStart),
                    ms(rowAt.get() - begin));
            }
            return List.of(toRow, toHeard, joinToRow);
        }
        finally {
            cluster.afterAll(null);
        }
    }

    /** kill -9 of the node running a long task; through FabricCompute, then through the failover SPI. */
    private List<List<Double>> failover() throws Exception {
        FabricTestCluster cluster = new FabricTestCluster();
        try {
            Ignite caller = cluster.start(cluster.configuration("caller", new FabricPluginConfiguration()
                .setAgent(new FabricAgentConfiguration().setDeviceAllowList(List.of("declared:none"))))
                .setLoadBalancingSpi(new FabricLoadBalancingSpi()).setFailoverSpi(new FabricFailoverSpi()));
            LongGpuJob.createMarks(caller);
            cluster.startChild(ChildNodeProcess.Spec.named("spare").withFabricSpis()
                .declared("spare-gpu:GPU:1024:MiB:100:1:sha256"));
            List<Double> viaCompute = new ArrayList<>();
            List<Double> viaSpi = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                for (boolean spi : new boolean[] {false, true}) {
                    String victim = "victim-" + i + (spi ? "-spi" : "-fc");
                    ChildNodeProcess v = cluster.startChild(ChildNodeProcess.Spec.named(victim).withFabricSpis()
                        .declared("gpu-" + victim + ":GPU:1024:MiB:10:1:sha256"));
                    awaitGpus(caller, 2);
                    String key = UUID.randomUUID().toString();
                    IgniteFuture<String> result = spi
                        ? caller.compute().withTimeout(120_000).callAsync(new LongGpuJob(key, victim))
                        : FabricCompute.of(caller).callAsync(LongGpuJob.gpuRequest(),
                            new LongGpuJob(key, victim));
                    until(() -> LongGpuJob.startedOn(caller, key, victim));
                    long killedAt = System.nanoTime();
                    v.kill();
                    String answer = result.get(120_000);
                    double ms = ms(System.nanoTime() - killedAt);
                    if (!answer.equals("answer to " + key) || !LongGpuJob.startedOn(caller, key, "spare"))
                        throw new IllegalStateException("wrong result '" + answer + "' for " + key);
                    (spi ? viaSpi : viaCompute).add(ms);
                    out.printf(Locale.ROOT, "failover run %d (%s): kill -9 -> result %.1f ms%n", i,
                        spi ? "FabricFailoverSpi" : "FabricCompute", ms);
                    awaitGpus(caller, 1);
                }
            }
            return List.of(viaCompute, viaSpi);
        }
        finally {
            cluster.afterAll(null);
        }
    }

    static void awaitGpus(Ignite caller, int online) {
        until(() -> FabricPlugin.of(caller).fabricMap().stream().filter(f -> f.getFabricType() == FabricType.GPU
            && f.getStatus().name().equals("ONLINE")).count() == online);
    }

    /** Polls every millisecond until {@code condition} holds (at most 2 minutes); returns the nanoTime it did. */
    static long until(BooleanSupplier condition) {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("a benchmark condition did not come true within 2 minutes");
            try {
                Thread.sleep(1);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        return System.nanoTime();
    }

    static double ms(long nanos) {
        return nanos / 1e6;
    }

    private static String[] row(String what, List<Double> ms, String aim) {
        List<Double> s = new ArrayList<>(ms);
        Collections.sort(s);
        if (s.isEmpty())
            return new String[] {what, "0", "-", "-", "-", "-", "-", aim};
        return new String[] {what, String.valueOf(s.size()), fmt(pct(s, 50)), fmt(s.get(0)), fmt(pct(s, 25)),
            fmt(pct(s, 75)), fmt(s.get(s.size() - 1)), aim};
    }

    private static String[] countRow(String what, List<Double> counts) {
        List<Double> s = new ArrayList<>(counts);
        Collections.sort(s);
        java.util.function.DoubleFunction<String> n = v -> String.format(Locale.ROOT, "%.0f", v);
        return new String[] {what, String.valueOf(s.size()), n.apply(pct(s, 50)), n.apply(s.get(0)),
            n.apply(pct(s, 25)), n.apply(pct(s, 75)), n.apply(s.get(s.size() - 1)), "(context)"};
    }

    /** Nearest-rank percentile of sorted values. */
    private static double pct(List<Double> sorted, int p) {
        int rank = (int)Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static String fmt(double ms) {
        return String.format(Locale.ROOT, "%.0f ms", ms);
    }
}
