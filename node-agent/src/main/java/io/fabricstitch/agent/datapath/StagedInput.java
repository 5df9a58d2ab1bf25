package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.fabricstitch.internal.Checks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A committed upload, taken from {@link DataPathServer#take}: every byte arrived, matched its frame's CRC32C and the
 * END's total, and is on disk in the staging directory. The taker owns the file: {@link #close()} deletes it and gives
 * its share of the staging capacity back.
 */
public final class StagedInput implements AutoCloseable {
    private final UUID transferId;
    private final Path file;
    private final long length;
    private final Runnable release;
    private final AtomicBoolean closed = new AtomicBoolean();

    /**
     * @param release gives the input's staging capacity back; run once, by {@link #close()}
     */
    StagedInput(UUID transferId, Path file, long length, Runnable release) {
        this.transferId = transferId;
        this.file = file;
        this.length = length;
        this.release = release;
    }

    /** The transfer this input came with. */
    public UUID transferId() {
        return transferId;
    }

    /** Bytes of the input. */
    public long length() {
        return length;
    }

    /**
     * A new stream of the input, read from disk; the caller closes it.
     *
     * @throws DataPathException of kind {@link Failure#IO IO} after {@link #close()} or when the file cannot be read
     */
    public InputStream open() {
        if (closed.get())
            throw new DataPathException(Failure.IO, "data path: staged input " + transferId + " is closed (expected: "
                + "open() before close())");
        try {
            return Files.newInputStream(file);
        }
        catch (IOException e) {
            throw new DataPathException(Failure.IO, "data path: staged input " + transferId + " cannot be read from "
                + file + ": " + e + " (expected: the file left alone until close())", e);
        }
    }

    /**
     * The whole input in memory.
     *
     * @param maxBytes the most the caller accepts
     * @throws IllegalStateException when the input is longer than {@code maxBytes}
     * @throws DataPathException as {@link #open()}
     */
    public byte[] readAll(long maxBytes) {
        Checks.inRange(maxBytes, 0, Integer.MAX_VALUE - 8, "maxBytes");
        if (length > maxBytes)
            throw new IllegalStateException("data path: staged input " + transferId + " has " + length + " bytes, "
                + "more than maxBytes = " + maxBytes + " (expected: at most maxBytes; stream it with open())");
        try (InputStream in = open()) {
            return in.readAllBytes();
        }
        catch (IOException e) {
            throw new DataPathException(Failure.IO, "data path: staged input " + transferId + " cannot be read from "
                + file + ": " + e + " (expected: the file left alone until close())", e);
        }
    }

    /** Deletes the file and gives its staging capacity back. Idempotent. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true))
            return;
        try {
            Files.deleteIfExists(file);
            release.run();
        }
        catch (IOException e) {
            System.getLogger(StagedInput.class.getName()).log(System.Logger.Level.WARNING, "data path: staged input "
                + transferId + " could not be deleted: " + e + " (expected: a writable staging directory)");
        }
    }

    @Override
    public String toString() {
        return "StagedInput [transferId=" + transferId + ", length=" + length + ", file=" + file
            + (closed.get() ? ", closed" : "") + ']';
    }
}
