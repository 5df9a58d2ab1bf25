package io.fabricstitch.benchmarks.map;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.benchmarks.LoopbackPorts;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.plugin.FabricPluginProvider;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * One cluster of the map benchmark, all in this JVM on loopback: {@code servers} server nodes that each declare
 * {@code fabricsPerServer} GPU fabrics running {@value #FUNCTION} (declared, marked so in their model), and one client
 * node without fabrics that reads the map. Ports from the given bases, ranges of {@value #RANGE}.
 */
final class MapFleet implements AutoCloseable {
    static final String FUNCTION = "sha256";
    static final int RANGE = 10;

    private final FabricTestCluster nodes = new FabricTestCluster();
    private final LoopbackPorts ports;
    private final List<Ignite> servers = new ArrayList<>();
    private Ignite client;

    MapFleet(LoopbackPorts ports) {
        this.ports = ports;
    }

    /** Starts {@code count} server nodes one after the other, each with {@code fabrics} declared GPU fabrics. */
    void startServers(int count, int fabrics) {
        for (int s = 0; s < count; s++) {
            String name = "map-s" + s;
            List<DeclaredFabric> declared = new ArrayList<>(fabrics);
            List<String> allow = new ArrayList<>(fabrics);
            for (int f = 0; f < fabrics; f++) {
                String fabric = name + "-gpu" + f;
                declared.add(new DeclaredFabric().setName(fabric).setType(FabricType.GPU)
                    .setModel("map GPU (declared)").setResourceUnit("slots").setResourceCount(64).setLatencyMs(0)
                    .setFunctions(List.of(FUNCTION)));
                allow.add("declared:" + fabric);
            }
            FabricPluginConfiguration plugin = new FabricPluginConfiguration().setAgent(new FabricAgentConfiguration()
                .setDeclaredFabrics(declared).setDeviceAllowList(allow).setRealProbesEnabled(false));
            servers.add(nodes.start(ports.applyTo(nodes.configuration(name, plugin))));
        }
    }

    /** Starts the client node that reads the map and submits tasks. */
    Ignite startClient() {
        FabricPluginConfiguration plugin = nodes.forThisCluster(new FabricPluginConfiguration()
            .setAgent(new FabricAgentConfiguration().setDeviceAllowList(List.of("declared:none"))
                .setRealProbesEnabled(false)));
        client = nodes.start(ports.applyTo(nodes.baseConfiguration("map-c0")).setClientMode(true)
            .setPluginProviders(new FabricPluginProvider().setConfiguration(plugin)));
        return client;
    }

    List<Ignite> servers() {
        return servers;
    }

    /**
     * Waits until the client's Fabric Map shows {@code gpus} GPU fabrics, all ONLINE.
     *
     * @throws IllegalStateException after {@code limitS}, with what the client's map and a server's show
     */
    void awaitOnline(int gpus, long limitS) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(limitS);
        while (System.nanoTime() < deadline) {
            if (onlineGpus(client) == gpus)
                return;
            Thread.sleep(20);
        }
        throw new IllegalStateException("the client's Fabric Map did not show " + gpus + " ONLINE GPU fabrics within "
            + limitS + " s: it shows " + statuses(client) + ", server " + servers.get(0).name() + "'s "
            + statuses(servers.get(0)));
    }

    private static long onlineGpus(Ignite node) {
        return FabricPlugin.of(node).fabricMap().stream().filter(f -> f.getFabricType() == FabricType.GPU
            && f.getStatus() == FabricStatus.ONLINE).count();
    }

    private static java.util.Map<String, Long> statuses(Ignite node) {
        return FabricPlugin.of(node).fabricMap().stream().collect(java.util.stream.Collectors.groupingBy(
            f -> f.getFabricType() + " " + f.getStatus(), java.util.TreeMap::new,
            java.util.stream.Collectors.counting()));
    }

    String ports() {
        return ports.describe();
    }

    @Override
    public void close() {
        nodes.afterAll(null);
    }
}
