package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.FabricOrchestratorConfiguration;
import io.fabricstitch.agent.FabricAgent;
import io.fabricstitch.ignite.FabricFaultsMXBean;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.FabricStitch;
import io.fabricstitch.ignite.compute.ComputeEngine;
import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.placement.FabricSelector;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.model.FabricType;
import io.fabricstitch.model.FabricEntry;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.ignite.Ignite;

/**
 * The plugin object of a node: its {@link FabricStitch} face for applications, the {@link ComputeEngine} that
 * FabricCompute and the SPIs reach, and the node's parts for the rest of the plugin. Reach it with {@link #of(Ignite)}.
 */
public final class FabricPlugin implements FabricStitch, ComputeEngine {
    private volatile FabricPluginConfiguration configuration;
    private volatile Map<String, PriorityClass> priorityClasses = Map.of();
    private volatile FabricSelector selector;
    private volatile List<FabricEntry> localFabrics = List.of();
    private volatile FabricAgent agent;
    private volatile FabricMapStore store;
    private volatile FabricMapView view;
    private volatile TaskLedgerStore ledger;
    private volatile FabricCompute compute;
    private volatile FabricFaultsMXBean faults;
    private volatile Ignite ignite;
    private final BandwidthTracker bandwidth = new BandwidthTracker();
    private final FabricMetrics metrics = new FabricMetrics();
    private volatile java.net.URI console;
    private volatile DataPaths dataPaths;
    private volatile ClusterTransferKey transferKey;

    /** Created by the plugin provider, which sets its parts as the node starts. */
    public FabricPlugin() {
    }

    /**
     * The plugin of a started node.
     *
     * @throws IllegalStateException when the node runs without Fabric Stitch
     */
    public static FabricPlugin of(Ignite ignite) {
        return (FabricPlugin)ComputeEngine.of(ignite);
    }

    /** The node's plugin configuration. */
    @Override
    public FabricPluginConfiguration configuration() {
        return configuration;
    }

    /** Fabrics this node's agent reports now (status, measured speeds); empty on client nodes. */
    @Override
    public List<FabricEntry> localFabrics() {
        FabricAgent a = agent;
        return a != null ? a.fabrics() : localFabrics;
    }

    /** Every fabric in the Fabric Map, of every node, with its functions (read from this node's live copy). */
    @Override
    public List<FabricEntry> fabricMap() {
        return mapView().entries();
    }

    /** The acceleration API of this node. */
    @Override
    public FabricCompute compute() {
        FabricCompute c = compute;
        if (c == null)
            throw new IllegalStateException("Fabric Stitch is not started on this node yet (expected: a started node)");
        return c;
    }

    /**
     * Fault injection into this node's declared fabrics (also registered as a JMX MBean, see
     * {@link FabricFaultsMXBean}).
     *
     * @throws IllegalStateException on client nodes, which host no fabrics
     */
    @Override
    public FabricFaultsMXBean faults() {
        FabricFaultsMXBean f = faults;
        if (f == null)
            throw new IllegalStateException("node has no fabrics to inject faults into (expected: a started server "
                + "node with the Fabric Stitch plugin)");
        return f;
    }

    /** This node's agent; null on client nodes. */
    @Override
    public FabricAgent agent() {
        return agent;
    }

    /** The Fabric Map caches. Not API. */
    public FabricMapStore mapStore() {
        return opened(store);
    }

    /** This node's live copy of the Fabric Map. Not API. */
    public FabricMapView mapView() {
        return opened(view);
    }

    /** The reservation ledger and assignment caches. Not API. */
    public TaskLedgerStore ledgerStore() {
        return opened(ledger);
    }

    /** Keeps this node's continuous queries on the map running. Not API. */
    public io.fabricstitch.ignite.internal.QueryWatch queryWatch() {
        return opened(queryWatch);
    }

