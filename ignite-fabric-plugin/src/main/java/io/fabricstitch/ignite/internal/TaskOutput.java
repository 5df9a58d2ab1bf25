package io.fabricstitch.ignite.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Where a task's output goes on the caller's node: into memory, or into a file that appears, complete, only when the
 * task succeeded (written beside it as {@code <name>.part}, then moved into place). Each attempt starts afresh.
 */
abstract class TaskOutput<R> {
    /** Output kept in memory. */
    static TaskOutput<byte[]> bytes() {
        return new TaskOutput<>() {
            private ByteArrayOutputStream buf;

            @Override
            OutputStream open() {
                buf = new ByteArrayOutputStream();
                return buf;
            }

            @Override
            byte[] of(byte[] output) {
                return output;
            }

            @Override
            byte[] finish() {
                return buf.toByteArray();
            }
        };
    }

    /**
     * Output written to {@code target}.
     *
     * @throws IllegalArgumentException when its directory does not exist or it names a directory
     */
    static TaskOutput<Path> file(Path target) {
        if (target == null)
            throw new IllegalArgumentException("output: null (expected: the path of a file to write)");
        Path abs = target.toAbsolutePath();
        if (Files.isDirectory(abs) || abs.getParent() == null || !Files.isDirectory(abs.getParent()))
            throw new IllegalArgumentException("output: " + target + " (expected: a file path in an existing "
                + "directory)");
        Path part = abs.resolveSibling(abs.getFileName() + ".part");
        return new TaskOutput<>() {
            @Override
            OutputStream open() throws IOException {
                return Files.newOutputStream(part);
            }

            @Override
            Path of(byte[] output) throws IOException {
                Files.write(part, output);
                return finish();
            }

            @Override
            Path finish() throws IOException {
                return Files.move(part, abs, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }

            @Override
            void discard() {
                try {
                    Files.deleteIfExists(part);
                }
                catch (IOException ignored) {
                    // Best effort: the .part file names itself as incomplete.
                }
            }
        };
    }

    /** A new stream for one attempt's downloaded output; the caller closes it, then calls {@link #finish()}. */
    abstract OutputStream open() throws IOException;

    /** The result of an attempt whose output came back in the job. */
    abstract R of(byte[] output) throws IOException;

    /** The result once the stream from {@link #open()} is written and closed. */
    abstract R finish() throws IOException;

    /** Forgets a partial output: the task failed. */
    void discard() {
    }
}
