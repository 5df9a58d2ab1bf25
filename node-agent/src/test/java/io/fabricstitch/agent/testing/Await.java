package io.fabricstitch.agent.testing;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/** Polls for a condition instead of sleeping: every 10 ms, for at most 10 s. */
public final class Await {
    public static final long DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);

    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private Await() {
    }

    /**
     * Returns once {@code condition} holds.
     *
     * @param state described in the failure, e.g. the peers seen
     * @throws AssertionError naming {@code what} and {@code state} when 10 s pass first
     */
    public static void until(String what, BooleanSupplier condition, Supplier<?> state) {
        long deadline = System.nanoTime() + DEADLINE_NANOS;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0)
                throw new AssertionError("timed out after 10 s waiting for: " + what + "; now: " + state.get());
            LockSupport.parkNanos(POLL_NANOS);
        }
    }

    /** Returns once {@code condition} holds; fails after 10 s. */
    public static void until(String what, BooleanSupplier condition) {
        until(what, condition, () -> "-");
    }

    /** Waits until no live thread has the name {@code name}. */
    public static void threadGone(String name) {
        until("thread " + name + " to end", () -> Thread.getAllStackTraces().keySet().stream()
            .noneMatch(t -> t.getName().equals(name) && t.isAlive()));
    }
}
