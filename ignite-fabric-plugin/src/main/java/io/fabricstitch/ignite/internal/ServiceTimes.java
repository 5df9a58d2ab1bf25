package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.TaskRequest;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * What the orchestrator has learned of each function's speed: the time a task of it holds its reservation, from
 * placement to release, per unit of its size ({@link TaskRequest#work()}) on a fabric of speed factor 1, so that {@link
 * #expectedMs} can tell how long a sized task will take before it is placed. Each function keeps decayed sums of {@code
 * heldMs * speed} and of {@code work} over its succeeded tasks, {@code speed} being the fabric's speed for that
 * function ({@code FabricEntry.speedFor}, what the selector divides the expected time by); the rate is their ratio (so
 * the large tasks, whose times are mostly service, weigh most), given once {@value #MIN_SAMPLES} tasks have succeeded;
 * after that a task's time counts as at most {@value #OUTLIER_FACTOR} times over or under the rate, so that one task
 * that waited on something else does not swing it. Only tasks with a size are timed. The time includes the trip to the
 * fabric and back, by which small tasks overstate the rate; the large ones weigh most, and the decay follows the
 * workload. The rates live in the orchestrator's memory: a new orchestrator (after a move) learns them again. Not
 * thread-safe: the orchestrator calls it under its lock.
 */
final class ServiceTimes {
    /** Succeeded tasks of a function before its rate is used. */
    static final int MIN_SAMPLES = 3;

    /** Weight an older sample keeps at each new one (about the last 50 tasks count). */
    static final double DECAY = 0.98;

    /** Once a rate is known, a task's time counts as at most this many times over or under it. */
    static final double OUTLIER_FACTOR = 4;

    /** Longest expected time given, ms (about 11 days): keeps costs finite whatever the size and rate. */
    static final double MAX_EXPECTED_MS = 1e9;

    /** Functions remembered; past it, rates of new functions are not learned. */
    static final int MAX_FUNCTIONS = 4096;

    private final Map<UUID, Running> running = new HashMap<>();
    private final Map<String, Rate> rates = new HashMap<>();

    /** A sized task was placed at {@code nanos} on a fabric whose speed for its function is {@code speedFactor}. */
    void started(UUID taskId, TaskRequest request, double speedFactor, long nanos) {
        if (request.work() > 0 && request.function() != null && speedFactor > 0)
            running.put(taskId, new Running(request.function(), request.work(), speedFactor, nanos));
    }

    /** The task's reservation ended at {@code nanos}; a succeeded one teaches its function's rate. */
    void ended(UUID taskId, boolean succeeded, long nanos) {
        Running r = running.remove(taskId);
        if (r == null || !succeeded || nanos <= r.startNanos)
            return;
        Rate rate = rates.get(r.function);
        if (rate == null) {
            if (rates.size() >= MAX_FUNCTIONS)
                return;
            rate = new Rate();
            rates.put(r.function, rate);
        }
        double ms = (nanos - r.startNanos) / 1e6 * r.speedFactor;
        if (rate.samples >= MIN_SAMPLES) { // one task that waited on something else moves the rate 4x at most
            double expected = r.work * rate.msPerWork();
            ms = Math.max(expected / OUTLIER_FACTOR, Math.min(expected * OUTLIER_FACTOR, ms));
        }
        rate.add(ms, r.work);
    }

    /** Expected ms of {@code request} on a fabric of speed factor 1; 0 when it has no size or its rate is unknown. */
    double expectedMs(TaskRequest request) {
        if (request.work() <= 0 || request.function() == null)
            return 0;
        Rate rate = rates.get(request.function());
        return rate == null || rate.samples < MIN_SAMPLES ? 0
            : Math.min(MAX_EXPECTED_MS, request.work() * rate.msPerWork());
    }

    /** Tasks being timed now (for tests). */
    int timed() {
        return running.size();
    }

    private static final class Running {
        final String function;
        final double work;
        final double speedFactor;
        final long startNanos;

        Running(String function, double work, double speedFactor, long startNanos) {
            this.function = function;
            this.work = work;
            this.speedFactor = speedFactor;
            this.startNanos = startNanos;
        }
    }

    private static final class Rate {
        double ms;
        double work;
        /** Samples counted up to {@link #MIN_SAMPLES}. */
        int samples;

        void add(double msAtSpeed1, double w) {
            ms = ms * DECAY + msAtSpeed1;
            work = work * DECAY + w;
            if (samples < MIN_SAMPLES)
                samples++;
        }

        double msPerWork() {
            return ms / work;
        }
    }
}
