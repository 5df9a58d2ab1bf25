package io.fabricstitch.ignite;

import java.util.logging.Filter;
import java.util.logging.LogRecord;

/**
 * A {@code java.util.logging} filter that drops Ignite's records about messages to a node that has left the
 * topology: after a node dies, every message still addressed to it (service calls to a moving orchestrator, job
 * results, cache updates) makes Ignite's communication SPI log a SEVERE record with a stack trace, tens of lines each,
 * although the sender is told and retries. Fabric Stitch says what matters once per task instead ({@code task ... lost
 * ...; placing it again}). Records from Ignite whose error is a {@code ClusterTopologyException} or Ignite's internal
 * {@code ClusterTopologyCheckedException} are dropped; every other record passes.
 * <p>
 * The shipped {@code config/java.util.logging.properties} sets it on the console handler:
 * {@code java.util.logging.ConsoleHandler.filter=io.fabricstitch.ignite.DepartedNodeLogFilter}.
 */
public final class DepartedNodeLogFilter implements Filter {
    private static final String[] TOPOLOGY_ERRORS = {
        "org.apache.ignite.cluster.ClusterTopologyException",
        "org.apache.ignite.internal.cluster.ClusterTopologyCheckedException",
        "org.apache.ignite.internal.cluster.ClusterTopologyServerNotFoundException"
    };

    @Override
    public boolean isLoggable(LogRecord record) {
        String logger = record.getLoggerName();
        if (logger == null || !logger.startsWith("org.apache.ignite"))
            return true;
        for (Throwable t = record.getThrown(); t != null; t = t.getCause()) {
            if (isTopologyError(t.getClass()))
                return false;
            if (t.getCause() == t)
                break;
        }
        return true;
    }

    private static boolean isTopologyError(Class<?> type) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (String name : TOPOLOGY_ERRORS) {
                if (c.getName().equals(name))
                    return true;
            }
        }
        return false;
    }
}
