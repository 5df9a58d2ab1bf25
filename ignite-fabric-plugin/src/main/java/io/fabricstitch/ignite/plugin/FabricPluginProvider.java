package io.fabricstitch.ignite.plugin;

import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.FabricStitch;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.agent.FabricAgent;
import io.fabricstitch.ignite.internal.AgentFactory;
import io.fabricstitch.ignite.internal.IgniteInternals;
import io.fabricstitch.ignite.internal.AgentNetworkStore;
import io.fabricstitch.ignite.internal.ClientProbes;
import io.fabricstitch.ignite.internal.AgentReporter;
import io.fabricstitch.ignite.internal.ClusterNodes;
import io.fabricstitch.ignite.internal.ClusterTransferKey;
import io.fabricstitch.ignite.internal.DataPaths;
import io.fabricstitch.ignite.internal.FabricComputeImpl;
import io.fabricstitch.ignite.internal.LatencyView;
import io.fabricstitch.ignite.internal.MapGuards;
import io.fabricstitch.ignite.internal.OrchestratorKeeper;
import io.fabricstitch.ignite.internal.QueryWatch;
import io.fabricstitch.ignite.internal.NetworkReporter;
import io.fabricstitch.ignite.internal.ReportWriter;
import io.fabricstitch.ignite.internal.FabricFaults;
import io.fabricstitch.ignite.compute.ComputeEngine;
import io.fabricstitch.ignite.internal.FabricMapStore;
import io.fabricstitch.ignite.internal.FabricMapView;
import io.fabricstitch.ignite.internal.FabricServerFilter;
import io.fabricstitch.ignite.internal.OrchestratorService;
import io.fabricstitch.ignite.internal.TaskLedgerStore;
import io.fabricstitch.ignite.internal.console.ConsoleServer;
import io.fabricstitch.ignite.internal.MembershipWatcher;
import io.fabricstitch.model.FabricType;
import java.io.Serializable;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.ConnectorConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.plugin.CachePluginContext;
import org.apache.ignite.plugin.CachePluginProvider;
import org.apache.ignite.plugin.ExtensionRegistry;
import org.apache.ignite.plugin.PluginConfiguration;
import org.apache.ignite.plugin.PluginContext;
import org.apache.ignite.plugin.PluginProvider;
import org.apache.ignite.plugin.PluginValidationException;
import org.apache.ignite.services.ServiceConfiguration;

/**
 * The Fabric Stitch Ignite plugin. Found by Ignite's service loader when {@code ignite-fabric-plugin} is on the
 * classpath and no plugin providers are set explicitly (then it runs with default settings); or set explicitly with
 * a {@link FabricPluginConfiguration}, from code or Spring XML (explicit providers turn the service loader off).
 * <p>
 * On a server node it starts the node's agent before the node joins, publishes the fabric types and functions as
 * node attributes, writes the node's fabrics to the Fabric Map once the node has joined, and turns the fabrics of
 * departed nodes OFFLINE. It refuses server nodes that join without the plugin. On a client node it only opens the map.
 */
public class FabricPluginProvider implements PluginProvider<FabricPluginConfiguration> {
    /** The plugin's name: {@code ignite.plugin("fabric-stitch")}. */
    public static final String NAME = ComputeEngine.PLUGIN_NAME;

    /** The plugin's version, published as node attribute {@link FabricMapSchema#ATTR_VERSION}. */
    public static final String VERSION = "0.1.0";

    private final FabricPlugin plugin = new FabricPlugin();
    private FabricPluginConfiguration configuration;
    private IgniteLogger log;
    private IgniteConfiguration igniteCfg;
    private FabricAgent agent;
    private MembershipWatcher watcher;
    private MapGuards guards;
    private OrchestratorKeeper keeper;
    private QueryWatch queryWatch;
    private org.apache.ignite.lang.IgnitePredicate<org.apache.ignite.events.Event> membership;
    private PluginContext ctx;
    private FabricMapView view;
    private FabricComputeImpl compute;
    private AgentReporter reporter;
    /** The fabric ids each member announced when it joined ({@link FabricMapSchema#ATTR_FABRICS}), by node id. */
    private final Map<UUID, java.util.Set<String>> announcedByNode = new java.util.concurrent.ConcurrentHashMap<>();
    private ReportWriter reportWriter;
    private NetworkReporter networkReporter;
    private LatencyView latencyView;
    private FabricFaults faults;
    private DataPaths dataPaths;
    private ClusterTransferKey transferKey;
    private ConsoleServer console;
    private ClientProbes clientProbes;

