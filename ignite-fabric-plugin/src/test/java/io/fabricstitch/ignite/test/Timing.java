package io.fabricstitch.ignite.test;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Every timing the tests use, in one place, scaled by {@code -Dfabric.test.timing=N} for slow machines; and a polling
 * {@link #await} so no test sleeps for a fixed time.
 */
public final class Timing {
    /** Multiplier for every timeout; 1 by default. */
    public static final double FACTOR = Double.parseDouble(System.getProperty("fabric.test.timing", "1"));

    /**
     * Failure detection timeout of test clusters (ms): short (a killed process is noticed in well under a second
     * anyway, by its sockets), but long enough that a node starved of CPU by child JVMs on a 2-core machine is not
     * taken for a hung one.
     */
    public static final long FAILURE_DETECTION_MS = scaled(3_000);

    /** How long a condition that depends on the cluster may take to come true. */
    public static final Duration CONDITION = Duration.ofMillis(scaled(15_000));

    private Timing() {
    }

    public static long scaled(long millis) {
        return Math.round(millis * FACTOR);
    }

    /** Polls {@code condition} every 20 ms until it holds, or fails naming {@code what} after {@link #CONDITION}. */
    public static void await(String what, BooleanSupplier condition) {
        await(what, condition, () -> "");
    }

    /** As {@link #await(String, BooleanSupplier)}; {@code state} describes what was seen last, for the failure. */
    public static void await(String what, BooleanSupplier condition, Supplier<String> state) {
        await(what, CONDITION, condition, state);
    }

    /**
     * Polls {@code condition} every 20 ms until it holds, or fails naming {@code what} after {@code within}: for a
     * bound the product promises (already scaled by the caller), where {@link #CONDITION} is only patience.
     */
    public static void await(String what, Duration within, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline)
                throw new AssertionError("timed out after " + within.toMillis() + " ms waiting for " + what
                    + "; last seen: " + state.get());
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }
}
