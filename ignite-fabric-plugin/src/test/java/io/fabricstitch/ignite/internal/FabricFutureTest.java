package io.fabricstitch.ignite.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.ignite.lang.IgniteFutureCancelledException;
import org.junit.jupiter.api.Test;

class FabricFutureTest {
    @Test
    void cancellingARunningTask_returnsTrue_evenWhenStoppingItEndsTheTaskAtOnce() {
        CompletableFuture<String> task = new CompletableFuture<>();
        // Stopping the job makes the task's thread end the future with the job's error, at once.
        FabricFuture<String> f = new FabricFuture<>(task, () -> task.completeExceptionally(
            new IgniteFutureCancelledException("the job was cancelled")));
        assertTrue(f.cancel());
        assertTrue(f.isCancelled());
        assertThrows(IgniteFutureCancelledException.class, f::get);
    }

    @Test
    void cancellingAFinishedTask_returnsFalse_andStopsNothing() {
        AtomicInteger stops = new AtomicInteger();
        FabricFuture<String> f = new FabricFuture<>(CompletableFuture.completedFuture("done"),
            stops::incrementAndGet);
        assertFalse(f.cancel());
        assertEquals(0, stops.get());
        assertEquals("done", f.get());
    }
}
