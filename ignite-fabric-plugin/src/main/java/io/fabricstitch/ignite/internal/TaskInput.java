package io.fabricstitch.ignite.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A task's input on the caller's node: bytes in memory, or a file streamed from disk. Immutable. */
final class TaskInput {
    /** Largest file input read into memory to ride in the Ignite job when no data path carries it. */
    static final long MAX_JOB_FILE_BYTES = 256L << 20;

    private final byte[] bytes;
    private final Path file;
    private final long length;

    private TaskInput(byte[] bytes, Path file, long length) {
        this.bytes = bytes;
        this.file = file;
        this.length = length;
    }

    /** Bytes the caller holds; not copied. */
    static TaskInput of(byte[] bytes) {
        return new TaskInput(bytes, null, bytes.length);
    }

    /**
     * A regular, readable file.
     *
     * @throws IllegalArgumentException naming the file and what is wrong with it
     */
    static TaskInput of(Path file) {
        if (file == null)
            throw new IllegalArgumentException("input: null (expected: the path of a readable file)");
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
            throw new IllegalArgumentException("input: " + file + " is not a readable regular file (expected: the "
                + "path of a readable file)");
        try {
            return new TaskInput(null, file, Files.size(file));
        }
        catch (IOException e) {
            throw new IllegalArgumentException("input: " + file + ": its size cannot be read: " + e.getMessage(), e);
        }
    }

    long length() {
        return length;
    }

    /** A new stream of the input, for the data path. */
    InputStream open() throws IOException {
        return bytes != null ? new ByteArrayInputStream(bytes) : Files.newInputStream(file);
    }

    /**
     * The input as bytes, to ride in the Ignite job.
     *
     * @param why why no data path carries it, for the error
     * @throws IllegalArgumentException when a file input is larger than {@link #MAX_JOB_FILE_BYTES}
     */
    byte[] bytes(String why) {
        if (bytes != null)
            return bytes;
        if (length > MAX_JOB_FILE_BYTES)
            throw new IllegalArgumentException("input: " + file + " holds " + length + " bytes, but no data path "
                + "carries it (" + why + ") and an input in the Ignite job may be at most " + MAX_JOB_FILE_BYTES
                + " bytes (expected: dataPath.enabled=true on both nodes, or a smaller input)");
        try {
            return Files.readAllBytes(file);
        }
        catch (IOException e) {
            throw new UncheckedIOException("input: " + file + " cannot be read: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return file != null ? file + " (" + length + " bytes)" : length + " bytes in memory";
    }
}
