package io.fabricstitch.agent.datapath;

import java.nio.file.Path;

/**
 * The file of a consumed upload, kept by a {@link StagingArea} for the next upload to overwrite: its pages or blocks
 * are already allocated, so the next write skips allocating and zeroing them, and nobody pays for the unlink.
 *
 * @param file the file: its committed name plus {@value #SUFFIX} until an upload takes it
 * @param length bytes it holds
 * @param sinceNanos when it was kept, on the staging area's clock
 */
record SpareFile(Path file, long length, long sinceNanos) {
    /** Ends the name of a spare file in the staging directory: a listing tells it from staged data. */
    static final String SUFFIX = ".spare";

    /** Deletes the file; quiet. */
    void delete() {
        StagingArea.deleteQuietly(file);
    }
}
