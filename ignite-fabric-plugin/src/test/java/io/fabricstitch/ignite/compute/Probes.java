package io.fabricstitch.ignite.compute;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ignite.lang.IgniteCallable;

/**
 * Closures for cluster tests. The test nodes share this JVM, so static state observes what runs on every node.
 */
final class Probes {
    /** Units of the ASIC in use by closures right now, and the most ever seen. */
    static final AtomicInteger IN_USE = new AtomicInteger();
    static final AtomicInteger MOST_IN_USE = new AtomicInteger();

    /** Opened by a test to let {@link #heldUntilOpened} closures finish. */
    static volatile CountDownLatch gate = new CountDownLatch(0);

    /** Closures that have started. */
    static final AtomicInteger STARTED = new AtomicInteger();

    private Probes() {
    }

    /** Takes {@code units} of the fabric for a few milliseconds of work, recording the concurrency. */
    static IgniteCallable<String> busyFor(long units, long workMillis) {
        return () -> {
            int now = IN_USE.addAndGet((int)units);
            MOST_IN_USE.accumulateAndGet(now, Math::max);
            try {
                long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(workMillis);
                while (System.nanoTime() < until)
                    Thread.onSpinWait(); // stands for work on the fabric
                return FabricTaskContext.current().fabric().getModel();
            }
            finally {
                IN_USE.addAndGet((int)-units);
            }
        };
    }

    /** Holds its fabric until the test opens the gate, or until cancelled. */
    static IgniteCallable<String> heldUntilOpened() {
        return () -> {
            STARTED.incrementAndGet();
            FabricTaskContext ctx = FabricTaskContext.current();
            while (!gate.await(10, TimeUnit.MILLISECONDS)) {
                if (ctx.isCancelled())
                    throw new IllegalStateException("cancelled");
            }
            return ctx.fabric().getModel();
        };
    }
}
