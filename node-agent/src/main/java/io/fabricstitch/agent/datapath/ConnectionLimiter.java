package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.netty.channel.socket.SocketChannel;
import java.net.InetAddress;

/**
 * Admits a server's new connection while the agent's connections from its peer's address and in all are under their
 * caps (counted in the {@link DataPathBudget}); closes any other at once, before its pipeline (TLS engine, buffers) is
 * built, counted and logged as {@link Failure#BUSY BUSY}. Thread-safe.
 */
final class ConnectionLimiter {
    private final DataPathBudget budget;
    private final DataPathCounters counters;
    private final FailureLog failures;

    ConnectionLimiter(DataPathBudget budget, DataPathCounters counters, FailureLog failures) {
        this.budget = budget;
        this.counters = counters;
        this.failures = failures;
    }

    /** Whether {@code ch} may go on; counted until it closes. When not, it is closed. */
    boolean admit(SocketChannel ch) {
        InetAddress peer = ch.remoteAddress().getAddress();
        String over = budget.admit(peer);
        if (over == null) {
            ch.closeFuture().addListener(f -> budget.leave(peer));
            return true;
        }
        counters.failed(Failure.BUSY);
        failures.failed(DataPathException.expected(Failure.BUSY, "data path: connection from " + Failures.peer(ch)
            + " closed at once: " + over));
        ch.close();
        return false;
    }
}
