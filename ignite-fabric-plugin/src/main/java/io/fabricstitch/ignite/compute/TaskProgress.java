package io.fabricstitch.ignite.compute;

import java.util.Objects;

/**
 * How far a task has come: parts done of its parts (1 for a single task), and input bytes sent of the total when the
 * total is known. A single task counts the bytes its current attempt has streamed over a data path (or all of them
 * once the input rode in the Ignite job); a partitioned task counts the input bytes of the parts that finished.
 * Immutable.
 */
public final class TaskProgress {
    /** {@link #bytesTotal()} when the total is not known. */
    public static final long UNKNOWN = -1;

    private final int partsDone;
    private final int partsTotal;
    private final long bytesDone;
    private final long bytesTotal;

    private TaskProgress(int partsDone, int partsTotal, long bytesDone, long bytesTotal) {
        this.partsDone = partsDone;
        this.partsTotal = partsTotal;
        this.bytesDone = bytesDone;
        this.bytesTotal = bytesTotal;
    }

    /**
     * @param bytesTotal {@link #UNKNOWN} or at least {@code bytesDone}
     * @throws IllegalArgumentException naming the value out of range
     */
    public static TaskProgress of(int partsDone, int partsTotal, long bytesDone, long bytesTotal) {
        if (partsTotal < 1)
            throw new IllegalArgumentException("partsTotal: " + partsTotal + " (expected: at least 1)");
        if (partsDone < 0 || partsDone > partsTotal)
            throw new IllegalArgumentException("partsDone: " + partsDone + " (expected: 0.." + partsTotal + ")");
        if (bytesDone < 0)
            throw new IllegalArgumentException("bytesDone: " + bytesDone + " (expected: at least 0)");
        if (bytesTotal != UNKNOWN && bytesTotal < bytesDone)
            throw new IllegalArgumentException("bytesTotal: " + bytesTotal + " (expected: " + UNKNOWN
                + " for unknown, or at least bytesDone=" + bytesDone + ")");
        return new TaskProgress(partsDone, partsTotal, bytesDone, bytesTotal);
    }

    public int partsDone() {
        return partsDone;
    }

    public int partsTotal() {
        return partsTotal;
    }

    public long bytesDone() {
        return bytesDone;
    }

    /** Input bytes in all, or {@link #UNKNOWN}. */
    public long bytesTotal() {
        return bytesTotal;
    }

    /** Whether every part is done. */
    public boolean isDone() {
        return partsDone == partsTotal;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TaskProgress))
            return false;
        TaskProgress p = (TaskProgress)o;
        return partsDone == p.partsDone && partsTotal == p.partsTotal && bytesDone == p.bytesDone
            && bytesTotal == p.bytesTotal;
    }

    @Override
    public int hashCode() {
        return Objects.hash(partsDone, partsTotal, bytesDone, bytesTotal);
    }

    @Override
    public String toString() {
        return "TaskProgress [parts=" + partsDone + '/' + partsTotal + ", bytes=" + bytesDone + '/'
            + (bytesTotal == UNKNOWN ? "?" : String.valueOf(bytesTotal)) + ']';
    }
}
