package io.fabricstitch.ignite.internal;

import io.fabricstitch.internal.RateLimitedWarning;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.ignite.IgniteLogger;

/**
 * Warns that a Fabric Map row was written by someone other than its owner: once a minute at most for the same row
 * ({@link RateLimitedWarning}, with the count since), so that a client rewriting a row in a loop cannot fill the log.
 * Not API.
 */
final class RowWarnings {
    private final String table;
    private final IgniteLogger log;
    private final Map<Object, RateLimitedWarning> byRow = new ConcurrentHashMap<>();

    RowWarnings(String table, IgniteLogger log) {
        this.table = table;
        this.log = log;
    }

    /** Logs that the row of {@code key} was not written by its owner and what was done ({@code what}). */
    void warn(Object key, String what) {
        if (byRow.size() > 10_000)
            byRow.clear();
        byRow.computeIfAbsent(key, k -> new RateLimitedWarning()).record(what, System.nanoTime(), (count, last) ->
            log.warning("Fabric Stitch: " + table + " row " + key + " was not written by its owner, " + last
                + (count > 1 ? " (" + count + " times since the last warning)" : "") + " (the Fabric Map is written by "
                + "the agents and the orchestrator alone; see the security model in docs/operations.md)"));
    }
}
