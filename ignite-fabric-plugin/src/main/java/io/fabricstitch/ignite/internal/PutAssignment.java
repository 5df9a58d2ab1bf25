package io.fabricstitch.ignite.internal;

import javax.cache.processor.MutableEntry;
import org.apache.ignite.cache.CacheEntryProcessor;

/**
 * Writes a TASK_ASSIGNMENT row unless it would turn an ended row back to RUNNING: the orchestrator's writer may land a
 * batch holding a task's RUNNING row after the caller's release wrote the final one. Not API.
 */
public final class PutAssignment implements CacheEntryProcessor<String, AssignmentRow, Void> {
    private static final long serialVersionUID = 1L;

    private final AssignmentRow row;

    public PutAssignment(AssignmentRow row) {
        this.row = row;
    }

    @Override
    public Void process(MutableEntry<String, AssignmentRow> entry, Object... args) {
        AssignmentRow old = entry.getValue();
        if (old != null && !AssignmentRow.RUNNING.equals(old.state()) && AssignmentRow.RUNNING.equals(row.state()))
            return null;
        entry.setValue(row);
        return null;
    }
}
