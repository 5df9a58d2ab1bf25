package io.fabricstitch.ignite.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * The thread that writes a node's reports to the cluster, so the agent's health checks never wait on a cache (a cache
 * stalls during a partition exchange, for instance). Latest wins: a report still waiting when a newer one of the same
 * kind comes is replaced, so a stall never builds a backlog. Not API.
 */
public final class ReportWriter implements AutoCloseable {
    private final ExecutorService thread;
    private final Map<Object, Runnable> pending = new ConcurrentHashMap<>();

    public ReportWriter(String nodeName) {
        thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fabric-report-" + nodeName);
            t.setDaemon(true);
            return t;
        });
    }

    /** Runs {@code report} on the report thread, replacing a report of the same {@code kind} not yet started. */
    public void submit(Object kind, Runnable report) {
        if (pending.put(kind, report) != null)
            return;
        try {
            thread.execute(() -> {
                Runnable r = pending.remove(kind);
                if (r != null)
                    r.run();
            });
        }
        catch (RejectedExecutionException stopping) {
            pending.remove(kind);
        }
    }

    /** Stops the thread; reports not yet written are dropped (the node is stopping). */
    @Override
    public void close() {
        thread.shutdownNow();
        try {
            thread.awaitTermination(5, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
