package io.fabricstitch.agent;

import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.FunctionRegistry;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.util.Collection;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Measures a real fabric's speed at a function: the time of the host CPU's Java implementation (the reference, speed
 * 1 by definition) on the reference's calibration input, over the fabric's time on the same input. One warm-up run of
 * each (a kernel's first launch, the JIT), then up to {@value #MAX_PAIRS} timed pairs, alternating, within the budget;
 * the fastest run of each side counts (the least disturbed by other work on the host). Rounded to three significant
 * digits, within {@code [0.001, 1000]}.
 */
final class Calibrator {
    /** Most timed pairs of runs. */
    static final int MAX_PAIRS = 5;

    private final FunctionRegistry registry;
    private final Duration budget;
    private final LongSupplier nanoTime;

    Calibrator(FunctionRegistry registry, Duration budget, LongSupplier nanoTime) {
        this.registry = registry;
        this.budget = budget;
        this.nanoTime = nanoTime;
    }

    /** The Java CPU implementation of {@code function} that offers a calibration input, if any. */
    Optional<AccelerationFunction> reference(String function) {
        return registry.implementation(function, FabricType.CPU, false)
            .filter(f -> f.runtime() == FabricRuntime.JAVA && f.calibrationInput() != null);
    }

    /**
     * The speed of {@code impl} on {@code ctx}'s fabric relative to {@code ref} on {@code refCtx}'s.
     *
     * @param stop polled between runs; a stopped measurement throws
     * @throws FunctionException when a run fails (the fabric keeps its unmeasured speed)
     */
    Result measure(AccelerationFunction impl, FunctionContext ctx, AccelerationFunction ref, FunctionContext refCtx,
        BooleanSupplier stop) throws FunctionException {
        byte[] input = ref.calibrationInput();
        long deadline = nanoTime.getAsLong() + budget.toNanos();
        impl.execute(ctx, input);
        ref.execute(refCtx, input);
        long bestImpl = Long.MAX_VALUE;
        long bestRef = Long.MAX_VALUE;
        for (int i = 0; i < MAX_PAIRS && (i == 0 || nanoTime.getAsLong() < deadline); i++) {
            if (stop.getAsBoolean())
                throw new io.fabricstitch.function.FunctionCancelledException("calibration stopped");
            bestRef = Math.min(bestRef, timed(ref, refCtx, input));
            bestImpl = Math.min(bestImpl, timed(impl, ctx, input));
        }
        return new Result(speed(bestRef, Math.max(1, bestImpl)), bestRef, bestImpl, input.length);
    }

    /** A measured speed and the two fastest runs it came from. */
    static final class Result {
        private final double speed;
        private final long refNanos;
        private final long fabricNanos;
        private final int inputBytes;

        Result(double speed, long refNanos, long fabricNanos, int inputBytes) {
            this.speed = speed;
            this.refNanos = refNanos;
            this.fabricNanos = fabricNanos;
            this.inputBytes = inputBytes;
        }

        double speed() {
            return speed;
        }

        /** {@code 196608 bytes, reference 41.2 ms, fabric 12.9 ms}. */
        String describe() {
            return String.format(java.util.Locale.ROOT, "%d bytes, reference %.1f ms, fabric %.1f ms", inputBytes,
                refNanos / 1e6, fabricNanos / 1e6);
        }
    }

    private long timed(AccelerationFunction f, FunctionContext ctx, byte[] input) throws FunctionException {
        long start = nanoTime.getAsLong();
        f.execute(ctx, input);
        return nanoTime.getAsLong() - start;
    }

    /** {@code refNanos / fabricNanos}, rounded to three significant digits, within {@code [0.001, 1000]}. */
    static double speed(long refNanos, long fabricNanos) {
        double s = Math.max(0.001, Math.min(FabricEntry.MAX_SPEED_FACTOR, (double)refNanos / fabricNanos));
        return new BigDecimal(s).round(new MathContext(3)).doubleValue();
    }

    /** The geometric mean of {@code speeds}, three significant digits; 1 when there are none. */
    static double geometricMean(Collection<Double> speeds) {
        if (speeds.isEmpty())
            return 1.0;
        double logSum = 0;
        for (double s : speeds)
            logSum += Math.log(s);
        double mean = Math.exp(logSum / speeds.size());
        return new BigDecimal(Math.max(0.001, Math.min(FabricEntry.MAX_SPEED_FACTOR, mean)))
            .round(new MathContext(3)).doubleValue();
    }
}
