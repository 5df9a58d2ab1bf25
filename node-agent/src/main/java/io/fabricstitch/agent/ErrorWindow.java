package io.fabricstitch.agent;

/**
 * The outcomes of a fabric's latest function calls, for its error rate: a ring of the last {@code size} calls.
 * Input refused by a function is the caller's fault and is not recorded. Thread-safe.
 */
final class ErrorWindow {
    private final boolean[] failed;
    private int next;
    private int calls;
    private int failures;

    ErrorWindow(int size) {
        failed = new boolean[size];
    }

    synchronized void record(boolean failure) {
        if (calls == failed.length) {
            if (failed[next])
                failures--;
        }
        else
            calls++;
        failed[next] = failure;
        if (failure)
            failures++;
        next = (next + 1) % failed.length;
    }

    /** {calls, failures} in the window now. */
    synchronized int[] snapshot() {
        return new int[] {calls, failures};
    }
}
