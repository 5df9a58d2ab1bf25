package io.fabricstitch.agent;

/**
 * The outcomes of a fabric's latest function calls, for its error rate: a ring of the last {@code size} calls, of
 * which only those younger than the span count. Input refused by a function is the caller's fault and is not recorded.
 * Thread-safe.
 */
final class ErrorWindow {
    private final boolean[] failed;
    private final long[] atNanos;
    private final long spanNanos;
    private int next;
    private int size;

    ErrorWindow(int size, long spanNanos) {
        this.failed = new boolean[size];
        this.atNanos = new long[size];
        this.spanNanos = spanNanos;
    }

    synchronized void record(boolean failure, long nowNanos) {
        failed[next] = failure;
        atNanos[next] = nowNanos;
        next = (next + 1) % failed.length;
        size = Math.min(size + 1, failed.length);
    }

    /** {calls, failures} among the recorded calls younger than the span at {@code nowNanos}. */
    synchronized int[] snapshot(long nowNanos) {
        int calls = 0;
        int failures = 0;
        for (int i = 0; i < size; i++) {
            if (nowNanos - atNanos[i] <= spanNanos) {
                calls++;
                if (failed[i])
                    failures++;
            }
        }
        return new int[] {calls, failures};
    }
}
