package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteException;
import org.apache.ignite.internal.cluster.ClusterTopologyCheckedException;
import org.junit.jupiter.api.Test;

class DepartedNodeLogFilterTest {
    private final DepartedNodeLogFilter filter = new DepartedNodeLogFilter();

    private static LogRecord record(String logger, Throwable thrown) {
        LogRecord r = new LogRecord(Level.SEVERE, "Failed to send message to remote node");
        r.setLoggerName(logger);
        r.setThrown(thrown);
        return r;
    }

    @Test
    void ignitesRecordsAboutANodeThatLeft_areDropped() {
        assertFalse(filter.isLoggable(record("org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi",
            new IgniteCheckedException("send failed", new ClusterTopologyCheckedException("node left topology")))));
    }

    @Test
    void everyOtherRecord_passes() {
        assertTrue(filter.isLoggable(record("org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi",
            new IgniteException("handshake failed"))));
        assertTrue(filter.isLoggable(record("org.apache.ignite.internal.IgniteKernal", null)));
        assertTrue(filter.isLoggable(record("io.fabricstitch.ignite.plugin.FabricPluginProvider",
            new ClusterTopologyCheckedException("our own record says why"))), "only Ignite's own records");
    }
}
