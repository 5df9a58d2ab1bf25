package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabricstitch.ignite.compute.TaskRequest;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ServiceTimesTest {
    private static final long MS = 1_000_000L;

    private final ServiceTimes times = new ServiceTimes();
    private long clock = 1_000 * MS;

    private static TaskRequest sized(String function, double work) {
        return TaskRequest.builder(function).work(work).build();
    }

    /** Runs one task of {@code work} on a fabric of {@code speed} for {@code ms}. */
    private void run(String function, double work, double speed, long ms, boolean succeeded) {
        UUID id = UUID.randomUUID();
        times.started(id, sized(function, work), speed, clock);
        clock += ms * MS;
        times.ended(id, succeeded, clock);
    }

    @Test
    void unknownUntilEnoughTasksOfTheFunctionSucceeded() {
        run("encode", 100, 1, 50, true);
        run("encode", 100, 1, 50, true);
        assertEquals(0.0, times.expectedMs(sized("encode", 100)));
        run("encode", 100, 1, 50, true);
        assertEquals(50.0, times.expectedMs(sized("encode", 100)), 1e-9);
        assertEquals(0.0, times.expectedMs(sized("infer", 100)), "another function has no rate yet");
    }

    @Test
    void timesAreScaledToSpeedOne_andLargeTasksWeighMost() {
        run("encode", 800, 8, 100, true);   // 800 ms at speed 1 for 800 units
        run("encode", 10, 1, 40, true);     // mostly overhead: 4 ms per unit
        run("encode", 400, 4, 100, true);   // 400 ms at speed 1
        // (800 + 40 + 400) / (800 + 10 + 400) ms per unit, with the older samples decayed
        double d = ServiceTimes.DECAY;
        double expected = (800 * d * d + 40 * d + 400) / (800 * d * d + 10 * d + 400);
        assertEquals(100 * expected, times.expectedMs(sized("encode", 100)), 1e-9);
    }

    @Test
    void failedUnsizedAndOutlyingTasksDoNotSwingTheRate() {
        for (int i = 0; i < 3; i++)
            run("encode", 100, 1, 100, true); // 1 ms per unit
        run("encode", 100, 1, 100_000, false);
        assertEquals(100.0, times.expectedMs(sized("encode", 100)), 1e-9, "a failed task teaches nothing");
        UUID unsized = UUID.randomUUID();
        times.started(unsized, TaskRequest.builder("encode").build(), 1, clock);
        assertEquals(0, times.timed());
        assertEquals(0.0, times.expectedMs(TaskRequest.builder("encode").build()), "no size, no expectation");
        run("encode", 100, 1, 100_000, true); // waited on something else: counts as 4x the rate at most
        double d = ServiceTimes.DECAY;
        double expected = (100 * (d * d * d + d * d + d) + 400) / (100 * (d * d * d + d * d + d + 1));
        assertEquals(100 * expected, times.expectedMs(sized("encode", 100)), 1e-9);
    }

    @Test
    void aTaskEndedTwiceOrNeverStartedIsIgnored() {
        UUID id = UUID.randomUUID();
        times.started(id, sized("encode", 100), 1, clock);
        assertEquals(1, times.timed());
        times.ended(id, true, clock + 10 * MS);
        times.ended(id, true, clock + 90 * MS);
        times.ended(UUID.randomUUID(), true, clock);
        assertEquals(0, times.timed());
    }
}