    /** The configuration set on this provider; null means the node's plugin configurations, else defaults. */
    public FabricPluginConfiguration getConfiguration() {
        return configuration;
    }

    public FabricPluginProvider setConfiguration(FabricPluginConfiguration configuration) {
        this.configuration = configuration;
        return this;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String version() {
        return VERSION;
    }

    @Override
    public String copyright() {
        return "Fabric Stitch developers";
    }

    /** The plugin's face on this node, what {@code ignite.plugin("fabric-stitch")} returns. */
    @SuppressWarnings("unchecked")
    @Override
    public FabricStitch plugin() {
        return plugin;
    }

    @Override
    public void initExtensions(PluginContext ctx, ExtensionRegistry registry) throws IgniteCheckedException {
        this.ctx = ctx;
        this.igniteCfg = ctx.igniteConfiguration();
        this.log = ctx.log(FabricPluginProvider.class);
        FabricPluginConfiguration cfg = resolveConfiguration(igniteCfg);
        try {
            cfg.validate();
        }
        catch (IllegalArgumentException e) {
            throw new IgniteCheckedException("Fabric Stitch configuration of node " + igniteCfg.getIgniteInstanceName()
                + " is invalid: " + e.getMessage());
        }
        plugin.configuration(cfg);
    }

    @SuppressWarnings("deprecation")
    private FabricPluginConfiguration resolveConfiguration(IgniteConfiguration icfg) {
        if (configuration != null)
            return configuration;
        if (icfg.getPluginConfigurations() != null) {
            for (PluginConfiguration pc : icfg.getPluginConfigurations()) {
                if (pc instanceof FabricPluginConfiguration)
                    return (FabricPluginConfiguration)pc;
            }
        }
        return new FabricPluginConfiguration();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <T> T createComponent(PluginContext ctx, Class<T> cls) {
        // Called after initExtensions, which validated the configuration.
        FabricPluginConfiguration cfg = plugin.configuration();
        if (cls != org.apache.ignite.internal.processors.security.GridSecurityProcessor.class || cfg == null
            || cfg.getSecurity() == null)
            return null;
        return (T)new io.fabricstitch.ignite.internal.security.FabricSecurityProcessor(
            ((org.apache.ignite.internal.IgniteEx)ctx.grid()).context(), cfg.getSecurity(),
            cfg.getNetwork().effectiveBeaconSecret());
    }

    @Override
    public CachePluginProvider createCacheProvider(CachePluginContext ctx) {
        return null;
    }

    /**
     * Starts the agent before the node joins, so the node's attributes can name its fabric types. The local node
     * does not exist yet at this point; its id does: Ignite fixes it in the node's configuration before start.
     */
    @SuppressWarnings("deprecation")
    @Override
    public void start(PluginContext ctx) throws IgniteCheckedException {
        boolean client = igniteCfg.isClientMode() != null && igniteCfg.isClientMode();
        UUID nodeId = igniteCfg.getNodeId();
        if (nodeId == null)
            throw new IgniteCheckedException("Fabric Stitch: node " + igniteCfg.getIgniteInstanceName()
                + " has no node id at plugin start (expected: Ignite 2.17, which sets it before plugins start)");
        FabricPluginConfiguration cfg = plugin.configuration();
        // The node's one name (map, agents, latency matrix, console, logs): its consistent id, final by now.
        String name = IgniteInternals.consistentId(ctx.grid());
        String host = AgentFactory.advertiseHost(cfg, igniteCfg);
        transferKey = ClusterTransferKey.of(cfg, nodeId, new SecureRandom());
        plugin.transferKey(transferKey);
        try {
            dataPaths = DataPaths.create(cfg.getDataPath(), cfg.getAgent().getSysfsRoot(), name, host,
                transferKey::current);
        }
        catch (IllegalArgumentException | IllegalStateException e) {
            throw new IgniteCheckedException("Fabric Stitch data path of node " + name + " cannot start: "
                + e.getMessage());
        }
        plugin.dataPaths(dataPaths);
        if (client) {
            Map<String, Object> attrs = userAttributes();
            attrs.put(FabricMapSchema.ATTR_SITE, cfg.getSite());
            if (dataPaths != null)
                dataPaths.publish(attrs, 0);
            try {
                clientProbes = ClientProbes.start(cfg, host, nodeId, name, attrs, log);
            }
            catch (IllegalArgumentException | IllegalStateException e) {
                closeDataPaths();
                throw new IgniteCheckedException("Fabric Stitch latency probes of client node " + name
                    + " cannot start: " + e.getMessage());
            }
            igniteCfg.setUserAttributes(attrs);
            return;
        }
        try {
            agent = new FabricAgent(AgentFactory.agentConfiguration(cfg, igniteCfg, nodeId, name,
                dataPaths == null ? null : dataPaths.configuration()));
        }
        catch (IllegalArgumentException e) {
            closeDataPaths();
            throw new IgniteCheckedException("Fabric Stitch agent of node " + igniteCfg.getIgniteInstanceName()
                + " cannot start: " + e.getMessage());
        }
        try {
            plugin.localFabrics(agent.start());
            plugin.agent(agent);
            if (dataPaths != null)
                dataPaths.listen(host, agent.dataPathServer(false).orElseThrow()::stageInput);
            publishAttributes();
            logNetwork();
        }
        catch (IllegalArgumentException | IllegalStateException e) {
            agent.stop();
            closeDataPaths();
            throw new IgniteCheckedException("Fabric Stitch agent of node " + igniteCfg.getIgniteInstanceName()
                + " cannot start: " + e.getMessage());
        }
        catch (RuntimeException e) {
            agent.stop();
            closeDataPaths();
            throw e;
        }
    }

    private void closeDataPaths() {
        if (dataPaths != null)
            dataPaths.close();
    }

    private Map<String, Object> userAttributes() {
        Map<String, Object> attrs = new HashMap<>();
        if (igniteCfg.getUserAttributes() != null)
            attrs.putAll(igniteCfg.getUserAttributes());
        return attrs;
    }

    private void logNetwork() {
        FabricPluginConfiguration cfg = plugin.configuration();
        if (igniteCfg.getFailureDetectionTimeout() != null && igniteCfg.getFailureDetectionTimeout() >= 10_000)
            log.info("Fabric Stitch: node " + agent.agentName() + " takes a hung node for failed after "
                + "failureDetectionTimeout=" + igniteCfg.getFailureDetectionTimeout() + " ms; 2000..5000 ms moves "
                + "the tasks of a hung node sooner on a LAN (see docs/operations.md for the trade-off)");
        warnIfRestConnectorOn();
        if (!cfg.getNetwork().isBeaconsEnabled())
            log.info("Fabric Stitch: node " + agent.agentName() + " runs without beacons and latency "
                + "probes (network.beaconsEnabled=false); the cost function uses each fabric's LATENCY_MS alone");
        else if (agent.network().isEmpty())
            log.warning("Fabric Stitch: node " + agent.agentName() + " runs without beacons and "
                + "latency probes: no beacon secret (expected: network.beaconSecret, network.beaconSecretFile or the "
                + FabricNetworkConfiguration.ENV_BEACON_SECRET + " environment variable, the same on every node, at "
                + "least 16 bytes); the cost function uses each fabric's LATENCY_MS alone");
    }

    /** Ignite opens its REST TCP connector unless the configuration sets it to null; say so, as it is unguarded. */
    private void warnIfRestConnectorOn() {
        ConnectorConfiguration rest = igniteCfg.getConnectorConfiguration();
        if (rest == null)
            return;
        String host = rest.getHost() != null ? rest.getHost()
            : igniteCfg.getLocalHost() != null ? igniteCfg.getLocalHost() : "every interface";
        int last = rest.getPort() + Math.max(1, rest.getPortRange()) - 1;
        log.warning("Fabric Stitch: node " + agent.agentName() + " opens Ignite's REST TCP connector on " + host
            + ", ports " + rest.getPort() + ".." + last
            + ", which answers without authentication unless Ignite security is configured and which Fabric Stitch "
            + "does not use (expected: connectorConfiguration set to null, as in config/fabric-server.xml, unless a "
            + "tool needs it; see docs/operations.md, \"Ports\")");
    }

    private void publishAttributes() {
        Map<String, Object> attrs = userAttributes();
        attrs.put(FabricMapSchema.ATTR_VERSION, VERSION);
        attrs.put(FabricMapSchema.ATTR_TYPES, agent.fabricTypes().stream().map(FabricType::name)
            .collect(Collectors.joining(",")));
        attrs.put(FabricMapSchema.ATTR_FUNCTIONS, String.join(",", agent.functions()));
        attrs.put(FabricMapSchema.ATTR_FABRICS, agent.fabrics().stream().map(f -> f.getFabricId().toString())
            .collect(Collectors.joining(",")));
        attrs.put(FabricMapSchema.ATTR_SITE, plugin.configuration().getSite());
        attrs.put(FabricMapSchema.ATTR_HEALTH_INTERVAL_MS, plugin.configuration().getAgent().getHealthIntervalMs());
        if (dataPaths != null)
            dataPaths.publish(attrs, agent.dataPathServer(true).map(srv -> srv.address().getPort()).orElse(0));
        igniteCfg.setUserAttributes(attrs);
    }

    private long sinceAgentStart(long nanos) {
        return (nanos - agent.startedNanos()) / 1_000_000;
    }

    @Override
    public void onIgniteStart() {
        long joinedNanos = System.nanoTime();
        Ignite ignite = ctx.grid();
        FabricPluginConfiguration cfg = plugin.configuration();
        FabricMapStore store = new FabricMapStore(ignite).open();
        String nodeName = String.valueOf(ignite.cluster().localNode().consistentId());
        logTransferKey(ignite, nodeName);
        if (agent != null) {
            // The map first: discovery is done once the rows are visible; the views and ledgers can follow.
            store.publish(agent.fabrics(), nodeName);
            log.info("Fabric Stitch: node " + nodeName + " put " + agent.fabrics().size()
                + " fabric(s) in the Fabric Map " + agent.fabricTypes() + " (its agent started, then the node joined "
                + sinceAgentStart(joinedNanos) + " ms and wrote the map " + sinceAgentStart(System.nanoTime())
                + " ms later)");
        }
        TaskLedgerStore ledger = new TaskLedgerStore(ignite, cfg.getOrchestrator().getTaskAssignmentExpiryMs()).open();
        AgentNetworkStore netStore = new AgentNetworkStore(ignite).open();
        queryWatch = new QueryWatch(ignite, log);
        plugin.queryWatch(queryWatch);
        view = new FabricMapView(log).open(store.entryCache(), store.functionCache())
            .placeableNodes(id -> ClusterNodes.isLiveServer(ignite, id)).settledBy((node, fabric) -> announced(ignite, node, fabric))
            .watchedBy(queryWatch);
        latencyView = new LatencyView(log).open(netStore.latencyCache()).watchedBy(queryWatch);
        FabricMapView judged = view;
        membership = evt -> {
            announcedByNode.keySet().removeIf(id -> ignite.cluster().node(id) == null);
            judged.nodesChanged(); // a departed node's fabrics leave the schedulers' tables at once
            return true;
        };
        ignite.events().localListen(membership, org.apache.ignite.events.EventType.EVT_NODE_JOINED,
            org.apache.ignite.events.EventType.EVT_NODE_LEFT, org.apache.ignite.events.EventType.EVT_NODE_FAILED);
        plugin.selector().latencies(latencyView::matrix);
        plugin.metrics().register(ignite, view::rows);
        compute = new FabricComputeImpl(ignite, cfg, log);
        plugin.opened(ignite, store, view, ledger, compute);
        if (clientProbes != null)
            clientProbes.open(ignite, netStore, latencyView, plugin.bandwidth()::mibPerSecond);
        if (agent == null)
            return;
        reportWriter = new ReportWriter(nodeName);
        reporter = new AgentReporter(store, reportWriter, ignite.cluster().localNode().id(), nodeName,
            cfg.getAgent().getHealthIntervalMs(), view::row, Clock.systemUTC(), log);
        agent.addListener(reporter);
        reporter.joined(agent.fabrics());
        faults = new FabricFaults(agent, reporter).register(nodeName, log);
        plugin.faults(faults);
        networkReporter = new NetworkReporter(agent::network, true, netStore, reportWriter, ignite.cluster().localNode().id(),
            nodeName, id -> ignite.cluster().node(id) != null, reporter::isSilent, plugin.bandwidth()::mibPerSecond,
            Clock.systemUTC(), log);
        agent.addListener(networkReporter);
        watcher = new MembershipWatcher(ignite, store, netStore, log, Clock.systemUTC());
        watcher.start();
        watcher.watch(view, latencyView);
        guards = new MapGuards(nodeName, log).start(ignite, store, netStore, networkReporter, view, latencyView,
            queryWatch, reporter::isSilent);
        ignite.services().deployAsync(orchestratorConfiguration());
        keeper = new OrchestratorKeeper(ignite, FabricPluginProvider::orchestratorConfiguration, log).start();
        startConsole(ignite, cfg, nodeName);
    }

    /**
     * Says where a server node's transfer key came from (client nodes neither sign nor check tokens); warns when it
     * made its own although it joined older servers: they derive theirs from a beacon secret this node lacks, and its
     * tokens and theirs will not match.
     */
    private void logTransferKey(Ignite ignite, String nodeName) {
        if (ignite.cluster().localNode().isClient())
            return;
        boolean first = ignite.cluster().forServers().forOldest().node().isLocal();
        if (transferKey.source() == ClusterTransferKey.Source.GENERATED && !first)
            log.warning("Fabric Stitch: node " + nodeName + " received no transfer key from the servers it joined: "
                + "they derive theirs from a beacon secret this node lacks, so data-path transfers between them will "
                + "be refused (expected: the same network.beaconSecret, network.beaconSecretFile or "
                + FabricNetworkConfiguration.ENV_BEACON_SECRET + " on every node, or on none)");
        else
            log.info("Fabric Stitch: node " + nodeName + ": " + transferKey.describe());
    }

    /** The web console, on server nodes where it is enabled; a port that cannot be bound is logged, not fatal. */
    private void startConsole(Ignite ignite, FabricPluginConfiguration cfg, String nodeName) {
        if (!cfg.getConsole().isEnabled())
            return;
        try {
            console = ConsoleServer.start(ignite, cfg.getConsole(), plugin.metrics(), nodeName, log);
            plugin.console(console.address());
            log.info("Fabric Stitch: web console of node " + nodeName + " at " + console.address()
                + (console.tokenRequired() ? " (token required)" : " (read-only, loopback)"));
        }
        catch (IllegalStateException | IllegalArgumentException e) {
            log.warning("Fabric Stitch: node " + nodeName + " runs without its web console: " + e.getMessage());
        }
    }

    /**
     * Whether {@code nodeId} named {@code fabricId} among its fabrics when it joined. The attribute is read once per
     * node (it is fixed at join): a node of thousands of fabrics is not searched once per row.
     */
    private boolean announced(Ignite ignite, UUID nodeId, UUID fabricId) {
        java.util.Set<String> ids = announcedByNode.get(nodeId);
        if (ids == null) {
            ClusterNode n = ignite.cluster().node(nodeId);
            Object attr = n == null ? null : n.attribute(FabricMapSchema.ATTR_FABRICS);
            if (!(attr instanceof String))
                return false;
            ids = new java.util.HashSet<>(java.util.Arrays.asList(((String)attr).split(",")));
            announcedByNode.put(nodeId, ids);
        }
        return ids.contains(fabricId.toString());
    }

    /** The orchestrator: one instance in the cluster, on a server node with the plugin. */
    static ServiceConfiguration orchestratorConfiguration() {
        return new ServiceConfiguration()
            .setName(FabricMapSchema.ORCHESTRATOR_SERVICE)
            .setService(new OrchestratorService())
            .setTotalCount(1)
            .setMaxPerNodeCount(1)
            .setNodeFilter(new FabricServerFilter());
    }

    @Override
    public void onIgniteStop(boolean cancel) {
        if (membership != null && ctx != null)
            ctx.grid().events().stopLocalListen(membership);
        if (queryWatch != null)
            queryWatch.close();
        if (console != null)
            console.close();
        if (reporter != null)
            reporter.stop();
        if (networkReporter != null)
            networkReporter.stop();
        closeClientProbes();
        if (reportWriter != null)
            reportWriter.close();
        if (latencyView != null)
            latencyView.close();
        if (faults != null)
            faults.unregister();
        if (keeper != null)
            keeper.close();
        if (guards != null)
            guards.close();
        if (watcher != null)
            watcher.stop();
        if (compute != null)
            compute.close();
        if (view != null)
            view.close();
    }

    private synchronized void closeClientProbes() {
        if (clientProbes != null)
            clientProbes.close();
        clientProbes = null;
    }

    @Override
    public void stop(boolean cancel) {
        closeClientProbes();
        if (agent != null)
            agent.stop();
        closeDataPaths();
    }

    /**
     * The cluster's transfer key for a joining node, when this node does not derive it from a beacon secret (see
     * {@link ClusterTransferKey}); the Fabric Map itself travels in caches.
     */
    @Override
    public Serializable provideDiscoveryData(UUID nodeId) {
        return transferKey == null ? null : transferKey.share(nodeId);
    }

    /** Takes the cluster's transfer key when this node joins (see {@link ClusterTransferKey}). */
    @Override
    public void receiveDiscoveryData(UUID nodeId, Serializable data) {
        if (transferKey != null)
            transferKey.receive(nodeId, data);
    }

    /** Refuses a server node that would join a Fabric Stitch cluster without the plugin. */
    @Override
    public void validateNewNode(ClusterNode node) throws PluginValidationException {
        if (node.isClient() || node.attribute(FabricMapSchema.ATTR_VERSION) != null)
            return;
        String msg = "server node " + node.consistentId() + " joins a Fabric Stitch cluster without the plugin "
            + "(expected: ignite-fabric-plugin " + VERSION + " on its classpath or in its pluginProviders)";
        throw new PluginValidationException(msg, msg, node.id());
    }
}
