package io.fabricstitch.function.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Collectors;

/**
 * Kills a program and every process under it, deepest first, so that each parent is still alive to reap the children
 * killed under it and no zombie is left.
 * <p>
 * Killing a parent first would orphan its children, and an orphan that exits stays a zombie until init reaps it;
 * where init does not reap (as in some containers) it stays one for good. So each round takes the program's
 * descendants, sends SIGKILL to the leaves (running processes without a child, a zombie child included), and waits
 * for them and for every zombie of the tree to be reaped by their parents (a shell in {@code wait} reaps its killed
 * children, then exits by itself). A zombie still there after {@value #ROUND_WAIT_MS} ms has a parent that does not
 * reap; it is left, and its parent is killed in a later round. Rounds go on until no descendant is left, then the
 * program itself is killed and reaped. They are bounded in number and time: what is left after {@value #BUDGET_MS}
 * ms is killed at once.
 * <p>
 * A descendant that has detached itself from the tree ({@code setsid} and a double fork, as daemons do) is no
 * descendant any more and escapes, as it escapes any supervisor that does not use cgroups. So does a child the program
 * leaves behind when it exits normally: it is orphaned at that moment.
 */
final class ProcessTree {
    /** Longest a kill may take before what is left is killed at once. */
    static final long BUDGET_MS = 5_000;

    /** Longest one round waits for its processes to be reaped. */
    static final long ROUND_WAIT_MS = 1_000;

    private static final int MAX_ROUNDS = 64;
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final boolean PROC = Files.isDirectory(Path.of("/proc/self"));

    private ProcessTree() {
    }

    /**
     * Kills {@code program}'s descendants bottom-up, then {@code program}, and waits (bounded) for it to be reaped.
     * Keeps the calling thread's interrupt flag but is not cut short by it.
     *
     * @return how many descendants were sent SIGKILL
     */
    static int kill(Process program) {
        boolean interrupted = Thread.interrupted();
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(BUDGET_MS);
        Set<Long> killed = new HashSet<>();
        Set<Long> stuck = new HashSet<>();
        for (int round = 0; round < MAX_ROUNDS && System.nanoTime() - deadline < 0; round++) {
            if (!round(program, killed, stuck, deadline))
                break;
        }
        program.descendants().filter(h -> state(h) == State.RUNNING).forEach(h -> kill(h, killed));
        program.destroyForcibly();
        try {
            program.waitFor(BUDGET_MS, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            interrupted = true;
        }
        if (interrupted)
            Thread.currentThread().interrupt();
        return killed.size();
    }

    /** One round: kills the leaves, waits for them and the tree's zombies to be reaped; false once none is left. */
    private static boolean round(Process program, Set<Long> killed, Set<Long> stuck, long deadline) {
        List<ProcessHandle> present = new ArrayList<>();
        List<ProcessHandle> zombies = new ArrayList<>();
        Set<Long> zombiePids = new HashSet<>();
        program.descendants().filter(h -> !stuck.contains(h.pid())).forEach(h -> {
            State s = state(h);
            if (s != State.GONE)
                present.add(h);
            if (s == State.ZOMBIE) {
                zombies.add(h);
                zombiePids.add(h.pid());
            }
        });
        if (present.isEmpty())
            return false;
        Set<Long> parents = present.stream().map(h -> h.parent().map(ProcessHandle::pid).orElse(-1L))
            .collect(Collectors.toSet());
        List<ProcessHandle> awaited = new ArrayList<>(zombies);
        for (ProcessHandle h : present) {
            if (!parents.contains(h.pid()) && !zombiePids.contains(h.pid())) {
                kill(h, killed);
                awaited.add(h);
            }
        }
        awaitReaped(awaited, Math.min(deadline - System.nanoTime(), TimeUnit.MILLISECONDS.toNanos(ROUND_WAIT_MS)));
        awaited.stream().filter(h -> state(h) == State.ZOMBIE).forEach(h -> stuck.add(h.pid()));
        return true;
    }

    private static void kill(ProcessHandle h, Set<Long> killed) {
        if (h.destroyForcibly())
            killed.add(h.pid());
    }

    /** Waits until none of {@code handles} exists any more (each was reaped), or {@code nanos} passed. */
    private static void awaitReaped(List<ProcessHandle> handles, long nanos) {
        long deadline = System.nanoTime() + nanos;
        while (handles.stream().anyMatch(h -> state(h) != State.GONE) && System.nanoTime() - deadline < 0)
            LockSupport.parkNanos(POLL_NANOS);
    }

    private enum State { RUNNING, ZOMBIE, GONE }

    /** From {@code /proc/<pid>/stat} where there is one (a zombie has an entry until it is reaped). */
    private static State state(ProcessHandle h) {
        if (!PROC)
            return h.isAlive() ? State.RUNNING : State.GONE;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"), StandardCharsets.UTF_8);
            int end = stat.lastIndexOf(')');
            return end >= 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z' ? State.ZOMBIE : State.RUNNING;
        }
        catch (NoSuchFileException e) {
            return State.GONE;
        }
        catch (IOException | RuntimeException e) {
            return h.isAlive() ? State.RUNNING : State.GONE;
        }
    }
}
