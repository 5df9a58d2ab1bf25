package io.fabricstitch.ignite.compute;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * A snapshot of the Fabric Map laid out for selection: the fabrics sorted by id (so the index is the deterministic
 * tie-break), their numbers in flat arrays, and per function the fabrics that run it, nearest first.
 * <p>
 * Everything but the free amounts is fixed. {@link #take} and {@link #give} change free amounts for the one owner
 * that keeps the reservation ledger (the orchestrator, under its lock); the table itself is not thread-safe for
 * writers, and readers of a table someone writes must hold the same lock.
 */
public final class CandidateTable {
    private static final int[] NONE = new int[0];

    private final FabricEntry[] fabrics;
    final double[] latencyMs;
    final long[] count;
    final long[] free;
    final byte[] type;
    final byte[] status;
    private final Map<String, int[]> byFunction;
    private final Map<UUID, Integer> byId;
    private final int[] allNearestFirst;

    private CandidateTable(FabricEntry[] fabrics) {
        this.fabrics = fabrics;
        int n = fabrics.length;
        latencyMs = new double[n];
        count = new long[n];
        free = new long[n];
        type = new byte[n];
        status = new byte[n];
        byId = new HashMap<>(n * 2);
        Map<String, List<Integer>> fns = new HashMap<>();
        for (int i = 0; i < n; i++) {
            FabricEntry e = fabrics[i];
            latencyMs[i] = e.getLatencyMs();
            count[i] = e.getResourceCount();
            free[i] = e.getResourceFree();
            type[i] = (byte)e.getFabricType().ordinal();
            status[i] = (byte)e.getStatus().ordinal();
            byId.put(e.getFabricId(), i);
            for (String fn : e.getSupportedFunctions())
                fns.computeIfAbsent(fn, k -> new ArrayList<>()).add(i);
        }
        byFunction = new HashMap<>(fns.size() * 2);
        Comparator<Integer> nearestFirst = Comparator.<Integer>comparingDouble(i -> latencyMs[i])
            .thenComparingInt(i -> i);
        List<Integer> all = new ArrayList<>(n);
        for (int i = 0; i < n; i++)
            all.add(i);
        all.sort(nearestFirst);
        allNearestFirst = all.stream().mapToInt(Integer::intValue).toArray();
        fns.forEach((fn, list) -> {
            list.sort(nearestFirst);
            byFunction.put(fn, list.stream().mapToInt(Integer::intValue).toArray());
        });
    }

    /** A table of {@code entries}, with free amounts as the entries report them. */
    public static CandidateTable of(Collection<FabricEntry> entries) {
        FabricEntry[] arr = entries.toArray(new FabricEntry[0]);
        Arrays.sort(arr, Comparator.comparing(FabricEntry::getFabricId));
        for (int i = 1; i < arr.length; i++) {
            if (arr[i].getFabricId().equals(arr[i - 1].getFabricId()))
                throw new IllegalArgumentException("entries: fabric " + arr[i].getFabricId()
                    + " appears twice (expected: one entry per fabric)");
        }
        return new CandidateTable(arr);
    }

    /** Number of fabrics. */
    public int size() {
        return fabrics.length;
    }

    /** The fabric at {@code index}, as the snapshot saw it (its free amount may since have changed). */
    public FabricEntry fabric(int index) {
        return fabrics[index];
    }

    /** Index of a fabric, or -1 when the table does not hold it. */
    public int indexOf(UUID fabricId) {
        Integer i = byId.get(fabricId);
        return i == null ? -1 : i;
    }

    /** Free units of the fabric at {@code index} now. */
    public long free(int index) {
        return free[index];
    }

    /** Takes {@code amount} units of the fabric at {@code index}; free never drops below 0. */
    public void take(int index, long amount) {
        free[index] = Math.max(0, free[index] - amount);
    }

    /** Gives back {@code amount} units; free never exceeds the fabric's count. */
    public void give(int index, long amount) {
        free[index] = Math.min(count[index], free[index] + amount);
    }

    /** Sets the free units of the fabric at {@code index}, clamped to 0..count. */
    public void setFree(int index, long units) {
        free[index] = Math.max(0, Math.min(count[index], units));
    }

    /** Indexes of the fabrics that run {@code function}, nearest first. */
    int[] runners(String function) {
        return byFunction.getOrDefault(function, NONE);
    }

    /** Indexes of every fabric, nearest first. */
    int[] allNearestFirst() {
        return allNearestFirst;
    }

    boolean isDegraded(int i) {
        return status[i] == FabricStatus.DEGRADED.ordinal();
    }
}
