package io.fabricstitch.benchmarks;

import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricTaskContext;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.test.ChildNodeProcess;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.LongGpuJob;
import io.fabricstitch.model.FabricType;
import java.io.PrintStream;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.ignite.Ignite;
import org.apache.ignite.cache.query.SqlFieldsQuery;
import org.apache.ignite.events.DiscoveryEvent;
import org.apache.ignite.events.EventType;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * Failover with the machine busy, as users met it: while two threads spin on the 2 cores and four threads stream
 * short latency-critical tasks through {@link FabricCompute} (all of them placed on the victim's GPU, the nearest),
 * the victim also runs a long task; it is killed ({@code kill -9}) and the figures are taken from the kill: to the
 * long task's result (re-placed on the spare GPU), to Ignite's verdict at the caller ({@code EVT_NODE_FAILED}), to the
 * result of every stream task that had to move, and how many placements still went to the dead node, and when the
 * last did. A fresh victim process per run.
 */
public final class LoadedFailover {
    private static final int BURNERS = 2;
    private static final int STREAMERS = 4;

    private final PrintStream out;
    private final List<Double> longTask = new ArrayList<>();
    private final List<Double> verdict = new ArrayList<>();
    private final List<Double> moved = new ArrayList<>();
    private final List<Double> lastPlacement = new ArrayList<>();
    private final List<Double> placementsAfterKill = new ArrayList<>();
    private int stoppedByVerdict;

    LoadedFailover(PrintStream out) {
        this.out = out;
    }

    public List<Double> longTask() {
        return longTask;
    }

    public List<Double> verdict() {
        return verdict;
    }

    public List<Double> moved() {
        return moved;
    }

    public List<Double> lastPlacement() {
        return lastPlacement;
    }

    public List<Double> placementsAfterKill() {
        return placementsAfterKill;
    }

    /** Runs in which no placement went to the dead node after Ignite's verdict reached the caller. */
    public int stoppedByVerdict() {
        return stoppedByVerdict;
    }

    LoadedFailover measure(int runs) throws Exception {
        FabricTestCluster cluster = new FabricTestCluster();
        try {
            Ignite caller = cluster.start(cluster.configuration("load-caller", new FabricPluginConfiguration()
                .setAgent(new FabricAgentConfiguration().setDeviceAllowList(List.of("declared:none")))));
            LongGpuJob.createMarks(caller);
            cluster.startChild(ChildNodeProcess.Spec.named("load-spare").declared(
                "load-spare-gpu:GPU:4096:MiB:100:1:sha256"));
            AtomicLong failedAt = new AtomicLong();
            AtomicLong failedNode = new AtomicLong();
            IgnitePredicate<org.apache.ignite.events.Event> verdicts = e -> {
                failedAt.set(System.nanoTime());
                failedNode.set(((DiscoveryEvent)e).eventNode().id().getLeastSignificantBits());
                return true;
            };
            caller.events().localListen(verdicts, EventType.EVT_NODE_FAILED);
            for (int i = 0; i < runs; i++) {
                String victim = "load-victim-" + i;
                ChildNodeProcess v = cluster.startChild(ChildNodeProcess.Spec.named(victim)
                    .declared("gpu-" + victim + ":GPU:1024:MiB:10:1:sha256"));
                AdaptiveBenchmark.awaitGpus(caller, 2);
                Load load = new Load(FabricCompute.of(caller));
                AdaptiveBenchmark.until(() -> load.done.get() >= 50); // the stream runs on the victim
                String key = UUID.randomUUID().toString();
                IgniteFuture<String> result = FabricCompute.of(caller).callAsync(LongGpuJob.gpuRequest(),
                    new LongGpuJob(key, victim));
                AdaptiveBenchmark.until(() -> LongGpuJob.startedOn(caller, key, victim));
                failedAt.set(0);
                long killedWall = System.currentTimeMillis();
                long killedAt = System.nanoTime();
                load.killedAt = killedAt;
                v.kill();
                String answer = result.get(120_000);
                double ms = AdaptiveBenchmark.ms(System.nanoTime() - killedAt);
                if (!answer.equals("answer to " + key) || !LongGpuJob.startedOn(caller, key, "load-spare"))
                    throw new IllegalStateException("wrong result '" + answer + "' for " + key);
                AdaptiveBenchmark.until(() -> failedAt.get() != 0
                    && failedNode.get() == v.nodeId().getLeastSignificantBits());
                double verdictMs = AdaptiveBenchmark.ms(failedAt.get() - killedAt);
                List<Double> movedMs = load.stop();
                List<List<?>> after = caller.cache("FABRIC_MAP").query(new SqlFieldsQuery(
                    "SELECT COUNT(*), MAX(STARTED_AT) FROM FABRIC.TASK_ASSIGNMENT WHERE NODE_ID = ? AND STARTED_AT > ?")
                    .setArgs(v.nodeId(), new Timestamp(killedWall))).getAll();
                long count = ((Number)after.get(0).get(0)).longValue();
                Timestamp last = (Timestamp)after.get(0).get(1);
                longTask.add(ms);
                verdict.add(verdictMs);
                moved.addAll(movedMs);
                placementsAfterKill.add((double)count);
                if (last != null)
                    lastPlacement.add((double)(last.getTime() - killedWall));
                if (last == null || last.getTime() - killedWall <= verdictMs)
                    stoppedByVerdict++;
                out.printf(Locale.ROOT, "failover under load run %d: kill -9 -> long task's result %.1f ms, -> "
                    + "Ignite's verdict %.1f ms; %d stream task(s) moved (max %.1f ms); %d placement(s) on the dead "
                    + "node after the kill%s%n", i, ms, verdictMs, movedMs.size(),
                    movedMs.stream().mapToDouble(Double::doubleValue).max().orElse(0), count,
                    last == null ? "" : ", the last " + (last.getTime() - killedWall) + " ms after it");
                AdaptiveBenchmark.awaitGpus(caller, 1);
            }
            caller.events().stopLocalListen(verdicts);
            return this;
        }
        finally {
            cluster.afterAll(null);
        }
    }

    /** Two spinning threads and four streaming callers, until {@link #stop()}. */
    private static final class Load {
        final AtomicInteger done = new AtomicInteger();
        volatile long killedAt;
        private volatile boolean stopped;
        private final List<Thread> threads = new ArrayList<>();
        private final List<Double> moved = java.util.Collections.synchronizedList(new ArrayList<>());

        Load(FabricCompute compute) {
            for (int i = 0; i < BURNERS; i++) {
                threads.add(start("burner-" + i, () -> {
                    long x = 1;
                    while (!stopped)
                        x = x * 6364136223846793005L + 1442695040888963407L;
                    if (x == 42)
                        System.out.print(""); // keeps the loop
                }));
            }
            TaskRequest request = TaskRequest.builder("sha256").require(FabricType.GPU, 1)
                .priority("latency-critical").timeout(Duration.ofSeconds(60)).build();
            for (int i = 0; i < STREAMERS; i++) {
                threads.add(start("streamer-" + i, () -> {
                    while (!stopped) {
                        int attempt = compute.call(request, new ShortJob());
                        done.incrementAndGet();
                        long k = killedAt;
                        if (attempt > 1 && k != 0)
                            moved.add(AdaptiveBenchmark.ms(System.nanoTime() - k));
                    }
                }));
            }
        }

        private Thread start(String name, Runnable body) {
            Thread t = new Thread(body, "load-" + name);
            t.setDaemon(true);
            t.start();
            return t;
        }

        /** Stops the load; the kill-to-result times of the stream tasks that moved. */
        List<Double> stop() throws InterruptedException {
            stopped = true;
            for (Thread t : threads)
                t.join(TimeUnit.MINUTES.toMillis(2));
            return new ArrayList<>(moved);
        }
    }

    /** 20 ms of work on the GPU's node; returns the attempt that ran it. */
    static final class ShortJob implements IgniteCallable<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // the work itself
            return FabricTaskContext.current().placement().attempt();
        }
    }
}
