package io.fabricstitch.benchmarks.throughput;

import io.fabricstitch.benchmarks.Percentiles;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricType;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCompute;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;

/**
 * The two ways of sending the same trivial job, and the runs that time them: async with a bound on the tasks in
 * flight, and sync from a number of threads.
 */
public final class Load {
    /** What the job returns. */
    static final int ANSWER = 42;

    private Load() {
    }

    /** How a caller sends one job. */
    public enum Path {
        /** {@code FabricCompute.callAsync}: placement and reservation by the orchestrator, the job, release. */
        FABRIC_COMPUTE("FabricCompute"),
        /** {@code ignite.compute(ignite.cluster().forServers()).callAsync}: Ignite's own load balancing. */
        PLAIN("plain");

        private final String label;

        Path(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }

        /** A sender for {@code caller}, made once per caller and run. */
        Sender sender(Ignite caller) {
            if (this == FABRIC_COMPUTE) {
                FabricCompute fc = FabricCompute.of(caller);
                TaskRequest request = TaskRequest.builder(ThroughputCluster.FUNCTION).require(FabricType.GPU, 1)
                    .timeout(Duration.ofSeconds(60)).build();
                return new Sender() {
                    @Override
                    public IgniteFuture<Integer> async() {
                        return fc.callAsync(request, new ConstantJob());
                    }

                    @Override
                    public Integer sync() {
                        return fc.call(request, new ConstantJob());
                    }
                };
            }
            IgniteCompute compute = caller.compute(caller.cluster().forServers());
            return new Sender() {
                @Override
                public IgniteFuture<Integer> async() {
                    return compute.callAsync(new ConstantJob());
                }

                @Override
                public Integer sync() {
                    return compute.call(new ConstantJob());
                }
            };
        }
    }

    /** One caller's way of sending the job. */
    interface Sender {
        IgniteFuture<Integer> async();

        Integer sync();
    }

    /**
     * A measured run.
     *
     * @param tasks tasks or calls that completed
     * @param wallMs from the first submission to the last result
     * @param latencyMs each task's time from its submission to its result
     * @param cpuMs the whole JVM's CPU time over the run (every node, and whatever else the JVM did)
     */
    public record Run(int tasks, double wallMs, Percentiles latencyMs, double cpuMs) {
        public double perSecond() {
            return tasks / (wallMs / 1000);
        }

        double cpuMsPerTask() {
            return cpuMs / tasks;
        }
    }

    /**
     * {@code tasks} tasks sent through {@code path}, split evenly over {@code callers}, each caller with its share of
     * {@code inFlight} tasks in flight at most (one submitting thread per caller).
     */
    public static Run async(Path path, List<Ignite> callers, int tasks, int inFlight) throws InterruptedException {
        int n = callers.size();
        double[] latency = new double[tasks];
        CountDownLatch done = new CountDownLatch(tasks);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> submitters = new ArrayList<>();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int c = 0; c < n; c++) {
            int first = tasks * c / n;
            int end = tasks * (c + 1) / n;
            Semaphore permits = new Semaphore(Math.max(1, inFlight / n));
            Sender sender = path.sender(callers.get(c));
            Thread t = new Thread(() -> {
                for (int i = first; i < end && failure.get() == null; i++) {
                    permits.acquireUninterruptibly();
                    int task = i;
                    long start = System.nanoTime();
                    IgniteFuture<Integer> f;
                    try {
                        f = sender.async();
                    }
                    catch (RuntimeException e) {
                        failure.compareAndSet(null, e);
                        break;
                    }
                    f.listen(fut -> {
                        try {
                            check(fut.get());
                        }
                        catch (RuntimeException e) {
                            failure.compareAndSet(null, e);
                        }
                        latency[task] = (System.nanoTime() - start) / 1e6;
                        permits.release();
                        done.countDown();
                    });
                }
            }, "throughput-submit-" + c);
            t.start();
            submitters.add(t);
        }
        while (!done.await(100, TimeUnit.MILLISECONDS)) {
            if (failure.get() != null)
                throw new IllegalStateException(path.label() + " async run failed", failure.get());
        }
        double wall = (System.nanoTime() - t0) / 1e6;
        double cpu = (cpuNanos() - cpu0) / 1e6;
        for (Thread t : submitters)
            t.join();
        if (failure.get() != null)
            throw new IllegalStateException(path.label() + " async run failed", failure.get());
        return new Run(tasks, wall, Percentiles.of(latency), cpu);
    }

    /** {@code calls} sync calls through {@code path} from {@code threads} threads of {@code caller}, split evenly. */
    static Run sync(Path path, Ignite caller, int calls, int threads) throws InterruptedException {
        Sender sender = path.sender(caller);
        double[] latency = new double[calls];
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        long cpu0 = cpuNanos();
        long t0 = System.nanoTime();
        for (int w = 0; w < threads; w++) {
            int first = calls * w / threads;
            int end = calls * (w + 1) / threads;
            Thread t = new Thread(() -> {
                try {
                    for (int i = first; i < end; i++) {
                        long start = System.nanoTime();
                        check(sender.sync());
                        latency[i] = (System.nanoTime() - start) / 1e6;
                    }
                }
                catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, "throughput-sync-" + w);
            t.start();
            workers.add(t);
        }
        for (Thread t : workers)
            t.join();
        double wall = (System.nanoTime() - t0) / 1e6;
        if (failure.get() != null)
            throw new IllegalStateException(path.label() + " sync run failed", failure.get());
        return new Run(calls, wall, Percentiles.of(latency), (cpuNanos() - cpu0) / 1e6);
    }

    private static void check(Integer answer) {
        if (answer == null || answer != ANSWER)
            throw new IllegalStateException("job answered " + answer + " (expected: " + ANSWER + ")");
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
            ? ((com.sun.management.OperatingSystemMXBean)os).getProcessCpuTime() : 0;
    }

    /** The trivial job: returns {@link #ANSWER}, wherever it runs. */
    static final class ConstantJob implements IgniteCallable<Integer> {
        private static final long serialVersionUID = 1L;

        @Override
        public Integer call() {
            return ANSWER;
        }
    }
}
