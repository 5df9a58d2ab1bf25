package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabricstitch.ignite.compute.TaskProgress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a {@link ProgressListener} hears, and the values {@link TaskProgress} refuses. */
class ProgressTrackerTest {
    private final List<TaskProgress> heard = new ArrayList<>();

    @Test
    void partsAndTheirBytes_areReportedFromTheStartToTheEnd() {
        ProgressTracker t = new ProgressTracker(heard::add, 2, 300);
        t.start();
        t.partDone(100);
        t.partDone(200);

        assertEquals(List.of(TaskProgress.of(0, 2, 0, 300), TaskProgress.of(1, 2, 100, 300),
            TaskProgress.of(2, 2, 300, 300)), heard);
    }

    @Test
    void bytesSent_areReportedOnlyWhenTheyChange_andCappedAtTheTotal() {
        ProgressTracker t = new ProgressTracker(heard::add, 1, 100);
        t.start();
        t.bytesSent(40);
        t.bytesSent(40);
        t.bytesSent(140);

        assertEquals(List.of(TaskProgress.of(0, 1, 0, 100), TaskProgress.of(0, 1, 40, 100),
            TaskProgress.of(0, 1, 100, 100)), heard);
    }

    @Test
    void aListenerThatThrows_isNotCalledAgain_andDoesNotFailTheTask() {
        int[] calls = {0};
        ProgressTracker t = new ProgressTracker(p -> {
            calls[0]++;
            throw new IllegalStateException("broken display");
        }, 2, TaskProgress.UNKNOWN);
        t.start();
        t.partDone(1);

        assertEquals(1, calls[0]);
    }

    @Test
    void countsOutOfRange_areRefusedByName() {
        assertEquals("partsTotal: 0 (expected: at least 1)", assertThrows(IllegalArgumentException.class,
            () -> TaskProgress.of(0, 0, 0, 0)).getMessage());
        assertEquals("partsDone: 3 (expected: 0..2)", assertThrows(IllegalArgumentException.class,
            () -> TaskProgress.of(3, 2, 0, 0)).getMessage());
        assertEquals("bytesTotal: 5 (expected: -1 for unknown, or at least bytesDone=9)",
            assertThrows(IllegalArgumentException.class, () -> TaskProgress.of(0, 1, 9, 5)).getMessage());
    }

    @Test
    void withoutAnExplicitStart_theStartIsReportedJustBeforeTheFirstChange_andNothingBeforeIt() {
        ProgressTracker t = new ProgressTracker(heard::add, 1, 10);
        assertEquals(List.of(), heard);
        t.bytesSent(4);

        assertEquals(List.of(TaskProgress.of(0, 1, 0, 10), TaskProgress.of(0, 1, 4, 10)), heard);
    }
}
