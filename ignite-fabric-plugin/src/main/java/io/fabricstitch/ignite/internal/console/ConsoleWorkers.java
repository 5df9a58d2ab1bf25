package io.fabricstitch.ignite.internal.console;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The threads that answer API requests, which read the Fabric Map with SQL or run Ignite compute and so may block: a
 * fixed number of daemon threads and a bounded queue. When both are full a request is answered 503 at once, so the
 * event loop never waits and the node's memory never grows with the callers. Not API.
 */
final class ConsoleWorkers implements AutoCloseable {
    private final ThreadPoolExecutor pool;
    private final int threads;
    private final int maxQueued;

    /**
     * @param name thread name; {@code -1}, {@code -2}... is appended
     */
    ConsoleWorkers(String name, int threads, int maxQueued) {
        this.threads = threads;
        this.maxQueued = maxQueued;
        BlockingQueue<Runnable> queue = maxQueued == 0 ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(maxQueued);
        AtomicInteger n = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, queue, r -> {
            Thread t = new Thread(r, name + '-' + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** {@code answer}, computed on a worker; a 503 at once when every worker is busy and the queue is full. */
    CompletableFuture<ConsoleResponse> submit(Supplier<ConsoleResponse> answer) {
        try {
            return CompletableFuture.supplyAsync(answer, pool);
        }
        catch (RejectedExecutionException e) {
            if (pool.isShutdown())
                return CompletableFuture.completedFuture(ConsoleResponse.error(503, "the console is stopping with its "
                    + "node (expected: a running node)"));
            return CompletableFuture.completedFuture(ConsoleResponse.error(503, "the console is busy: " + threads
                + " API requests running and " + maxQueued + " waiting (expected: fewer requests at once; retry, or "
                + "raise console.workerThreads or console.maxQueuedRequests)").with("Retry-After", "1"));
        }
    }

    /** Stops the workers, interrupting requests still running, and waits a little for them. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            pool.awaitTermination(2, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
