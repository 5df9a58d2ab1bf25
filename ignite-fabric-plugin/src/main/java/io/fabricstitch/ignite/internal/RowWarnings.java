package io.fabricstitch.ignite.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ignite.IgniteLogger;

/**
 * Warns that a Fabric Map row was written by someone other than its owner: once a minute at most for the same row, so
 * that a client rewriting a row in a loop cannot fill the log. Not API.
 */
final class RowWarnings {
    /** Shortest time between two warnings about the same row, ms. */
    static final long WARN_EVERY_MS = 60_000;

    private final String table;
    private final IgniteLogger log;
    private final Map<Object, Long> warnedAt = new ConcurrentHashMap<>();

    RowWarnings(String table, IgniteLogger log) {
        this.table = table;
        this.log = log;
    }

    /** Logs that the row of {@code key} was not written by its owner and what was done ({@code what}). */
    void warn(Object key, String what) {
        long now = System.currentTimeMillis();
        Long last = warnedAt.get(key);
        if (last != null && now - last < WARN_EVERY_MS)
            return;
        if (warnedAt.size() > 10_000)
            warnedAt.clear();
        warnedAt.put(key, now);
        log.warning("Fabric Stitch: " + table + " row " + key + " was not written by its owner, " + what
            + " (the Fabric Map is written by the agents and the orchestrator alone; see the security model in "
            + "docs/operations.md)");
    }
}
