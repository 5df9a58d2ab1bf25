package io.fabricstitch.agent.net;

import io.fabricstitch.internal.RateLimitedWarning;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.EnumMap;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * Records dropped datagrams: counts each, logs it at DEBUG, and logs at most one WARNING per reason per minute
 * summarising the drops since the last. Shared by the channels of one {@link AgentNetwork}.
 */
final class DropLog {
    private static final System.Logger LOG = System.getLogger(DropLog.class.getName());

    private final String name;
    private final NetworkConfiguration cfg;
    private final NetworkCounters counters;
    private final LongSupplier nanoTime;
    private final Map<DropReason, RateLimitedWarning> warnings = new EnumMap<>(DropReason.class);

    /**
     * @param name how log lines name the network, e.g. {@code agent network n1}
     */
    DropLog(String name, NetworkConfiguration cfg, NetworkCounters counters) {
        this.name = name;
        this.cfg = cfg;
        this.counters = counters;
        this.nanoTime = cfg.nanoTime();
        for (DropReason r : DropReason.values())
            warnings.put(r, new RateLimitedWarning());
    }

    /** Counts and logs a datagram a handler refused. */
    void dropped(DroppedDatagramException e) {
        DropReason reason = e.reason();
        String from = text(e.sender());
        counters.dropped(reason);
        LOG.log(Level.DEBUG, () -> name + ": dropped " + reason.label() + " datagram from " + from + ": "
            + e.getMessage());
        warnings.get(reason).record(from, nanoTime.getAsLong(), (count, last) -> warn(reason, count, last));
    }

    /** Counts as malformed a datagram that made a handler fail unexpectedly; logs one line (and DEBUG the trace). */
    void unexpected(Throwable t, InetSocketAddress sender) {
        counters.dropped(DropReason.MALFORMED);
        StackTraceElement[] at = t.getStackTrace();
        LOG.log(Level.WARNING, name + ": dropped a datagram from " + text(sender) + " after an unexpected " + t
            + (at.length > 0 ? " at " + at[0] : ""));
        LOG.log(Level.DEBUG, name + ": the unexpected failure's trace", t);
    }

    /** Logs the summaries whose minute is over; called periodically. */
    void flush() {
        long now = nanoTime.getAsLong();
        warnings.forEach((reason, w) -> w.flush(now, (count, last) -> warn(reason, count, last)));
    }

    private void warn(DropReason reason, long count, String last) {
        LOG.log(Level.WARNING, name + ": dropped " + count + ' ' + reason.label() + " beacon datagram(s) in the last "
            + "minute, last from " + last + " (expected: " + reason.expected(cfg) + ")");
    }

    private static String text(InetSocketAddress a) {
        return a == null ? "an unknown sender" : a.getHostString() + ':' + a.getPort();
    }
}
