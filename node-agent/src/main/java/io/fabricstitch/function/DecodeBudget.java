package io.fabricstitch.function;

import io.fabricstitch.internal.Checks;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The heap a node lets its functions take for decoding inputs (an image's pixels, a product's output), so that
 * inputs that decode large cannot fill the heap together.
 * <p>
 * A function reads the size an input will decode to from its header, then {@link #reserveImage reserves} that many
 * bytes before it decodes anything, and closes the {@link Reservation} when done. An image with more pixels than
 * {@link #maxPixels()}, or needing more than the whole budget, is refused at once ({@link InvalidInputException}); one
 * that fits the budget but not what is free waits, first come first served, at most {@link #maxWait()}, then is
 * refused ({@link DecodeBudgetExceededException}).
 * <p>
 * Nodes of one JVM share the {@link #jvmShared JVM's budget} (a quarter of the maximum heap) unless one is given a
 * budget of its own: the heap is the JVM's, not the node's. Thread-safe.
 */
public final class DecodeBudget {
    /** Default share of the JVM's maximum heap ({@link Runtime#maxMemory()}) the shared budget holds. */
    public static final double DFLT_HEAP_FRACTION = 0.25;

    /** Default longest wait for budget, ms. */
    public static final long DFLT_MAX_WAIT_MS = 5_000;

    /** Default longest wait for budget, 5 s. */
    public static final Duration DFLT_MAX_WAIT = Duration.ofMillis(DFLT_MAX_WAIT_MS);

    /** Default largest image, pixels (64 megapixels). */
    public static final long DFLT_MAX_PIXELS = 64_000_000L;

    /** Largest budget, bytes (2 TiB: the KiB it counts fit an int). */
    public static final long MAX_BYTES = (long)Integer.MAX_VALUE << 10;

    /** Largest {@link #maxPixels()} accepted: a billion pixels. */
    public static final long MAX_PIXELS = 1_000_000_000L;

    /** Longest {@link #maxWait()} accepted: 10 minutes. */
    public static final Duration MAX_WAIT = Duration.ofMinutes(10);

    private final Pool pool;
    private final Duration maxWait;
    private final long maxPixels;

    private DecodeBudget(Pool pool, Duration maxWait, long maxPixels) {
        this.pool = pool;
        this.maxWait = Checks.notNull(maxWait, "maxWait");
        if (maxWait.isNegative() || maxWait.compareTo(MAX_WAIT) > 0)
            throw new IllegalArgumentException("decodeWaitMs: " + maxWait.toMillis() + " (expected: 0.."
                + MAX_WAIT.toMillis() + "; 0 refuses at once)");
        this.maxPixels = Checks.inRange(maxPixels, 1, MAX_PIXELS, "maxDecodePixels");
    }

    /**
     * A budget of its own of {@code bytes}.
     *
     * @throws IllegalArgumentException naming a value out of range
     */
    public static DecodeBudget of(long bytes, Duration maxWait, long maxPixels) {
        return new DecodeBudget(new Pool(Checks.inRange(bytes, 1, MAX_BYTES, "decodeBudgetBytes")), maxWait,
            maxPixels);
    }

    /**
     * The JVM's shared budget, {@value #DFLT_HEAP_FRACTION} of the maximum heap, with this node's wait and pixel
     * limit.
     *
     * @throws IllegalArgumentException naming a value out of range
     */
    public static DecodeBudget jvmShared(Duration maxWait, long maxPixels) {
        return new DecodeBudget(SharedPool.POOL, maxWait, maxPixels);
    }

    /** The JVM's shared budget with the default wait and pixel limit: what a context without a node's budget uses. */
    public static DecodeBudget jvmDefault() {
        return SharedPool.DEFAULT;
    }

    /** Bytes the budget holds in all. */
    public long capacityBytes() {
        return pool.capacityKib << 10;
    }

    /** Bytes reserved now. */
    public long inUseBytes() {
        return (pool.capacityKib - pool.permits.availablePermits()) << 10;
    }

    /** Calls waiting for budget now. */
    public int waiting() {
        return pool.permits.getQueueLength();
    }

    /** Longest wait of a reservation for budget. */
    public Duration maxWait() {
        return maxWait;
    }

    /** Largest image accepted, pixels. */
    public long maxPixels() {
        return maxPixels;
    }

    /**
     * Checks an image's size against {@link #maxPixels()}, then {@link #reserve reserves} {@code bytes}.
     *
     * @param what the image, for messages, e.g. {@code "a 4000x3000 PNG"}
     * @throws InvalidInputException when the image has too many pixels, or needs more than the whole budget
     * @throws DecodeBudgetExceededException when not enough budget was freed within {@link #maxWait()}
     * @throws FunctionCancelledException when the thread is interrupted while waiting
     */
    public Reservation reserveImage(String what, long width, long height, long bytes) throws FunctionException {
        checkPixels(what, width, height);
        return reserve(what, bytes);
    }

    /**
     * @param what the image, for messages, e.g. {@code "a 4000x3000 PNG"}
     * @throws InvalidInputException when the image has more than {@link #maxPixels()} pixels
     */
    public void checkPixels(String what, long width, long height) throws InvalidInputException {
        long pixels = width * height;
        if (pixels > maxPixels)
            throw new InvalidInputException("input: " + what + ", " + pixels + " pixels (expected: at most " + maxPixels
                + " pixels, the node's agent.maxDecodePixels)");
    }

    /**
     * Takes {@code bytes} from the budget, waiting at most {@link #maxWait()} for them.
     *
     * @param what the input, for messages
     * @throws InvalidInputException when {@code bytes} exceed the whole budget
     * @throws DecodeBudgetExceededException when not enough budget was freed within {@link #maxWait()}
     * @throws FunctionCancelledException when the thread is interrupted while waiting
     */
    public Reservation reserve(String what, long bytes) throws FunctionException {
        long kib = Math.max(1, (bytes + 1023) >> 10);
        if (bytes < 0 || kib > pool.capacityKib)
            throw new InvalidInputException("input: " + what + " needs " + mib(bytes) + " to decode (expected: at most "
                + "the node's decode budget, " + mib(capacityBytes()) + "; see agent.decodeBudgetBytes)");
        try {
            if (!pool.permits.tryAcquire((int)kib, maxWait.toNanos(), TimeUnit.NANOSECONDS))
                throw new DecodeBudgetExceededException("input: " + what + " needs " + mib(bytes) + " to decode, but "
                    + mib(inUseBytes()) + " of the node's decode budget of " + mib(capacityBytes()) + " stayed in use "
                    + "for " + maxWait.toMillis() + " ms (expected: that much free within agent.decodeWaitMs; retry "
                    + "later, or raise agent.decodeBudgetBytes)");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new FunctionCancelledException("interrupted while " + what + " waited for decode budget");
        }
        return new Reservation(pool, kib);
    }

    private static String mib(long bytes) {
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double)(1 << 20));
    }

    @Override
    public String toString() {
        return "DecodeBudget [capacity=" + mib(capacityBytes()) + ", inUse=" + mib(inUseBytes()) + ", maxWaitMs="
            + maxWait.toMillis() + ", maxPixels=" + maxPixels + ']';
    }

    /** Bytes taken from a budget until closed; closing twice gives them back once. */
    public static final class Reservation implements AutoCloseable {
        private final Pool pool;
        private final long kib;
        private final AtomicBoolean open = new AtomicBoolean(true);

        private Reservation(Pool pool, long kib) {
            this.pool = pool;
            this.kib = kib;
        }

        /** Bytes reserved (whole KiB). */
        public long bytes() {
            return kib << 10;
        }

        @Override
        public void close() {
            if (open.compareAndSet(true, false))
                pool.permits.release((int)kib);
        }
    }

    /** The bytes themselves, in KiB permits handed out in arrival order. */
    private static final class Pool {
        final long capacityKib;
        final Semaphore permits;

        Pool(long bytes) {
            capacityKib = Math.max(1, bytes >> 10);
            permits = new Semaphore((int)capacityKib, true);
        }
    }

    /** The JVM's pool, made on first use. */
    private static final class SharedPool {
        static final Pool POOL = new Pool(Math.min(MAX_BYTES,
            (long)(Runtime.getRuntime().maxMemory() * DFLT_HEAP_FRACTION)));

        static final DecodeBudget DEFAULT = new DecodeBudget(POOL, DFLT_MAX_WAIT, DFLT_MAX_PIXELS);
    }
}
