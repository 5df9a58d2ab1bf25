package io.fabricstitch.ignite.internal;
import io.fabricstitch.ignite.compute.ProgressListener;
import io.fabricstitch.ignite.compute.TaskProgress;

/**
 * Counts one task's parts and bytes and tells its {@link ProgressListener} of every change, one call at a time, so
 * the listener sees the parts only grow. A listener that throws is not told again: progress never fails a task.
 */
final class ProgressTracker {
    private final ProgressListener listener;
    private final int partsTotal;
    private final long bytesTotal;
    private int partsDone;
    private long bytesDone;
    private boolean broken;
    private boolean started;

    ProgressTracker(ProgressListener listener, int partsTotal, long bytesTotal) {
        this.listener = listener == null ? ProgressListener.NONE : listener;
        this.partsTotal = partsTotal;
        this.bytesTotal = bytesTotal;
    }

    /** Reports the start: nothing done. Without this call the start is reported just before the first change. */
    synchronized void start() {
        if (!started) {
            started = true;
            report();
        }
    }

    /** The current attempt has sent {@code bytes} bytes of the input in all (a new attempt starts again from 0). */
    synchronized void bytesSent(long bytes) {
        long capped = bytesTotal == TaskProgress.UNKNOWN ? bytes : Math.min(bytes, bytesTotal);
        if (capped != bytesDone) {
            start();
            bytesDone = capped;
            report();
        }
    }

    /** One more part is done, its input of {@code partBytes} bytes with it. */
    synchronized void partDone(long partBytes) {
        start();
        partsDone = Math.min(partsTotal, partsDone + 1);
        long sum = bytesDone + partBytes;
        bytesDone = bytesTotal == TaskProgress.UNKNOWN ? sum : Math.min(sum, bytesTotal);
        report();
    }

    private void report() {
        if (broken)
            return;
        try {
            listener.onProgress(TaskProgress.of(partsDone, partsTotal, bytesDone, bytesTotal));
        }
        catch (RuntimeException e) {
            broken = true;
        }
    }
}
