package io.fabricstitch.ignite.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A function's output on the fabric's node: kept in memory while it is under the data-path threshold (it then rides
 * back in the job), spilled to a file in the staging directory once it grows past it (the caller then downloads it).
 * Memory stays bounded by the threshold whatever the output's size. Not thread-safe.
 */
final class SpillingOutput extends OutputStream {
    private final long threshold;
    private final Path directory;
    private ByteArrayOutputStream memory = new ByteArrayOutputStream();
    private OutputStream file;
    private Path path;
    private long length;

    SpillingOutput(long threshold, Path directory) {
        this.threshold = threshold;
        this.directory = directory;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte)b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (file == null && memory.size() + (long)len > threshold) {
            Files.createDirectories(directory);
            path = Files.createTempFile(directory, "output-", ".spill");
            file = Files.newOutputStream(path);
            memory.writeTo(file);
            memory = null;
        }
        if (file != null)
            file.write(b, off, len);
        else
            memory.write(b, off, len);
        length += len;
    }

    @Override
    public void close() throws IOException {
        if (file != null)
            file.close();
    }

    /** Whether the output stayed in memory. */
    boolean inMemory() {
        return file == null;
    }

    /** The output, when {@link #inMemory()}. */
    byte[] bytes() {
        return memory.toByteArray();
    }

    /** The spilled file, when not {@link #inMemory()}. */
    Path path() {
        return path;
    }

    long length() {
        return length;
    }

    /** Deletes the spilled file, if any; quiet. */
    void discard() {
        try {
            close();
            if (path != null)
                Files.deleteIfExists(path);
        }
        catch (IOException ignored) {
            // Left in the staging directory; the next start of the server sweeps it.
        }
    }
}
