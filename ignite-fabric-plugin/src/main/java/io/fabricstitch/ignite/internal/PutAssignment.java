package io.fabricstitch.ignite.internal;

import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * Writes a TASK_ASSIGNMENT row by who says it. The orchestrator's word (a placement, or an attempt it judged LOST)
 * never replaces a final row: its writer may land a batch holding a task's RUNNING row after the caller's release
 * wrote the final one, and a reservation it took back may belong to a task whose caller already said how it ended. A
 * RUNNING row replaces a final one only when it started after that ended (the same attempt placed again, because its
 * caller never received the first placement). The caller's word ({@link #callers}) is the record and replaces any
 * row; when it contradicts a LOST the orchestrator wrote, the row keeps that detail after its own. Not API.
 */
public final class PutAssignment implements CacheEntryProcessor<String, AssignmentRow, Void> {
    private static final long serialVersionUID = 1L;

    private final AssignmentRow row;
    private final boolean callersWord;

    private PutAssignment(AssignmentRow row, boolean callersWord) {
        this.row = row;
        this.callersWord = callersWord;
    }

    /** The orchestrator's word: a placement or a judgement, which never replaces what a caller said. */
    public static PutAssignment orchestrators(AssignmentRow row) {
        return new PutAssignment(row, false);
    }

    /** The caller's word on how its attempt ended. */
    public static PutAssignment callers(AssignmentRow row) {
        return new PutAssignment(row, true);
    }

    @Override
    public Void process(MutableEntry<String, AssignmentRow> entry, Object... args) {
        AssignmentRow old = entry.getValue();
        if (old == null || !old.hasEnded()) {
            entry.setValue(row);
            return null;
        }
        if (callersWord) {
            boolean contradicts = "LOST".equals(old.state()) && !"LOST".equals(row.state());
            entry.setValue(contradicts ? row.withDetailBefore("its caller got " + row.state() + " after it was "
                + "recorded LOST (" + old.detail() + ')') : row);
        }
        else if (!row.hasEnded() && row.startedAtMillis() > old.endedAtMillis())
            entry.setValue(row);
        return null;
    }
}
