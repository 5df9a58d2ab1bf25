package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.benchmarks.Percentiles;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteFuture;

/**
 * Sends a batch through one policy's cluster: every task submitted at once from the caller, in batch order, each
 * timed from its own submission to its result at the caller; the makespan runs from the first submission to the last
 * result. A short warm-up batch of small tasks goes first and is not counted.
 */
public final class PlacementRun {
    /** Tasks of the warm-up batch. */
    static final int WARM_UP_TASKS = 64;

    private PlacementRun() {
    }

    /** Places {@code batch} with {@code policy} on {@code cluster}. */
    public static PlacementResult run(HeterogeneousCluster cluster, Policy policy, List<BenchTask> batch,
        PrintStream progress) throws InterruptedException {
        List<BenchTask> warmUp = PlacementWorkload.generate(WARM_UP_TASKS, 7L).stream()
            .map(t -> new BenchTask(t.index(), t.function(), 8, t.priority())).toList();
        send(cluster.caller(), policy, warmUp);
        Sent sent = send(cluster.caller(), policy, batch);
        Map<String, Integer> tasks = new TreeMap<>();
        Map<String, Double> work = new TreeMap<>();
        double[] latency = new double[batch.size()];
        for (int i = 0; i < batch.size(); i++) {
            latency[i] = (sent.done[i] - sent.submitted[i]) / 1e6;
            tasks.merge(sent.device[i], 1, Integer::sum);
            work.merge(sent.device[i], batch.get(i).work(), Double::sum);
        }
        PlacementResult r = new PlacementResult(policy, (sent.last - sent.first) / 1e6, Percentiles.of(latency), tasks,
            work);
        progress.printf(Locale.ROOT, "%s: makespan %.0f ms, p50 %.0f ms, p99 %.0f ms; tasks per device %s%n",
            policy.label(), r.makespanMs(), r.latency().at(50), r.latency().at(99), tasks);
        return r;
    }

    private static Sent send(Ignite caller, Policy policy, List<BenchTask> batch) throws InterruptedException {
        Sent s = new Sent(batch.size());
        CountDownLatch left = new CountDownLatch(batch.size());
        AtomicReference<Throwable> failure = new AtomicReference<>();
        s.first = System.nanoTime();
        for (int i = 0; i < batch.size(); i++) {
            int idx = i;
            s.submitted[i] = System.nanoTime();
            IgniteFuture<String> f = policy.submit(caller, batch.get(i));
            f.listen(done -> {
                try {
                    s.device[idx] = done.get();
                }
                catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
                s.done[idx] = System.nanoTime();
                left.countDown();
            });
        }
        if (!left.await(15, TimeUnit.MINUTES))
            throw new IllegalStateException(policy.label() + ": " + left.getCount() + " of " + batch.size()
                + " tasks did not finish within 15 minutes");
        if (failure.get() != null)
            throw new IllegalStateException(policy.label() + ": a task failed: " + failure.get(), failure.get());
        long last = 0;
        for (long d : s.done)
            last = Math.max(last, d);
        s.last = last;
        return s;
    }

    /** Times and devices of one sent batch, by task index. */
    private static final class Sent {
        final long[] submitted;
        final long[] done;
        final String[] device;
        long first;
        long last;

        Sent(int n) {
            submitted = new long[n];
            done = new long[n];
            device = new String[n];
        }
    }
}
