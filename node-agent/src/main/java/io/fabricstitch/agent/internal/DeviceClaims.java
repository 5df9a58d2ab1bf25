package io.fabricstitch.agent.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Host-wide ownership of devices among the nodes of one host, so that the map never counts a device twice.
 * <p>
 * A claim is an exclusive OS file lock on {@code <dir>/<key>.lock}, held for the life of the agent. The first node to
 * lock a device owns it; the OS drops the lock when the process dies (even by {@code kill -9}), so a restarted node
 * claims its devices again. Nodes in one JVM share the process's locks, so a JVM-wide registry tells them apart, and a
 * file this JVM locks is never opened a second time (closing that handle would drop the lock). The lock file holds the
 * owner's name for messages. Not API.
 */
public final class DeviceClaims {
    /** What became of a claim. */
    public enum Outcome {
        /** This agent owns the device now (or already did). */
        CLAIMED,
        /** Another node on this host owns it. */
        HELD_BY_OTHER,
        /** Claims cannot be coordinated here (directory not writable); the device is taken without a lock. */
        UNCOORDINATED
    }

    /** Lock files this JVM holds, and which agent holds each: nodes of one JVM share the process's locks. */
    private static final ConcurrentMap<Path, DeviceClaims> JVM_HOLDERS = new ConcurrentHashMap<>();

    private final Path dir;
    private final String owner;
    private final Map<String, FileChannel> held = new LinkedHashMap<>();

    /**
     * @param dir folder for lock files, shared by every node of the host (created if missing)
     * @param owner this agent's name, written into the lock files it holds
     */
    public DeviceClaims(Path dir, String owner) {
        this.dir = dir;
        this.owner = owner;
    }

    /** Tries to own the device; a device this agent already owns stays {@link Outcome#CLAIMED}. */
    public synchronized Outcome tryClaim(String claimKey) throws IOException {
        if (held.containsKey(claimKey))
            return Outcome.CLAIMED;
        Files.createDirectories(dir);
        Path file = lockFile(claimKey);
        // POSIX locks belong to the process: closing any handle of a file this JVM locks would drop the lock, so a
        // file another node of this JVM holds is never opened.
        if (JVM_HOLDERS.putIfAbsent(file, this) != null)
            return Outcome.HELD_BY_OTHER;
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock = ch.tryLock();
            if (lock == null) {
                ch.close();
                JVM_HOLDERS.remove(file, this);
                return Outcome.HELD_BY_OTHER;
            }
            ch.truncate(0);
            ch.write(ByteBuffer.wrap((owner + " pid " + ProcessHandle.current().pid() + '\n')
                .getBytes(StandardCharsets.UTF_8)));
            held.put(claimKey, ch);
            return Outcome.CLAIMED;
        }
        catch (IOException | RuntimeException e) {
            if (ch != null)
                closeQuietly(ch);
            JVM_HOLDERS.remove(file, this);
            throw e;
        }
    }

    /** Who holds a device, as written in its lock file; empty when unknown. */
    public String holderOf(String claimKey) {
        Path file = lockFile(claimKey);
        DeviceClaims inJvm = JVM_HOLDERS.get(file);
        if (inJvm != null)
            return inJvm.owner + " pid " + ProcessHandle.current().pid();
        try {
            return Files.readString(file, StandardCharsets.UTF_8).trim();
        }
        catch (IOException | RuntimeException e) {
            return "";
        }
    }

    /** Whether this agent owns the device. */
    public synchronized boolean holds(String claimKey) {
        return held.containsKey(claimKey);
    }

    /** Gives one device up. */
    public synchronized void release(String claimKey) {
        FileChannel ch = held.remove(claimKey);
        if (ch != null) {
            closeQuietly(ch);
            JVM_HOLDERS.remove(lockFile(claimKey), this);
        }
    }

    /** Gives every device up; the lock files stay, unlocked. */
    public synchronized void releaseAll() {
        for (String key : List.copyOf(held.keySet()))
            release(key);
    }

    /** The folder of lock files. */
    public Path directory() {
        return dir;
    }

    private Path lockFile(String claimKey) {
        return dir.toAbsolutePath().normalize().resolve(fileName(claimKey));
    }

    static String fileName(String claimKey) {
        StringBuilder sb = new StringBuilder(claimKey.length() + 5);
        for (char c : claimKey.toCharArray())
            sb.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' ? c : '_');
        return sb.append(".lock").toString();
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        }
        catch (IOException ignored) {
            // Closing releases the lock; a failure here leaves nothing to undo.
        }
    }
}
