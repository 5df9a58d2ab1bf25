package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.FabricListener;
import io.fabricstitch.model.FabricEntry;
import java.sql.Timestamp;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.apache.ignite.IgniteLogger;

/**
 * Reports a node's agent to the cluster after every health check: one {@code AGENT_HEARTBEAT} row, the agent's
 * liveness, which the orchestrator watches for silent agents; and those of its fabrics whose row in the map differs
 * from what the agent says (a status or reason changed, a speed was measured, someone else marked the row), so an idle
 * node writes one row per interval whatever its number of fabrics. Writes on the node's {@link ReportWriter} thread,
 * never on the agent's health thread. Can be silenced for a while (a fault for tests and demos: the agent seems hung).
 * Not API.
 */
public final class AgentReporter implements FabricListener {
    private final FabricMapStore store;
    private final ReportWriter writer;
    private final UUID nodeId;
    private final String nodeName;
    private final long healthIntervalMs;
    private final Function<UUID, FabricRow> inMap;
    private final Clock clock;
    private final IgniteLogger log;
    private volatile long silentUntilNanos;
    private volatile boolean silenced;
    private volatile boolean stopped;
    private volatile boolean lastFailed;

    /**
     * @param inMap the map's row of a fabric as this node sees it now (its {@link FabricMapView}), or null
     */
    public AgentReporter(FabricMapStore store, ReportWriter writer, UUID nodeId, String nodeName, long healthIntervalMs,
        Function<UUID, FabricRow> inMap, Clock clock, IgniteLogger log) {
        this.store = store;
        this.writer = writer;
        this.nodeId = nodeId;
        this.nodeName = nodeName;
        this.healthIntervalMs = healthIntervalMs;
        this.inMap = inMap;
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

    /**
     * Writes the first heartbeat as the node joins, after its rows: the node has a liveness record from the start,
     * not from its first health check.
     */
    public void joined(List<FabricEntry> fabrics) {
        writer.submit(this, () -> {
            if (stopped || isSilent())
                return;
            try {
                beat(fabrics, clock.instant().truncatedTo(ChronoUnit.MILLIS));
            }
            catch (RuntimeException e) {
                if (!stopped)
                    log.warning("Fabric Stitch: node " + nodeName + " could not write its first heartbeat (written "
                        + "again at every health check): " + e.getMessage());
            }
        });
    }

    private void beat(List<FabricEntry> fabrics, Instant at) {
        store.beat(new HeartbeatRow(nodeId, nodeName, Timestamp.from(at), fabrics.size(), healthIntervalMs));
    }

    private void report(List<FabricEntry> fabrics) {
        if (stopped)
            return;
        try {
            Instant at = clock.instant().truncatedTo(ChronoUnit.MILLIS);
            beat(fabrics, at);
            int rows = store.report(fabrics, nodeName, at, inMap);
            if (rows > 0 && log.isDebugEnabled())
                log.debug("Fabric Stitch: node " + nodeName + " rewrote " + rows + " of its " + fabrics.size()
                    + " Fabric Map row(s)");
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