    /** Set by the plugin provider as the node starts. */
    public void queryWatch(io.fabricstitch.ignite.internal.QueryWatch watch) {
        this.queryWatch = watch;
    }

    private static <T> T opened(T part) {
        if (part == null)
            throw new IllegalStateException("the Fabric Map is not open yet (expected: a started node)");
        return part;
    }

    /** This node's data-path client and settings; null when {@code dataPath.enabled} is false. Not API. */
    public DataPaths dataPaths() {
        return dataPaths;
    }

    /** Set by the plugin provider as the node starts. */
    public void dataPaths(DataPaths dataPaths) {
        this.dataPaths = dataPaths;
    }

    /**
     * This node's copy of the cluster's transfer key, which data-path tokens are signed and checked with. Not API.
     *
     * @throws IllegalStateException before the plugin started
     */
    public ClusterTransferKey transferKey() {
        ClusterTransferKey k = transferKey;
        if (k == null)
            throw new IllegalStateException("Fabric Stitch is not started on this node yet (expected: a started node)");
        return k;
    }

    /** Set by the plugin provider as the node starts. */
    public void transferKey(ClusterTransferKey transferKey) {
        this.transferKey = transferKey;
    }

    /** Throughput of this node's data-path transfers per peer node. Not API. */
    public BandwidthTracker bandwidth() {
        return bandwidth;
    }

    /**
     * The address of this node's web console, e.g. {@code http://127.0.0.1:8090/}; empty on client nodes, when
     * {@code console.enabled} is false, or when no port was free.
     */
    @Override
    public java.util.Optional<java.net.URI> consoleAddress() {
        return java.util.Optional.ofNullable(console);
    }

    /** Set by the plugin provider as the node starts. */
    public void console(java.net.URI address) {
        this.console = address;
    }

    /** This node's {@code fabric} metric registry. Not API. */
    public FabricMetrics metrics() {
        return metrics;
    }

    /** The id of the node this plugin runs on. Not API. */
    public java.util.UUID localNodeId() {
        return ignite.cluster().localNode().id();
    }

    /** The effective priority classes by name (defaults plus configured ones), read once at start. */
    public Map<String, PriorityClass> priorityClasses() {
        return priorityClasses;
    }

    @Override
    public JobRouting jobRouting(Set<FabricType> defaultTypes, String defaultPriority) {
        return new SpiJobRouting(this, defaultTypes, defaultPriority);
    }

    /** The selector with the configured prices and DEGRADED policy, built once at start. */
    public FabricSelector selector() {
        return selector;
    }

    /** Takes a validated configuration and derives the routing settings from it once. */
    public void configuration(FabricPluginConfiguration cfg) {
        this.configuration = cfg;
        FabricOrchestratorConfiguration orchestrator = cfg.getOrchestrator();
        this.priorityClasses = Collections.unmodifiableMap(orchestrator.priorityClassMap());
        this.selector = new FabricSelector(CostFunction.parse(orchestrator.getFabricPrices())
            .perSpeed(orchestrator.isPricePerSpeed()), orchestrator.isAllowDegraded());
    }

    /** Set by the plugin provider as the node starts. */
    public void localFabrics(List<FabricEntry> fabrics) {
        this.localFabrics = List.copyOf(fabrics);
    }

    /** Set by the plugin provider as the node starts. */
    public void faults(FabricFaultsMXBean faults) {
        this.faults = faults;
    }

    private volatile io.fabricstitch.ignite.internal.QueryWatch queryWatch;

    /** Set by the plugin provider as the node starts. */
    public void agent(FabricAgent agent) {
        this.agent = agent;
    }

    /** Set by the plugin provider as the node starts. */
    public void opened(Ignite ignite, FabricMapStore store, FabricMapView view, TaskLedgerStore ledger,
        FabricCompute compute) {
        this.ignite = ignite;
        this.store = store;
        this.view = view;
        this.ledger = ledger;
        this.compute = compute;
    }
}
