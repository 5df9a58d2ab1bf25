package io.fabricstitch.function.process;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * One call's private temporary directory ({@code 0700}), holding {@code input} and {@code output}; closing it deletes
 * it with everything the program wrote into it, unreadable sub-directories included.
 */
final class CallDirectory implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(CallDirectory.class.getName());

    private static final Set<PosixFilePermission> OWNER_ALL = EnumSet.of(PosixFilePermission.OWNER_READ,
        PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_EXECUTE);

    private final Path path;

    private CallDirectory(Path path) {
        this.path = path;
    }

    /** A fresh directory {@code <root>/<prefix>-<random>}; creates {@code root} when missing. */
    static CallDirectory create(Path root, String prefix) throws IOException {
        Files.createDirectories(root);
        return new CallDirectory(Files.createTempDirectory(root, prefix + '-').toAbsolutePath());
    }

    Path path() {
        return path;
    }

    /** Where the call's input is written before the program starts. */
    Path input() {
        return path.resolve("input");
    }

    /** Where the program's output is read from once it exited. */
    Path output() {
        return path.resolve("output");
    }

    /** Deletes the directory and all in it, following no link; logs what could not be deleted instead of throwing. */
    @Override
    public void close() {
        try {
            delete(path);
        }
        catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "process function call directory " + path + ": not deleted (" + e
                + ") (expected: a directory the node's user can delete); delete it by hand");
        }
    }

    private static void delete(Path p) throws IOException {
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            try {
                Files.setPosixFilePermissions(p, OWNER_ALL);
            }
            catch (IOException | UnsupportedOperationException ignored) {
                // Not ours to change, or not POSIX: try to delete it as it is.
            }
            try (DirectoryStream<Path> children = Files.newDirectoryStream(p)) {
                for (Path child : children)
                    delete(child);
            }
        }
        Files.deleteIfExists(p);
    }
}
