package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.FabricListener;
import io.fabricstitch.model.FabricEntry;
import java.time.Clock;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.apache.ignite.IgniteLogger;

/**
 * Reports a node's agent to the cluster after every health check: its fabrics with their status and reason, and
 * {@code UPDATED_AT} as the agent's heartbeat, which the orchestrator watches for silent agents. Writes on the
 * node's {@link ReportWriter} thread, never on the agent's health thread. Can be silenced for a while (a fault for tests and demos: the agent seems hung). Not API.
 */
public final class AgentReporter implements FabricListener {
    private final FabricMapStore store;
    private final ReportWriter writer;
    private final String nodeName;
    private final Clock clock;
    private final IgniteLogger log;
    private volatile long silentUntilNanos;
    private volatile boolean silenced;
    private volatile boolean stopped;
    private volatile boolean lastFailed;

    public AgentReporter(FabricMapStore store, ReportWriter writer, String nodeName, Clock clock, IgniteLogger log) {
        this.store = store;
        this.writer = writer;
        this.nodeName = nodeName;
        this.clock = clock;
        this.log = log;
    }

    @Override
    public void onFabricsChanged(List<FabricEntry> fabrics) {
        // Reported with the health check that follows every change.
    }

    @Override
    public void onHealthChecked(List<FabricEntry> fabrics) {
        if (stopped || isSilent())
            return;
        writer.submit(this, () -> report(fabrics));
    }

    private void report(List<FabricEntry> fabrics) {
        if (stopped)
            return;
        try {
            store.report(fabrics, nodeName, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            if (lastFailed)
                log.info("Fabric Stitch: node " + nodeName + " reports to the Fabric Map again");
            lastFailed = false;
        }
        catch (RuntimeException e) {
            if (!stopped && !lastFailed)
                log.warning("Fabric Stitch: node " + nodeName + " could not report its fabrics (retried every health "
                    + "check): " + e.getMessage());
            lastFailed = true;
        }
    }

    /** Stops reporting for {@code duration} (0 resumes at once), as a hung agent would. */
    public void silence(Duration duration) {
        silentUntilNanos = System.nanoTime() + duration.toNanos();
        silenced = !duration.isZero();
        log.info("Fabric Stitch: node " + nodeName + " agent reports " + (silenced ? "silenced for "
            + duration.toMillis() + " ms (injected fault)" : "resumed"));
    }

    /** Whether reports are silenced now. */
    public boolean isSilent() {
        if (silenced && System.nanoTime() - silentUntilNanos >= 0) {
            silenced = false;
            log.info("Fabric Stitch: node " + nodeName + " agent reports resumed");
        }
        return silenced;
    }

    /** No more reports: the node is stopping. */
    public void stop() {
        stopped = true;
    }
}
