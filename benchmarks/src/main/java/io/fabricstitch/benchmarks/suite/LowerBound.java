package io.fabricstitch.benchmarks.suite;

import java.util.List;

/**
 * The shortest makespan any scheduler could reach for a batch on a set of devices: the larger of
 * <ul>
 *     <li>total work / total capacity ({@code sum(speed * slots)}): every slot busy until the end, and</li>
 *     <li>the longest task on the device that finishes it soonest ({@code latency + work / speed}), since a task
 *     runs on one slot.</li>
 * </ul>
 * It ignores which device runs which function, so it may be lower than what is reachable; never higher.
 */
public final class LowerBound {
    private LowerBound() {
    }

    /** Total work over total capacity, in ms. */
    public static double workOverCapacity(List<BenchTask> tasks, List<Device> devices) {
        double capacity = devices.stream().mapToDouble(Device::capacity).sum();
        if (capacity <= 0)
            throw new IllegalArgumentException("devices: no capacity (expected: at least one slot of speed > 0)");
        return PlacementWorkload.totalWork(tasks) / capacity;
    }

    /** The longest task on its soonest-finishing capable device, in ms. */
    public static double longestTask(List<BenchTask> tasks, List<Device> devices) {
        double longest = 0;
        for (BenchTask t : tasks) {
            double best = Double.POSITIVE_INFINITY;
            for (Device d : devices) {
                if (d.runs(t.function()))
                    best = Math.min(best, d.latencyMs() + d.serviceMs(t.work()));
            }
            if (best == Double.POSITIVE_INFINITY)
                throw new IllegalArgumentException("task " + t.index() + ": no device runs " + t.function());
            longest = Math.max(longest, best);
        }
        return longest;
    }

    /** The bound: the larger of the two, in ms. */
    public static double of(List<BenchTask> tasks, List<Device> devices) {
        return Math.max(workOverCapacity(tasks, devices), longestTask(tasks, devices));
    }
}
