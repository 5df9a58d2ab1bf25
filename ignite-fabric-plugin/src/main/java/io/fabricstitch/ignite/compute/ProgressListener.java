package io.fabricstitch.ignite.compute;

/**
 * Told how far a long task has come: once when it starts (nothing done; a single task once it is under way, so a
 * request refused before it is placed is never reported), on every change, and once when it is done.
 * Calls for one task never overlap and never go backwards in parts; they come from the caller's thread or the node's
 * worker threads, so keep them short. See {@link FabricCompute#map(TaskRequest, Object, Splitter, Reducer, int,
 * ProgressListener)} and {@link FabricCompute#execute(TaskRequest, java.nio.file.Path, java.nio.file.Path,
 * ProgressListener)}.
 */
@FunctionalInterface
public interface ProgressListener {
    /** A listener that ignores every call. */
    ProgressListener NONE = p -> {
    };

    void onProgress(TaskProgress progress);
}
