package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * The server's staged data: uploads in progress (temporary files), committed uploads waiting for
 * {@link DataPathServer#take}, and outputs waiting for a GET. Thread-safe. Only committed uploads can be taken; what
 * is not taken within {@code stagedTtl} is deleted by {@link #expire()}. Several servers may share one directory:
 * each touches only its own files.
 * <p>
 * Each upload reserves staging capacity in the {@link DataPathBudget} when it opens: its declared length, or its
 * limit when the length is unknown (trimmed to what arrived once committed). The reservation goes back when the upload
 * fails, expires, or its {@link StagedInput} is closed. Outputs are the node's own and reserve nothing.
 * <p>
 * The file of the last input closed is kept as a {@link SpareFile} for {@code spareFileTtl}: the next upload, which
 * reserves its own bytes, is written over it (cut at once to what it reserved, and to what arrived when committed)
 * instead of into a new file. The spare reserves nothing; it is deleted when an upload finds the capacity full, when
 * unused for {@code spareFileTtl}, or by {@link #clear()}, so at most one file more than the reservations is on disk,
 * for that long at most.
 */
final class StagingArea {
    private static final System.Logger LOG = System.getLogger(StagingArea.class.getName());

    private final String name;
    private final Path dir;
    private final long maxTransferBytes;
    private final long ttlNanos;
    private final LongSupplier nanoTime;
    private final DataPathBudget budget;
    /** Uploads in progress and the bytes each reserved. */
    private final Map<UUID, Long> receiving = new ConcurrentHashMap<>();
    private final Map<UUID, Committed> committed = new ConcurrentHashMap<>();
    private final Map<UUID, StagedOutput> outputs = new ConcurrentHashMap<>();
    private final long spareTtlNanos;
    /** The file of the last consumed upload, for the next upload to overwrite; null when none is kept. */
    private final AtomicReference<SpareFile> spare = new AtomicReference<>();
    /** Set by {@link #clear()}: the server stopped, and keeps no spare from then on. */
    private volatile boolean cleared;

    /**
     * @param name how log lines name the server, e.g. {@code data path n1}
     */
    StagingArea(String name, DataPathConfiguration cfg, DataPathBudget budget) {
        this.name = name;
        this.budget = budget;
        dir = cfg.stagingDirectory();
        maxTransferBytes = cfg.maxTransferBytes();
        ttlNanos = cfg.stagedTtl().toNanos();
        spareTtlNanos = cfg.spareFileTtl().toNanos();
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
     * Starts receiving an upload, reserving its staging capacity.
     *
     * @param allowed most bytes its token allows
     * @param from how messages name the transfer: {@code of transfer <id> from <peer>}
     * @throws DataPathException {@link Failure#REFUSED REFUSED}: too large, a transfer id in use, or no file;
     *     {@link Failure#BUSY BUSY}: the staging capacity would be passed
     */
    IncomingFile receive(OpenRequest req, long allowed, String from) {
        UUID id = req.transferId();
        if (req.declaredLength() > maxTransferBytes)
            throw DataPathException.expected(Failure.REFUSED, "data path: OPEN " + from + " declares "
                + req.declaredLength() + " bytes (expected: at most maxTransferBytes = " + maxTransferBytes + ")");
        long max = Math.min(allowed, maxTransferBytes);
        long reserve = req.declaredLength() >= 0 ? req.declaredLength() : max;
        if (committed.containsKey(id) || receiving.putIfAbsent(id, reserve) != null)
            throw DataPathException.expected(Failure.REFUSED, "data path: OPEN " + from + " names a transfer that is "
                + "already staged or in progress (expected: a new transfer id)");
        SpareFile reuse = takeSpare();
        if (!budget.reserve(reserve)) {
            receiving.remove(id);
            if (reuse != null)
                reuse.delete(); // The staging area is full: its room goes back to the file system.
            throw full(req, reserve, from);
        }
        try {
            return IncomingFile.create(dir, id, req.declaredLength(), max, allowed < maxTransferBytes
                ? "its token's maxBytes" : "maxTransferBytes", from, reuse == null ? null : reuse.file());
        }
        catch (IOException | RuntimeException e) {
            if (reuse != null)
                reuse.delete();
            budget.release(receiving.remove(id));
            throw new DataPathException(Failure.REFUSED, "data path: OPEN " + from + ": no file could be created in "
                + dir + ": " + e + " (expected: a writable staging directory)", e);
        }
    }

    private DataPathException full(OpenRequest req, long reserve, String from) {
        long capacity = budget.stagingCapacityBytes();
        long used = budget.stagingReservedBytes();
        return DataPathException.expected(Failure.BUSY, "data path: OPEN " + from + (req.declaredLength() >= 0
            ? " declares " + reserve + " bytes" : " may bring up to " + reserve + " bytes") + ", but uploads already "
            + "hold " + used + " of the " + capacity + " bytes the server may stage (" + budget.capacitySource()
            + ") (expected: at most the " + Math.max(0, capacity - used) + " bytes left; try again later or another "
            + "fabric)");
    }

    /** Commits an upload whose END said {@code total} bytes; it can be taken from now on. */
    void commit(IncomingFile f, long total) {
        Path target = f.target();
        f.commit(total, target);
        committed.put(f.transferId(), new Committed(target, total, nanoTime.getAsLong()));
        budget.release(receiving.remove(f.transferId()) - total);
    }

    /** Deletes an upload that failed and gives its reservation back. */
    void discard(IncomingFile f) {
        f.delete();
        Long reserved = receiving.remove(f.transferId());
        if (reserved != null)
            budget.release(reserved);
    }

    /**
     * Removes a committed upload; the caller owns its file from now on, and its reservation until it closes the
     * input.
     */
    Optional<StagedInput> take(UUID transferId) {
        Committed c = committed.remove(transferId);
        return c == null ? Optional.empty() : Optional.of(new StagedInput(transferId, c.file, c.length, this));
    }

    /**
     * A taken input was closed: its file becomes the spare (replacing an older one) when {@code spareFileTtl} is
     * above zero and no stream of it is open ({@code reusable}); otherwise it is deleted and its capacity given back.
     */
    void consumed(Path file, long length, boolean reusable) throws IOException {
        budget.release(length);
        if (!reusable || spareTtlNanos == 0) {
            Files.deleteIfExists(file);
            return;
        }
        Path kept = file.resolveSibling(file.getFileName() + SpareFile.SUFFIX);
        try {
            Files.move(file, kept, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            Files.deleteIfExists(file); // not kept then, but not left behind either
            return;
        }
        SpareFile older = spare.getAndSet(new SpareFile(kept, length, nanoTime.getAsLong()));
        if (older != null)
            older.delete();
        if (cleared)
            clearSpare(); // closed after the server stopped: nothing would delete it later
    }

    private void clearSpare() {
        SpareFile s = spare.getAndSet(null);
        if (s != null)
            s.delete();
    }

    /** Takes the spare file, if any, for an upload to write over. */
    private SpareFile takeSpare() {
        return spare.getAndSet(null);
    }

    /** The spare file kept now, if any. */
    Optional<SpareFile> spare() {
        return Optional.ofNullable(spare.get());
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

    /**
     * Deletes committed uploads and outputs staged longer than {@code stagedTtl} ago, and the spare file when unused
     * for {@code spareFileTtl}.
     */
    void expire() {
        long now = nanoTime.getAsLong();
        SpareFile s = spare.get();
        if (s != null && now - s.sinceNanos() >= spareTtlNanos && spare.compareAndSet(s, null))
            s.delete();
        int n = 0;
        for (Map.Entry<UUID, Committed> e : committed.entrySet()) {
            if (now - e.getValue().committedNanos >= ttlNanos && committed.remove(e.getKey(), e.getValue())) {
                e.getValue().delete();
                budget.release(e.getValue().length);
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

    /** Deletes everything not taken, and the spare file. */
    void clear() {
        cleared = true;
        clearSpare();
        for (UUID id : committed.keySet()) {
            Committed c = committed.remove(id);
            if (c != null) {
                c.delete();
                budget.release(c.length);
            }
        }
        outputs.values().forEach(StagedOutput::discard);
        outputs.clear();
    }

    /** Deletes {@code file} if it is there; quiet: a file that cannot be deleted is left where it is. */
    static void deleteQuietly(Path file) {
        try {
            Files.deleteIfExists(file);
        }
        catch (IOException ignored) {
            // Nothing else to do: staged files live in a temporary directory.
        }
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
            deleteQuietly(file);
        }
    }
}
