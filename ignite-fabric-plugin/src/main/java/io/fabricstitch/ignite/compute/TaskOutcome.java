package io.fabricstitch.ignite.compute;

/** How one attempt of a task ended; the final {@code STATE} of its {@code TASK_ASSIGNMENT} row. */
public enum TaskOutcome {
    /** The function or closure returned a result. */
    SUCCEEDED,
    /** It threw; the detail holds the error. */
    FAILED,
    /** The caller cancelled it. */
    CANCELLED,
    /** It ran past the request's timeout. */
    TIMED_OUT,
    /** Its node, or its caller's node, left the cluster, or its reservation expired unreleased. */
    LOST
}
