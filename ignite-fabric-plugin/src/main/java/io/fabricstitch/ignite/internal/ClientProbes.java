package io.fabricstitch.ignite.internal;

import io.fabricstitch.agent.net.AgentNetwork;
import io.fabricstitch.agent.net.Announcement;
import io.fabricstitch.agent.net.NetworkConfiguration;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;

/**
 * The round trips of a client node (where applications submit tasks) to the servers' agents, so that the cost
 * function's {@code NetworkLatency} from such an origin is measured rather than unknown. The client runs the agents'
 * network without an agent: it announces itself with no fabrics (with the beacon secret, as every agent does), hears
 * the servers' beacons, pings their agents, and every health interval writes the {@code FABRIC_LATENCY} rows measured
 * from it to live servers, which it guards as a server's agent guards its own ({@link MapGuards#startLatencies}). It
 * publishes {@link FabricMapSchema#ATTR_LATENCY_PROBES}, so rows claiming to come from a client without probes are
 * removed, and the oldest server removes its rows when it leaves ({@link MembershipWatcher}). Its UDP socket takes any
 * free port (servers reply to a datagram's source). Not API.
 */
public final class ClientProbes implements AutoCloseable {
    private final AgentNetwork network;
    private final long intervalMs;
    private final IgniteLogger log;
    private ScheduledExecutorService timer;
    private ReportWriter writer;
    private NetworkReporter reporter;
    private MapGuards guards;

    private ClientProbes(AgentNetwork network, long intervalMs, IgniteLogger log) {
        this.network = network;
        this.intervalMs = intervalMs;
        this.log = log;
    }

    /**
     * Starts the client's probes and marks them in {@code attrs}; null (said in the log) when beacons are off or no
     * secret is configured.
     *
     * @throws IllegalStateException naming what could not be bound
     */
    public static ClientProbes start(FabricPluginConfiguration cfg, String host, UUID nodeId, String nodeName,
        Map<String, Object> attrs, IgniteLogger log) {
        if (AgentFactory.network(cfg.getNetwork(), host) == null) {
            if (log.isInfoEnabled())
                log.info("Fabric Stitch: client node " + nodeName + " measures no round trips to the servers' agents ("
                    + (cfg.getNetwork().isBeaconsEnabled() ? "no beacon secret" : "network.beaconsEnabled=false")
                    + "); tasks it submits are routed on each fabric's LATENCY_MS alone");
            return null;
        }
        Announcement self = Announcement.of(nodeId, nodeName, cfg.getSite(), host + ":0", List.of());
        AgentNetwork net = new AgentNetwork(NetworkConfiguration.builder(cfg.getNetwork()).bindHost(host).anyPort(true)
            .build(), () -> self);
        net.start();
        attrs.put(FabricMapSchema.ATTR_LATENCY_PROBES, Boolean.TRUE);
        return new ClientProbes(net, cfg.getAgent().getHealthIntervalMs(), log);
    }

    /** Writes and guards the measured rows once the node has joined. */
    public synchronized void open(Ignite ignite, AgentNetworkStore netStore, LatencyView latencyView,
        ToDoubleFunction<UUID> bandwidth) {
        String name = String.valueOf(ignite.cluster().localNode().consistentId());
        writer = new ReportWriter(name);
        reporter = new NetworkReporter(() -> Optional.of(network), false, netStore, writer,
            ignite.cluster().localNode().id(), name, id -> ClusterNodes.isLiveServer(ignite, id), () -> false,
            bandwidth, Clock.systemUTC(), log);
        guards = new MapGuards(name, log).startLatencies(ignite, netStore, reporter, latencyView);
        timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fabric-client-probes-" + name);
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(() -> reporter.onHealthChecked(List.of()), intervalMs, intervalMs,
            TimeUnit.MILLISECONDS);
    }

    /** The client's agent network. */
    public AgentNetwork network() {
        return network;
    }

    @Override
    public synchronized void close() {
        if (timer != null)
            timer.shutdownNow();
        if (reporter != null)
            reporter.stop();
        if (writer != null)
            writer.close();
        if (guards != null)
            guards.close();
        network.close();
    }
}
