package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The server's staged data: uploads in progress (temporary files), committed uploads waiting for
 * {@link DataPathServer#take}, and outputs waiting for a GET. Thread-safe. Only committed uploads can be taken; what
 * is not taken within {@code stagedTtl} is deleted by {@link #expire()}. Several servers may share one directory:
 * each touches only its own files.
 */
final class StagingArea {
    private static final System.Logger LOG = System.getLogger(StagingArea.class.getName());

    private final String name;
    private final Path dir;
    private final long maxTransferBytes;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final Set<UUID> receiving = ConcurrentHashMap.newKeySet();
    private final Map<UUID, Committed> committed = new ConcurrentHashMap<>();
    private final Map<UUID, StagedOutput> outputs = new ConcurrentHashMap<>();

    /**
     * @param name how log lines name the server, e.g. {@code data path n1}
     */
    StagingArea(String name, DataPathConfiguration cfg) {
        this.name = name;
        dir = cfg.stagingDirectory();
        maxTransferBytes = cfg.maxTransferBytes();
        ttlNanos = cfg.stagedTtl().toNanos();
        nanoTime = cfg.nanoTime();
    }

    /** Creates the directory. */
    void create() {
        try {
            Files.createDirectories(dir);
        }
        catch (IOException e) {
            throw new IllegalStateException(name + ": stagingDirectory " + dir + " could not be created: " + e
                + " (expected: a writable directory)", e);
        }
        if (!Files.isWritable(dir))
            throw new IllegalStateException(name + ": stagingDirectory " + dir + " is not writable (expected: a "
                + "writable directory)");
    }

    Path directory() {
        return dir;
    }

    /**
     * Starts receiving an upload.
     *
     * @param from how messages name the transfer: {@code of transfer <id> from <peer>}
     * @throws DataPathException {@link Failure#REFUSED REFUSED}: too large, a transfer id in use, or no file
     */
    IncomingFile receive(OpenRequest req, String from) {
        UUID id = req.transferId();
        if (req.declaredLength() > maxTransferBytes)
            throw DataPathException.expected(Failure.REFUSED, "data path: OPEN " + from + " declares "
                + req.declaredLength() + " bytes (expected: at most maxTransferBytes = " + maxTransferBytes + ")");
        if (committed.containsKey(id) || !receiving.add(id))
            throw DataPathException.expected(Failure.REFUSED, "data path: OPEN " + from + " names a transfer that is "
                + "already staged or in progress (expected: a new transfer id)");
        try {
            return IncomingFile.create(dir, id, req.declaredLength(), maxTransferBytes, from);
        }
        catch (IOException | RuntimeException e) {
            receiving.remove(id);
            throw new DataPathException(Failure.REFUSED, "data path: OPEN " + from + ": no file could be created in "
                + dir + ": " + e + " (expected: a writable staging directory)", e);
        }
    }

    /** Commits an upload whose END said {@code total} bytes; it can be taken from now on. */
    void commit(IncomingFile f, long total) {
        Path target = f.target();
        f.commit(total, target);
        committed.put(f.transferId(), new Committed(target, total, nanoTime.getAsLong()));
        receiving.remove(f.transferId());
    }

    /** Deletes an upload that failed. */
    void discard(IncomingFile f) {
        f.delete();
        receiving.remove(f.transferId());
    }

    /** Removes a committed upload; the caller owns its file from now on. */
    Optional<StagedInput> take(UUID transferId) {
        Committed c = committed.remove(transferId);
        return c == null ? Optional.empty() : Optional.of(new StagedInput(transferId, c.file, c.length));
    }

    /** Stages an output for a GET; returns its transfer id. */
    UUID stage(Path file, boolean deleteAfterDownload) {
        if (!Files.isRegularFile(file) || !Files.isReadable(file))
            throw new IllegalArgumentException("file: " + file + " (expected: a readable regular file)");
        UUID id = UUID.randomUUID();
        try {
            outputs.put(id, StagedOutput.ofFile(id, file, Files.size(file), deleteAfterDownload,
                nanoTime.getAsLong()));
        }
        catch (IOException e) {
            throw new IllegalArgumentException("file: " + file + " has no size: " + e + " (expected: a readable "
                + "regular file)", e);
        }
        return id;
    }

    /** Stages bytes for a GET; returns its transfer id. */
    UUID stage(byte[] data) {
        UUID id = UUID.randomUUID();
        outputs.put(id, StagedOutput.ofBytes(id, data, nanoTime.getAsLong()));
        return id;
    }

    /**
     * The output a GET asks for.
     *
     * @throws DataPathException {@link Failure#REFUSED REFUSED} when none is staged under that id
     */
    StagedOutput output(UUID transferId, String from) {
        StagedOutput o = outputs.get(transferId);
        if (o == null)
            throw DataPathException.expected(Failure.REFUSED, "data path: GET " + from + ": no such output is staged "
                + "(expected: an id from stageOutput, within stagedTtl and not yet downloaded)");
        return o;
    }

    /** The client confirmed the download: a one-shot output is removed. */
    void downloaded(StagedOutput o) {
        if (o.oneShot() && outputs.remove(o.transferId(), o))
            o.discard();
    }

    /** Deletes committed uploads and outputs staged longer than {@code stagedTtl} ago. */
    void expire() {
        long now = nanoTime.getAsLong();
        int n = 0;
        for (Map.Entry<UUID, Committed> e : committed.entrySet()) {
            if (now - e.getValue().committedNanos >= ttlNanos && committed.remove(e.getKey(), e.getValue())) {
                e.getValue().delete();
                n++;
            }
        }
        for (StagedOutput o : outputs.values()) {
            if (now - o.stagedNanos() >= ttlNanos && outputs.remove(o.transferId(), o)) {
                o.discard();
                n++;
            }
        }
        if (n > 0)
            LOG.log(Level.INFO, name + ": " + n + " staged input(s) or output(s) not taken within stagedTtl "
                + "expired and were deleted (expected: take() and GET within stagedTtl)");
    }

    /** Committed uploads waiting to be taken. */
    int committedCount() {
        return committed.size();
    }

    /** Staged outputs waiting for a GET. */
    int outputCount() {
        return outputs.size();
    }

    /** Deletes everything not taken. */
    void clear() {
        committed.values().forEach(Committed::delete);
        committed.clear();
        outputs.values().forEach(StagedOutput::discard);
        outputs.clear();
    }

    /** A committed upload. */
    private static final class Committed {
        final Path file;
        final long length;
        final long committedNanos;

        Committed(Path file, long length, long committedNanos) {
            this.file = file;
            this.length = length;
            this.committedNanos = committedNanos;
        }

        void delete() {
            try {
                Files.deleteIfExists(file);
            }
            catch (IOException ignored) {
                // The staging directory is in the temporary directory.
            }
        }
    }
}
