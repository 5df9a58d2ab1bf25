package io.fabricstitch.agent.datapath;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/** Data a {@link DataPathServer} serves to a GET: a file (deleted after download or not) or bytes. Immutable. */
final class StagedOutput {
    private final UUID transferId;
    private final Path file;
    private final byte[] data;
    private final long length;
    private final boolean deleteFile;
    private final long stagedNanos;

    private StagedOutput(UUID transferId, Path file, byte[] data, long length, boolean deleteFile, long stagedNanos) {
        this.transferId = transferId;
        this.file = file;
        this.data = data;
        this.length = length;
        this.deleteFile = deleteFile;
        this.stagedNanos = stagedNanos;
    }

    static StagedOutput ofFile(UUID transferId, Path file, long length, boolean deleteFile, long stagedNanos) {
        return new StagedOutput(transferId, file, null, length, deleteFile, stagedNanos);
    }

    /** The bytes are not copied: the caller must not change them. */
    static StagedOutput ofBytes(UUID transferId, byte[] data, long stagedNanos) {
        return new StagedOutput(transferId, null, data, data.length, false, stagedNanos);
    }

    UUID transferId() {
        return transferId;
    }

    long length() {
        return length;
    }

    long stagedNanos() {
        return stagedNanos;
    }

    /** A new stream of the data. */
    InputStream open() throws IOException {
        return file == null ? new ByteArrayInputStream(data) : Files.newInputStream(file);
    }

    /** Whether the first confirmed download removes it: bytes, and files staged with deleteAfterDownload. */
    boolean oneShot() {
        return file == null || deleteFile;
    }

    /** Deletes the file when it was staged with deleteAfterDownload; quiet. */
    void discard() {
        if (deleteFile)
            StagingArea.deleteQuietly(file);
    }

    @Override
    public String toString() {
        return "StagedOutput [" + transferId + ", " + (file == null ? "bytes" : file.toString()) + ", " + length
            + " bytes" + (deleteFile ? ", deleted after download" : "") + ']';
    }
}
