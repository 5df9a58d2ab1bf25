package io.fabricstitch.agent;

import io.fabricstitch.internal.Checks;
import java.time.Duration;

/**
 * How an agent judges its fabrics' health after every probe run. Immutable; build with {@link #builder()}.
 * <ul>
 *     <li>OFFLINE: the device is gone (its probe runs but no longer sees it), or its probe failed
 *     {@link #probeFailuresToOffline()} runs in a row (DEGRADED before that: one failed run may be a hiccup).</li>
 *     <li>DEGRADED: a reading beyond its threshold (temperature, uncorrected memory errors, utilization), an error
 *     rate of the fabric's function calls above {@link #maxErrorRate()} (over the calls of the last
 *     {@link #errorWindowSpan()}), or a late report (the probe run took longer than the {@link #interval()}).</li>
 *     <li>ONLINE otherwise.</li>
 * </ul>
 * An injected fault overrides all of these until it is cleared.
 */
public final class HealthPolicy {
    /** Default time between two health checks (probe runs). */
    public static final Duration DFLT_INTERVAL = Duration.ofSeconds(1);

    /** Default highest healthy temperature, degrees Celsius. */
    public static final double DFLT_MAX_TEMPERATURE_C = 85;

    /** Default highest healthy utilization, percent: 100 never trips (work outside Fabric Stitch is allowed). */
    public static final double DFLT_MAX_UTILIZATION_PCT = 100;

    /** Default most uncorrected memory errors a healthy device shows. */
    public static final long DFLT_MAX_MEMORY_ERRORS = 0;

    /** Default highest healthy share of failed function calls. */
    public static final double DFLT_MAX_ERROR_RATE = 0.5;

    /** Default number of latest calls the error rate is taken over. */
    public static final int DFLT_ERROR_WINDOW = 20;

    /** Default fewest calls in the window before the error rate counts. */
    public static final int DFLT_ERROR_MIN_CALLS = 5;

    /** Default age beyond which a call no longer counts in the error rate. */
    public static final Duration DFLT_ERROR_WINDOW_SPAN = Duration.ofSeconds(60);

    /** Default failed probe runs in a row that turn a fabric OFFLINE. */
    public static final int DFLT_PROBE_FAILURES_TO_OFFLINE = 2;

    private final Duration interval;
    private final double maxTemperatureC;
    private final double maxUtilizationPct;
    private final long maxMemoryErrors;
    private final double maxErrorRate;
    private final int errorWindow;
    private final int errorMinCalls;
    private final Duration errorWindowSpan;
    private final int probeFailuresToOffline;

    private HealthPolicy(Builder b) {
        interval = b.interval;
        if (interval == null || interval.toMillis() < 10 || interval.toMillis() > 3_600_000)
            throw new IllegalArgumentException("healthIntervalMs: " + (interval == null ? null : interval.toMillis())
                + " (expected: 10..3600000)");
        maxTemperatureC = Checks.positiveAtMost(b.maxTemperatureC, 1000, "maxTemperatureC");
        maxUtilizationPct = Checks.positiveAtMost(b.maxUtilizationPct, 100, "maxUtilizationPct");
        maxMemoryErrors = Checks.inRange(b.maxMemoryErrors, 0, Long.MAX_VALUE, "maxMemoryErrors");
        maxErrorRate = Checks.positiveAtMost(b.maxErrorRate, 1, "maxErrorRate");
        errorWindow = (int)Checks.inRange(b.errorWindow, 1, 10_000, "errorWindow");
        errorMinCalls = (int)Checks.inRange(b.errorMinCalls, 1, errorWindow, "errorMinCalls");
        errorWindowSpan = Checks.notNull(b.errorWindowSpan, "errorWindowSpan");
        Checks.inRange(errorWindowSpan.toMillis(), 1, 86_400_000, "errorWindowSpanMs");
        probeFailuresToOffline = (int)Checks.inRange(b.probeFailuresToOffline, 1, 100, "probeFailuresToOffline");
    }

    /** A builder with every default. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every default. */
    public static HealthPolicy defaults() {
        return builder().build();
    }

    /** Time between two health checks; a fabric's change of health reaches listeners within one interval. */
    public Duration interval() {
        return interval;
    }

