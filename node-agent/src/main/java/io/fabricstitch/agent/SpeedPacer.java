package io.fabricstitch.agent;

import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionContext;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Makes a slowed declared fabric take as long as its speed factor says: after the real computation, holds the call
 * until {@code compute time / speedFactor} has passed since it started. The compute time is the smaller of the wall
 * time and the calling thread's CPU time, so that a garbage-collection pause or a busy machine during the call is not
 * multiplied by {@code 1 / speedFactor} (at 0.01, a 150 ms pause would hold the call 15 s). Waits on a monitor in
 * slices, polling cancellation between them. A factor of 1 or more adds nothing.
 */
final class SpeedPacer {
    /** Longest single wait between two cancellation checks. */
    static final long SLICE_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final LongSupplier nanoTime;
    private final LongSupplier threadCpuTime;
    private final Object monitor = new Object();

    SpeedPacer(LongSupplier nanoTime, LongSupplier threadCpuTime) {
        this.nanoTime = nanoTime;
        this.threadCpuTime = threadCpuTime;
    }

    /** Reads the time source; what {@link #hold} measures against. */
    long now() {
        return nanoTime.getAsLong();
    }

    /** The calling thread's CPU time now (negative where unmeasurable), for {@link #computeNanos}. */
    long cpuNow() {
        return threadCpuTime.getAsLong();
    }

    /**
     * How long the computation that started at {@code startNanos} ({@link #now()}) and {@code startCpuNanos}
     * ({@link #cpuNow()}) on this thread took: the wall time, or the thread's CPU time if less.
     */
    long computeNanos(long startNanos, long startCpuNanos) {
        long wall = now() - startNanos;
        if (startCpuNanos < 0)
            return wall;
        long cpu = cpuNow();
        return cpu < 0 ? wall : Math.min(wall, cpu - startCpuNanos);
    }

    /**
     * @param startNanos {@link #now()} when the computation started
     * @param computeNanos how long the computation took
     * @throws FunctionCancelledException when the call is cancelled, or its thread interrupted, while held
     */
    void hold(long startNanos, long computeNanos, double speedFactor, FunctionContext ctx)
        throws FunctionCancelledException {
        if (speedFactor >= 1)
            return;
        double target = computeNanos / speedFactor;
        while (true) {
            ctx.checkCancelled();
            double remaining = target - (now() - startNanos);
            if (remaining <= 0)
                return;
            waitNanos((long)Math.ceil(Math.min(remaining, SLICE_NANOS)), ctx);
        }
    }

    private void waitNanos(long nanos, FunctionContext ctx) throws FunctionCancelledException {
        synchronized (monitor) {
            try {
                monitor.wait(nanos / 1_000_000, (int)(nanos % 1_000_000));
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new FunctionCancelledException("interrupted while pacing fabric " + ctx.fabric().getFabricId()
                    + " (" + ctx.fabric().getModel() + ')');
            }
        }
    }
}
