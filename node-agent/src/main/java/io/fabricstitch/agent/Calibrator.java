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
import java.lang.System.Logger.Level;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.function.LongSupplier;

/**
 * Measures a real fabric's speed at a function: the time of the host CPU's Java implementation (the reference, speed
 * 1 by definition) on the reference's calibration input, over the fabric's time on the same input. One warm-up run of
 * each (a kernel's first launch, the JIT), then up to {@value #MAX_PAIRS} timed pairs, alternating, within the budget;
 * the fastest run of each side counts (the least disturbed by other work on the host). Rounded to three significant
 * digits, within {@code [0.001, 1000]}. Used by one thread at a time.
 */
final class Calibrator {
    private static final System.Logger LOG = System.getLogger(Calibrator.class.getName());

    /** Most timed pairs of runs. */
    static final int MAX_PAIRS = 5;

    private final FunctionRegistry registry;
    private final Duration budget;
    private final LongSupplier nanoTime;
    private final Map<String, Optional<Reference>> references = new HashMap<>();

    Calibrator(FunctionRegistry registry, Duration budget, LongSupplier nanoTime) {
        this.registry = registry;
        this.budget = budget;
        this.nanoTime = nanoTime;
    }

    /** What a measuring run needs of its agent. */
    interface Fabrics {
        /** A context on fabric {@code id} now; null when it is gone or OFFLINE (its measuring ends). */
        FunctionContext context(UUID id);

        /** A context on the host CPU fabric, where the references run. */
        FunctionContext reference();

        /** True once the agent stops. */
        boolean stopping();

        /** The fabric, for log lines. */
        String describe(UUID id);

        /** Publishes the speeds measured for fabric {@code id}, by function. */
        void measured(UUID id, Map<String, Double> speeds);
    }

    /**
     * Of {@code functions} (a fabric's, by name), those to measure by name: the kernels and Java code with a
     * reference; never a process function (the agent does not start users' programs unasked).
     */
    Map<String, Target> measurable(Map<String, AccelerationFunction> functions) {
        Map<String, Target> out = new TreeMap<>();
        functions.forEach((name, impl) -> {
            if (impl.runtime() != FabricRuntime.PROCESS)
                reference(name).filter(ref -> ref.function != impl).ifPresent(ref -> out.put(name,
                    new Target(impl, ref)));
        });
        return out;
    }

    /**
     * Measures every fabric of {@code fabricFunctions} (its functions by name) at each of its {@link #measurable}
     * functions, one fabric after the other, and publishes each fabric's speeds at once; a function whose runs fail
     * keeps its unmeasured speed, with a warning.
     */
    void run(Map<UUID, Map<String, AccelerationFunction>> fabricFunctions, Fabrics fabrics) {
        FunctionContext refCtx = fabrics.reference();
        for (Map.Entry<UUID, Map<String, AccelerationFunction>> t : fabricFunctions.entrySet()) {
            Map<String, Double> measured = new TreeMap<>();
            for (Map.Entry<String, Target> f : measurable(t.getValue()).entrySet()) {
                FunctionContext ctx = fabrics.context(t.getKey());
                if (fabrics.stopping() || ctx == null)
                    break;
                AccelerationFunction impl = f.getValue().impl;
                try {
                    Result r = measure(impl, ctx, f.getValue().ref, refCtx, fabrics::stopping);
                    measured.put(f.getKey(), r.speed());
                    LOG.log(Level.INFO, fabrics.describe(t.getKey()) + " runs " + f.getKey() + " ("
                        + impl.runtime() + ") at speed " + r.speed() + " of the host CPU's Java code "
                        + "(calibration input: " + r.describe() + ')');
                }
                catch (FunctionException | RuntimeException e) {
                    if (fabrics.stopping())
                        return;
                    LOG.log(Level.WARNING, fabrics.describe(t.getKey()) + ": its speed at " + f.getKey()
                        + " was not measured (" + e.getMessage() + "); it stays UNMEASURED at speed 1");
                }
            }
            if (!measured.isEmpty() && !fabrics.stopping())
                fabrics.measured(t.getKey(), measured);
        }
    }

    /**
     * The Java CPU implementation of {@code function} with the calibration input it offers, if any; each input is
     * generated once, however many fabrics are timed on it.
     */
    Optional<Reference> reference(String function) {
        return references.computeIfAbsent(function, fn -> registry.implementation(fn, FabricType.CPU, false)
            .filter(f -> f.runtime() == FabricRuntime.JAVA)
            .flatMap(f -> Optional.ofNullable(f.calibrationInput()).map(input -> new Reference(f, input))));
    }

    /** A function's Java CPU implementation and the input it offers to be timed on. */
    static final class Reference {
        final AccelerationFunction function;
        final byte[] input;

        Reference(AccelerationFunction function, byte[] input) {
            this.function = function;
            this.input = input;
        }
    }

    /** A function to measure on a fabric: its implementation there and the reference it is timed against. */
    static final class Target {
        final AccelerationFunction impl;
        final Reference ref;

        Target(AccelerationFunction impl, Reference ref) {
            this.impl = impl;
            this.ref = ref;
        }
    }

    /**
     * The speed of {@code impl} on {@code ctx}'s fabric relative to {@code ref} on {@code refCtx}'s.
     *
     * @param stop polled between runs; a stopped measurement throws
     * @throws FunctionException when a run fails (the fabric keeps its unmeasured speed)
     */
    Result measure(AccelerationFunction impl, FunctionContext ctx, Reference reference, FunctionContext refCtx,
        BooleanSupplier stop) throws FunctionException {
        AccelerationFunction ref = reference.function;
        byte[] input = reference.input;
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
        return rounded((double)refNanos / fabricNanos);
    }

    /** The geometric mean of {@code speeds}, three significant digits; 1 when there are none. */
    static double geometricMean(Collection<Double> speeds) {
        if (speeds.isEmpty())
            return 1.0;
        double logSum = 0;
        for (double s : speeds)
            logSum += Math.log(s);
        return rounded(Math.exp(logSum / speeds.size()));
    }

    /** {@code speed} within {@code [0.001, 1000]}, rounded to three significant digits. */
    private static double rounded(double speed) {
        double s = Math.max(0.001, Math.min(FabricEntry.MAX_SPEED_FACTOR, speed));
        return new BigDecimal(s).round(new MathContext(3)).doubleValue();
    }
}