    /** DEGRADED above this temperature, degrees Celsius (reading {@code temperature.c}). */
    public double maxTemperatureC() {
        return maxTemperatureC;
    }

    /** DEGRADED above this utilization, percent (reading {@code utilization.pct}); 100 never trips. */
    public double maxUtilizationPct() {
        return maxUtilizationPct;
    }

    /** DEGRADED above this many uncorrected memory errors (reading {@code memory.errors}). */
    public long maxMemoryErrors() {
        return maxMemoryErrors;
    }

    /** DEGRADED when more than this share (0..1] of the latest calls failed. */
    public double maxErrorRate() {
        return maxErrorRate;
    }

    /** How many of the latest calls the error rate is taken over. */
    public int errorWindow() {
        return errorWindow;
    }

    /** The error rate counts once the window holds at least this many calls. */
    public int errorMinCalls() {
        return errorMinCalls;
    }

    /**
     * Calls older than this no longer count in the error rate, so a fabric DEGRADED by errors (and given no more work)
     * is judged afresh once its failures have aged out.
     */
    public Duration errorWindowSpan() {
        return errorWindowSpan;
    }

    /** Failed probe runs in a row that turn the probe's fabrics OFFLINE; fewer make them DEGRADED. */
    public int probeFailuresToOffline() {
        return probeFailuresToOffline;
    }

    @Override
    public String toString() {
        return "HealthPolicy [interval=" + interval.toMillis() + " ms, maxTemperatureC=" + maxTemperatureC
            + ", maxUtilizationPct=" + maxUtilizationPct + ", maxMemoryErrors=" + maxMemoryErrors + ", maxErrorRate="
            + maxErrorRate + ", errorWindow=" + errorWindow + ", errorMinCalls=" + errorMinCalls + ", errorWindowSpan="
            + errorWindowSpan.toMillis() + " ms, probeFailuresToOffline=" + probeFailuresToOffline + ']';
    }

    /** Collects the policy; {@link #build()} checks every value, naming the first bad one. */
    public static final class Builder {
        private Duration interval = DFLT_INTERVAL;
        private double maxTemperatureC = DFLT_MAX_TEMPERATURE_C;
        private double maxUtilizationPct = DFLT_MAX_UTILIZATION_PCT;
        private long maxMemoryErrors = DFLT_MAX_MEMORY_ERRORS;
        private double maxErrorRate = DFLT_MAX_ERROR_RATE;
        private int errorWindow = DFLT_ERROR_WINDOW;
        private int errorMinCalls = DFLT_ERROR_MIN_CALLS;
        private Duration errorWindowSpan = DFLT_ERROR_WINDOW_SPAN;
        private int probeFailuresToOffline = DFLT_PROBE_FAILURES_TO_OFFLINE;

        private Builder() {
        }

        public Builder interval(Duration interval) {
            this.interval = interval;
            return this;
        }

        public Builder maxTemperatureC(double maxTemperatureC) {
            this.maxTemperatureC = maxTemperatureC;
            return this;
        }

        public Builder maxUtilizationPct(double maxUtilizationPct) {
            this.maxUtilizationPct = maxUtilizationPct;
            return this;
        }

        public Builder maxMemoryErrors(long maxMemoryErrors) {
            this.maxMemoryErrors = maxMemoryErrors;
            return this;
        }

        public Builder maxErrorRate(double maxErrorRate) {
            this.maxErrorRate = maxErrorRate;
            return this;
        }

        public Builder errorWindow(int errorWindow) {
            this.errorWindow = errorWindow;
            return this;
        }

        public Builder errorMinCalls(int errorMinCalls) {
            this.errorMinCalls = errorMinCalls;
            return this;
        }

        public Builder errorWindowSpan(Duration errorWindowSpan) {
            this.errorWindowSpan = errorWindowSpan;
            return this;
        }

        public Builder probeFailuresToOffline(int probeFailuresToOffline) {
            this.probeFailuresToOffline = probeFailuresToOffline;
            return this;
        }

        /** @throws IllegalArgumentException naming the first invalid value and the accepted range */
        public HealthPolicy build() {
            return new HealthPolicy(this);
        }
    }
}
