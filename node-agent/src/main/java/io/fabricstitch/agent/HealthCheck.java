package io.fabricstitch.agent;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.NvidiaSmiProbe;
import io.fabricstitch.model.FabricStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Judges one fabric after a probe run, by {@link HealthPolicy}: the status it should report and why. Pure: every input
 * is a parameter, so tests need no clock and no thread.
 * <ol>
 *     <li>An injected fault wins.</li>
 *     <li>OFFLINE when the probe that reported the device has failed {@link HealthPolicy#probeFailuresToOffline()}
 *     runs in a row (DEGRADED before that), or runs but no longer sees it, or says so itself.</li>
 *     <li>DEGRADED, with every reason that applies joined by {@code "; "}: the probe says so, a reading beyond its
 *     threshold, the error rate, or a late probe run.</li>
 *     <li>ONLINE otherwise.</li>
 * </ol>
 */
final class HealthCheck {
    /** Reading names the check knows. */
    static final String TEMPERATURE = "temperature.c";
    static final String UTILIZATION = "utilization.pct";
    static final String MEMORY_ERRORS = NvidiaSmiProbe.MEMORY_ERRORS;

    private HealthCheck() {
    }

    /** A status with its reason (empty for ONLINE). */
    static final class Verdict {
        final FabricStatus status;
        final String reason;

        Verdict(FabricStatus status, String reason) {
            this.status = status;
            this.reason = reason;
        }

        @Override
        public String toString() {
            return status + (reason.isEmpty() ? "" : " (" + reason + ')');
        }
    }

    /**
     * @param reported the device as it was reported at start (its source probe, model and key)
     * @param now the device as this run saw it, or null when no probe saw it
     * @param outcome how the device's source probe fared in this run, or null when it did not run
     * @param probeFailures failed runs in a row of the device's source probe, this one included
     * @param errors {calls, failures} of the fabric's latest function calls
     * @param fault the injected fault, or null
     */
    static Verdict judge(DetectedFabric reported, DetectedFabric now, ProbeRunner.Outcome outcome, int probeFailures,
        int[] errors, FabricFault fault, HealthPolicy policy) {
        if (fault != null)
            return new Verdict(fault.status(), fault.reason());
        String source = reported.source();
        if (outcome != null && !outcome.answered()) {
            if (probeFailures >= policy.probeFailuresToOffline())
                return new Verdict(FabricStatus.OFFLINE, "probe " + source + " failing: " + outcome.problem());
            return new Verdict(FabricStatus.DEGRADED, "probe " + source + " failed " + probeFailures + " run(s) in a "
                + "row (OFFLINE after " + policy.probeFailuresToOffline() + "): " + outcome.problem());
        }
        if (now == null || !source.equals(now.source())) {
            return new Verdict(FabricStatus.OFFLINE, "device gone: probe " + source + " no longer reports "
                + reported.model() + " (" + reported.deviceKey() + ')');
        }
        if (now.status() == FabricStatus.OFFLINE)
            return new Verdict(FabricStatus.OFFLINE, now.statusReason());
        List<String> why = new ArrayList<>();
        if (now.status() == FabricStatus.DEGRADED)
            why.add(now.statusReason());
        readings(now.readings(), policy, why);
        if (errors[0] >= policy.errorMinCalls() && errors[1] > policy.maxErrorRate() * errors[0]) {
            why.add("error rate " + pct(100.0 * errors[1] / errors[0]) + " over the last " + errors[0]
                + " calls (threshold " + pct(100 * policy.maxErrorRate()) + ')');
        }
        long intervalNanos = policy.interval().toNanos();
        if (outcome != null && outcome.nanos() > intervalNanos) {
            why.add("late report: probe " + source + " took " + millis(outcome.nanos()) + " (expected: under the "
                + millis(intervalNanos) + " health interval)");
        }
        return why.isEmpty() ? new Verdict(FabricStatus.ONLINE, "")
            : new Verdict(FabricStatus.DEGRADED, String.join("; ", why));
    }

    private static void readings(Map<String, Double> r, HealthPolicy policy, List<String> why) {
        Double t = r.get(TEMPERATURE);
        if (t != null && t > policy.maxTemperatureC())
            why.add("temperature " + num(t) + " C (threshold " + num(policy.maxTemperatureC()) + " C)");
        Double e = r.get(MEMORY_ERRORS);
        if (e != null && e > policy.maxMemoryErrors())
            why.add(num(e) + " uncorrected memory error(s) (threshold " + policy.maxMemoryErrors() + ')');
        Double u = r.get(UTILIZATION);
        if (u != null && u > policy.maxUtilizationPct())
            why.add("utilization " + pct(u) + " (threshold " + pct(policy.maxUtilizationPct()) + ')');
    }

    private static String num(double v) {
        return v == Math.rint(v) ? String.valueOf((long)v) : String.format(Locale.ROOT, "%.1f", v);
    }

    private static String pct(double v) {
        return num(Math.round(v * 10) / 10.0) + '%';
    }

    private static String millis(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos) + " ms";
    }
}
