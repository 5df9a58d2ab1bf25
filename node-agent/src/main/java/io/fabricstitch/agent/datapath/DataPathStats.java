package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * The counters of one {@link DataPathServer}, each monotonic from its start: transfers and payload bytes in (committed
 * uploads) and out (downloads the client confirmed), and failed transfers by {@link Failure kind}. An immutable
 * snapshot.
 */
public final class DataPathStats {
    private final long transfersIn;
    private final long transfersOut;
    private final long bytesIn;
    private final long bytesOut;
    private final Map<Failure, Long> failures;

    DataPathStats(long transfersIn, long transfersOut, long bytesIn, long bytesOut, Map<Failure, Long> failures) {
        this.transfersIn = transfersIn;
        this.transfersOut = transfersOut;
        this.bytesIn = bytesIn;
        this.bytesOut = bytesOut;
        EnumMap<Failure, Long> all = new EnumMap<>(Failure.class);
        for (Failure f : Failure.values())
            all.put(f, failures.getOrDefault(f, 0L));
        this.failures = Collections.unmodifiableMap(all);
    }

    /** Uploads committed. */
    public long transfersIn() {
        return transfersIn;
    }

    /** Downloads the client acknowledged. */
    public long transfersOut() {
        return transfersOut;
    }

    /** Payload bytes of the committed uploads. */
    public long bytesIn() {
        return bytesIn;
    }

    /** Payload bytes of the acknowledged downloads. */
    public long bytesOut() {
        return bytesOut;
    }

    /** Failed transfers of this kind. */
    public long failures(Failure kind) {
        return failures.get(kind);
    }

    /** Failed transfers by kind, every kind present. */
    public Map<Failure, Long> failuresByKind() {
        return failures;
    }

    /** All failed transfers. */
    public long failures() {
        return failures.values().stream().mapToLong(Long::longValue).sum();
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof DataPathStats))
            return false;
        DataPathStats s = (DataPathStats)o;
        return transfersIn == s.transfersIn && transfersOut == s.transfersOut && bytesIn == s.bytesIn
            && bytesOut == s.bytesOut && failures.equals(s.failures);
    }

    @Override
    public int hashCode() {
        return Objects.hash(transfersIn, transfersOut, bytesIn, bytesOut, failures);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        failures.forEach((k, v) -> {
            if (v > 0)
                sb.append(sb.length() == 0 ? "" : ", ").append(k).append('=').append(v);
        });
        return "DataPathStats [transfersIn=" + transfersIn + ", bytesIn=" + bytesIn + ", transfersOut=" + transfersOut
            + ", bytesOut=" + bytesOut + ", failures=" + failures() + (sb.length() == 0 ? "" : " (" + sb + ')') + ']';
    }
}
