package io.fabricstitch.ignite.placement;

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
 * tie-break), their numbers in flat arrays, and per function the fabrics that run it, nearest first, and every
 * fabric's speed for it ({@link FabricEntry#speedFor}).
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
    /** Each fabric's speed for each function (by index), built once per function; the fabric's own for null. */
    private final Map<String, double[]> speeds;
    private final double[] ownSpeed;
    private final Map<UUID, Integer> byId;
    private final Layout base;
    private final Map<UUID, Layout> byOrigin;

    private CandidateTable(FabricEntry[] fabrics) {
        this.fabrics = fabrics;
        int n = fabrics.length;
        latencyMs = new double[n];
        count = new long[n];
        free = new long[n];
        type = new byte[n];
        status = new byte[n];
        ownSpeed = new double[n];
        speeds = new java.util.concurrent.ConcurrentHashMap<>();
        byId = new HashMap<>(n * 2);
        byOrigin = new java.util.concurrent.ConcurrentHashMap<>();
        Map<String, List<Integer>> fns = new HashMap<>();
        for (int i = 0; i < n; i++) {
            FabricEntry e = fabrics[i];
            latencyMs[i] = e.getLatencyMs();
            count[i] = e.getResourceCount();
            free[i] = e.getResourceFree();
            type[i] = (byte)e.getFabricType().ordinal();
            status[i] = (byte)e.getStatus().ordinal();
            ownSpeed[i] = e.getSpeedFactor();
            byId.put(e.getFabricId(), i);
            for (String fn : e.getFunctions().keySet())
                fns.computeIfAbsent(fn, k -> new ArrayList<>()).add(i);
        }
        base = new Layout(latencyMs, -1, fns);
    }

    /** The same fabrics and layouts as {@code t} (shared, never changed) with other free amounts. */
    private CandidateTable(CandidateTable t, long[] free) {
        fabrics = t.fabrics;
        latencyMs = t.latencyMs;
        count = t.count;
        this.free = free;
        type = t.type;
        status = t.status;
        ownSpeed = t.ownSpeed;
        speeds = t.speeds;
        byId = t.byId;
        base = t.base;
        byOrigin = t.byOrigin;
    }

    /**
     * A table of the same fabrics whose free amounts are {@code free} (by index, clamped to 0..count), sharing
     * everything else, layouts included: for a map that changed only in load, far cheaper than {@link #of}.
     */
    public CandidateTable withFree(long[] free) {
        if (free.length != fabrics.length)
            throw new IllegalArgumentException("free: " + free.length + " amounts for " + fabrics.length + " fabrics");
        long[] clamped = new long[free.length];
        for (int i = 0; i < free.length; i++)
            clamped[i] = Math.max(0, Math.min(count[i], free[i]));
        return new CandidateTable(this, clamped);
    }

    /**
     * The fabrics' latencies as seen from one origin node, and per function the fabrics that run it, nearest first
     * (sorted lazily, once per function). Thread-safe.
     */
    final class Layout {
        final double[] latencyMs;
        final long matrixVersion;
        private final Map<String, List<Integer>> unsorted;
        private final Map<String, int[]> byFunction = new java.util.concurrent.ConcurrentHashMap<>();
        private volatile int[] all;

        Layout(double[] latencyMs, long matrixVersion, Map<String, List<Integer>> unsorted) {
            this.latencyMs = latencyMs;
            this.matrixVersion = matrixVersion;
            this.unsorted = unsorted;
        }

        /** Indexes of the fabrics that run {@code function}, nearest first. */
        int[] runners(String function) {
            int[] r = byFunction.get(function);
            if (r == null) {
                List<Integer> list = unsorted.get(function);
                r = list == null ? NONE : nearestFirst(list);
                byFunction.put(function, r);
            }
            return r;
        }

        /** Indexes of every fabric, nearest first. */
        int[] all() {
            int[] a = all;
            if (a == null) {
                List<Integer> every = new ArrayList<>(fabrics.length);
                for (int i = 0; i < fabrics.length; i++)
                    every.add(i);
                a = nearestFirst(every);
                all = a;
            }
            return a;
        }

        private int[] nearestFirst(List<Integer> indexes) {
            Integer[] arr = indexes.toArray(new Integer[0]);
            Arrays.sort(arr, Comparator.<Integer>comparingDouble(i -> latencyMs[i]).thenComparingInt(i -> i));
            int[] out = new int[arr.length];
            for (int i = 0; i < arr.length; i++)
                out[i] = arr[i];
            return out;
        }
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

    /**
     * Every fabric's speed for {@code function}, by index ({@link FabricEntry#speedFor}): its own speed for the
     * function where its agent measured or was configured with one, else its speed factor, which is also what a job
     * without a function gets (a {@code FabricJob} routed by the load-balancing SPI may name none; a
     * {@code FabricCompute.call} closure names the function its fabric must run and is weighed by it). Shared: never
     * change it.
     */
    double[] speeds(String function) {
        if (function == null || !base.unsorted.containsKey(function))
            return ownSpeed; // no function; or a function no fabric runs, which no fabric is weighed for
        return speeds.computeIfAbsent(function, fn -> {
            double[] s = new double[fabrics.length];
            for (int i = 0; i < s.length; i++)
                s[i] = fabrics[i].speedFor(fn);
            return s;
        });
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

    /** Indexes of the fabrics that run {@code function}, nearest first by {@code LATENCY_MS} alone. */
    int[] runners(String function) {
        return base.runners(function);
    }

    /** Indexes of every fabric, nearest first by {@code LATENCY_MS} alone. */
    int[] allNearestFirst() {
        return base.all();
    }

    /**
     * The fabrics' latencies from {@code origin}: the measured round trip from the origin to each fabric's node (0 on
     * the origin itself) plus the fabric's own {@code LATENCY_MS}; a pair not measured adds nothing, so the fabric's
     * {@code LATENCY_MS} alone counts. Cached per origin until the matrix changes.
     */
    Layout layout(UUID origin, LatencyMatrix matrix) {
        if (origin == null || matrix == null)
            return base;
        Layout l = byOrigin.get(origin);
        if (l != null && l.matrixVersion == matrix.version())
            return l;
        double[] lat = latencyMs.clone();
        Map<UUID, Double> byNode = new HashMap<>();
        for (int i = 0; i < fabrics.length; i++) {
            double net = byNode.computeIfAbsent(fabrics[i].getNodeId(), n -> matrix.networkMs(origin, n));
            if (!Double.isNaN(net))
                lat[i] += net;
        }
        l = new Layout(lat, matrix.version(), base.unsorted);
        byOrigin.put(origin, l);
        return l;
    }

    boolean isDegraded(int i) {
        return status[i] == FabricStatus.DEGRADED.ordinal();
    }
}
