package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.netty.buffer.ByteBuf;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/**
 * An upload on its way to disk: DATA payloads are written to a temporary file in the staging directory as they
 * arrive (a new file, or a spare one written over from its start), checked against the declared length and the most
 * it may bring; {@link #commit} checks the END's total, cuts the file to it and renames it atomically,
 * {@link #delete} discards it. Used on one event loop.
 */
final class IncomingFile {
    private final UUID transferId;
    private final Path temp;
    private final FileChannel channel;
    private final long declared;
    private final long max;
    private final String maxName;
    private final String from;
    private long received;

    private IncomingFile(UUID transferId, Path temp, FileChannel channel, long declared, long max, String maxName,
        String from) {
        this.transferId = transferId;
        this.temp = temp;
        this.channel = channel;
        this.declared = declared;
        this.max = max;
        this.maxName = maxName;
        this.from = from;
    }

    /**
     * @param declared bytes the client declared, -1 when unknown
     * @param max most bytes it may bring: {@code maxTransferBytes}, or less when its token allows less
     * @param maxName what sets {@code max}, for messages: {@code maxTransferBytes} or {@code its token's maxBytes}
     * @param from how messages name the transfer: {@code of transfer <id> from <peer>}
     * @param reuse a spare file to write over (renamed to the temporary name and cut at once to what this upload
     *     reserved; its bytes past what arrives are cut off at the commit), or null for a new file
     */
    static IncomingFile create(Path dir, UUID transferId, long declared, long max, String maxName, String from,
        Path reuse) throws IOException {
        Path temp = Files.createTempFile(dir, transferId + ".", ".part");
        try {
            FileChannel channel;
            if (reuse == null)
                channel = FileChannel.open(temp, StandardOpenOption.WRITE);
            else
                channel = overwrite(reuse, temp, declared >= 0 ? declared : max);
            return new IncomingFile(transferId, temp, channel, declared, max, maxName, from);
        }
        catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
    }

    /**
     * Renames the spare file over the new empty one and opens it cut to {@code reserved}: it holds no more than the
     * upload reserved. When it cannot be renamed, the new file serves and the spare goes.
     */
    private static FileChannel overwrite(Path reuse, Path temp, long reserved) throws IOException {
        try {
            Files.move(reuse, temp, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            StagingArea.deleteQuietly(reuse); // the new file serves either way
        }
        FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        try {
            channel.truncate(reserved);
            return channel;
        }
        catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    UUID transferId() {
        return transferId;
    }

    /** Where {@link #commit} puts the file: the temporary file's unique name, ending in {@code .input}. */
    Path target() {
        String n = temp.getFileName().toString();
        return temp.resolveSibling(n.substring(0, n.length() - ".part".length()) + ".input");
    }

    /** Payload bytes written so far. */
    long received() {
        return received;
    }

    /** Appends a DATA payload; does not move its indexes. */
    void write(ByteBuf payload) {
        int n = payload.readableBytes();
        if (received + n > max)
            throw refused("brings more than " + maxName + " = " + max + " bytes", "at most " + maxName);
        if (declared >= 0 && received + n > declared)
            throw refused("brings " + (received + n) + " bytes, more than the declared " + declared,
                "exactly the declared length");
        try {
            ByteBuffer[] buffers = payload.nioBuffers();
            for (long left = n; left > 0;)
                left -= channel.write(buffers);
        }
        catch (IOException e) {
            throw new DataPathException(Failure.REFUSED, "data path: DATA " + from + " could not be written to "
                + temp + ": " + e + " (expected: a writable staging directory with free space; the transfer is "
                + "discarded)", e);
        }
        received += n;
    }

    /**
     * Closes the file and renames it to {@code target} once the END's total matches what was received (and
     * declared).
     */
    void commit(long total, Path target) {
        if (total != received)
            throw DataPathException.expected(total > received ? Failure.TRUNCATED : Failure.PROTOCOL, "data path: END "
                + from + " says " + total + " bytes, " + received + " were received (expected: equal; the transfer is "
                + "discarded)");
        if (declared >= 0 && received != declared)
            throw DataPathException.expected(Failure.TRUNCATED, "data path: END " + from + " came after " + received
                + " bytes, " + declared + " were declared (expected: equal; the transfer is discarded)");
        try {
            channel.truncate(received); // a spare file written over may hold more
            channel.close();
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (IOException e) {
            throw new DataPathException(Failure.REFUSED, "data path: transfer " + transferId + " could not be "
                + "committed to " + target + ": " + e + " (expected: a writable staging directory)", e);
        }
    }

    /** Closes and deletes the temporary file; quiet. */
    void delete() {
        try {
            channel.close();
            Files.deleteIfExists(temp);
        }
        catch (IOException ignored) {
            // Nothing else to do: the staging directory is in the temporary directory.
        }
    }

    private DataPathException refused(String found, String expected) {
        return DataPathException.expected(Failure.REFUSED, "data path: DATA " + from + ' ' + found + " (expected: "
            + expected + "; the transfer is discarded)");
    }
}
