package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.fabricstitch.internal.Checks;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * A committed upload, taken from {@link DataPathServer#take}: every byte arrived, matched its frame's CRC32C and the
 * END's total, and is on disk in the staging directory. The taker owns the file until {@link #close()}, which gives it
 * and its share of the staging capacity back.
 */
public final class StagedInput implements AutoCloseable {
    private final UUID transferId;
    private final Path file;
    private final long length;
    private final StagingArea area;
    /** Streams from {@link #open()} not closed yet; guarded by this. */
    private int openStreams;
    private boolean closed;

    /**
     * @param area the staging area it came from, which deletes or keeps its file when it is closed
     */
    StagedInput(UUID transferId, Path file, long length, StagingArea area) {
        this.transferId = transferId;
        this.file = file;
        this.length = length;
        this.area = area;
    }

    /** The transfer this input came with. */
    public UUID transferId() {
        return transferId;
    }

    /** Where the input is on disk, for tests: readers use {@link #open()}. */
    Path file() {
        return file;
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
    public synchronized InputStream open() {
        if (closed)
            throw new DataPathException(Failure.IO, "data path: staged input " + transferId + " is closed (expected: "
                + "open() before close())");
        try {
            InputStream in = Files.newInputStream(file);
            openStreams++;
            return new FilterInputStream(in) {
                private boolean streamClosed;

                @Override
                public void close() throws IOException {
                    try {
                        super.close(); // first: the file may be written over once no stream is counted
                    }
                    finally {
                        synchronized (StagedInput.this) {
                            if (!streamClosed) {
                                streamClosed = true;
                                openStreams--;
                            }
                        }
                    }
                }
            };
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

    /**
     * Gives the file and its staging capacity back: the file is deleted, or kept for the next upload to write over
     * ({@code dataPath.spareFileTtlMs}) when no stream of it is still open. Idempotent.
     */
    @Override
    public void close() {
        boolean reusable;
        synchronized (this) {
            if (closed)
                return;
            closed = true;
            reusable = openStreams == 0; // a stream still open reads on: the file must not be written over
        }
        try {
            area.consumed(file, length, reusable);
        }
        catch (IOException e) {
            System.getLogger(StagedInput.class.getName()).log(System.Logger.Level.WARNING, "data path: staged input "
                + transferId + " could not be deleted: " + e + " (expected: a writable staging directory)");
        }
    }

    @Override
    public synchronized String toString() {
        return "StagedInput [transferId=" + transferId + ", length=" + length + ", file=" + file
            + (closed ? ", closed" : "") + ']';
    }
}
