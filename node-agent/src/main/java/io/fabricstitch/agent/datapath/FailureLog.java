package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.fabricstitch.internal.RateLimitedWarning;
import java.lang.System.Logger.Level;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Logs a server's failed transfers and refused connections the way the beacons' drop log does: each at DEBUG, and at
 * most one WARNING per {@link Failure kind} per minute, the first at once, later ones summarised with their count and
 * the last one's message. So a flood of garbage, forged tokens or slow peers writes a few lines, not one per
 * connection. Counting is the {@link DataPathCounters}' job. Thread-safe.
 */
final class FailureLog {
    private static final System.Logger LOG = System.getLogger(FailureLog.class.getName());

    private final String name;
    private final LongSupplier nanoTime;
    private final Map<Failure, RateLimitedWarning> warnings = new EnumMap<>(Failure.class);

    /**
     * @param name how log lines name the server, e.g. {@code data path n1}
     */
    FailureLog(String name, LongSupplier nanoTime) {
        this.name = name;
        this.nanoTime = nanoTime;
        for (Failure f : Failure.values())
            warnings.put(f, new RateLimitedWarning());
    }

    /** Logs one failure: at DEBUG, and in the WARNING of its kind when one is due. */
    void failed(DataPathException e) {
        String line = Failures.logLine(name, e.getMessage());
        LOG.log(Level.DEBUG, line);
        warnings.get(e.kind()).record(line.substring(name.length() + 2), nanoTime.getAsLong(),
            (count, last) -> warn(e.kind(), count, last));
    }

    /** Logs the summaries whose minute is over; called periodically. */
    void flush() {
        long now = nanoTime.getAsLong();
        warnings.forEach((kind, w) -> w.flush(now, (count, last) -> warn(kind, count, last)));
    }

    private void warn(Failure kind, long count, String last) {
        LOG.log(Level.WARNING, name + ": " + (count == 1 ? last : count + " " + kind + " failures in the last "
            + "minute, the last: " + last));
    }
}
