package io.fabricstitch.agent.net;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/** How many of an agent's fabrics have one type and status, e.g. {@code GPU x2 ONLINE}. Immutable. */
public final class FabricSummary implements Comparable<FabricSummary> {
    /** Largest count a summary carries (an unsigned 16-bit field on the wire). */
    public static final int MAX_COUNT = 65535;

    private final FabricType type;
    private final FabricStatus status;
    private final int count;

    private FabricSummary(FabricType type, FabricStatus status, int count) {
        this.type = Checks.notNull(type, "type");
        this.status = Checks.notNull(status, "status");
        this.count = (int)Checks.inRange(count, 1, MAX_COUNT, "count");
    }

    /**
     * One summary.
     *
     * @throws IllegalArgumentException when a value is null or {@code count} is not 1..{@value #MAX_COUNT}
     */
    public static FabricSummary of(FabricType type, FabricStatus status, int count) {
        return new FabricSummary(type, status, count);
    }

    /** The entries grouped by (type, status), sorted by type then status. */
    public static List<FabricSummary> of(Collection<FabricEntry> entries) {
        int[][] counts = new int[FabricType.values().length][FabricStatus.values().length];
        for (FabricEntry e : Checks.notNull(entries, "entries"))
            counts[e.getFabricType().ordinal()][e.getStatus().ordinal()]++;
        List<FabricSummary> all = new ArrayList<>();
        for (FabricType t : FabricType.values()) {
            for (FabricStatus s : FabricStatus.values()) {
                int n = counts[t.ordinal()][s.ordinal()];
                if (n > 0)
                    all.add(new FabricSummary(t, s, Math.min(n, MAX_COUNT)));
            }
        }
        return Collections.unmodifiableList(all);
    }

    /** The fabrics' type. */
    public FabricType type() {
        return type;
    }

    /** The fabrics' status. */
    public FabricStatus status() {
        return status;
    }

    /** How many fabrics have this type and status; at least 1. */
    public int count() {
        return count;
    }

    /** By type, then status, then count. */
    @Override
    public int compareTo(FabricSummary o) {
        int c = type.compareTo(o.type);
        if (c == 0)
            c = status.compareTo(o.status);
        return c != 0 ? c : Integer.compare(count, o.count);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof FabricSummary))
            return false;
        FabricSummary s = (FabricSummary)o;
        return type == s.type && status == s.status && count == s.count;
    }

    @Override
    public int hashCode() {
        return (type.hashCode() * 31 + status.hashCode()) * 31 + count;
    }

    /** {@code GPU x2 ONLINE}. */
    @Override
    public String toString() {
        return type + " x" + count + ' ' + status;
    }
}
