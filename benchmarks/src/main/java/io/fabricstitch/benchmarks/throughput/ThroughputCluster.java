package io.fabricstitch.benchmarks.throughput;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.benchmarks.LoopbackPorts;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.plugin.FabricPluginProvider;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * The benchmark's nodes, all in this JVM on loopback: server nodes that each declare {@value #FABRICS_PER_SERVER}
 * GPU fabrics of {@value #UNITS_PER_FABRIC} units running {@value #FUNCTION}, and caller nodes in client mode
 * without fabrics. Ports: discovery, communication and thin/JDBC from the given bases, ranges of
 * {@value ThroughputOptions#MAX_NODES}.
 */
final class ThroughputCluster implements AutoCloseable {
    static final String FUNCTION = "sha256";
    static final int FABRICS_PER_SERVER = 4;
    static final int UNITS_PER_FABRIC = 64;

    private final FabricTestCluster nodes = new FabricTestCluster();
    private final LoopbackPorts ports;
    private final List<Ignite> servers = new ArrayList<>();
    private final List<Ignite> callers = new ArrayList<>();

    ThroughputCluster(LoopbackPorts ports) {
        this.ports = ports;
    }

    /** Starts server nodes until there are {@code count}, and waits until a caller's map shows all their fabrics. */
    void growServers(int count) {
        while (servers.size() < count) {
            String name = "rp-s" + servers.size();
            List<DeclaredFabric> fabrics = new ArrayList<>();
            List<String> allow = new ArrayList<>();
            for (int f = 0; f < FABRICS_PER_SERVER; f++) {
                String fabric = name + "-gpu" + f;
                fabrics.add(new DeclaredFabric().setName(fabric).setType(FabricType.GPU)
                    .setModel("throughput GPU (declared)").setResourceUnit("slots").setResourceCount(UNITS_PER_FABRIC)
                    .setLatencyMs(0).setFunctions(List.of(FUNCTION)));
                allow.add("declared:" + fabric);
            }
            FabricPluginConfiguration plugin = new FabricPluginConfiguration()
                .setAgent(new FabricAgentConfiguration().setDeclaredFabrics(fabrics).setDeviceAllowList(allow)
                    .setRealProbesEnabled(false));
            servers.add(nodes.start(ports.applyTo(nodes.configuration(name, plugin))));
        }
        if (!callers.isEmpty())
            awaitFabrics(callers.get(0), count * FABRICS_PER_SERVER);
    }

    /** Starts caller (client) nodes until there are {@code count}; the first waits for the servers' fabrics. */
    void growCallers(int count) {
        while (callers.size() < count) {
            String name = "rp-c" + callers.size();
            FabricPluginConfiguration plugin = nodes.forThisCluster(new FabricPluginConfiguration()
                .setAgent(new FabricAgentConfiguration().setDeviceAllowList(List.of("declared:none"))
                    .setRealProbesEnabled(false)));
            IgniteConfiguration cfg = ports.applyTo(nodes.baseConfiguration(name)).setClientMode(true)
                .setPluginProviders(new FabricPluginProvider().setConfiguration(plugin));
            Ignite c = nodes.start(cfg);
            callers.add(c);
            awaitFabrics(c, servers.size() * FABRICS_PER_SERVER);
        }
    }

    List<Ignite> servers() {
        return servers;
    }

    /** The first {@code count} callers. */
    List<Ignite> callers(int count) {
        return callers.subList(0, count);
    }

    String ports() {
        return ports.describe();
    }

    /** Waits (at most 60 s) until {@code caller}'s Fabric Map shows {@code gpus} GPU fabrics, all ONLINE. */
    private static void awaitFabrics(Ignite caller, int gpus) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<FabricEntry> map = FabricPlugin.of(caller).fabricMap().stream()
                .filter(f -> f.getFabricType() == FabricType.GPU).toList();
            if (map.size() == gpus && map.stream().allMatch(f -> f.getStatus() == FabricStatus.ONLINE))
                return;
            if (map.size() > gpus)
                throw new IllegalStateException("the Fabric Map holds GPU fabrics this benchmark did not start: "
                    + map.stream().map(FabricEntry::getModel).collect(Collectors.toList()));
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("the Fabric Map did not show " + gpus + " ONLINE GPU fabrics within "
                    + "60 s (it shows: " + map.stream().map(f -> f.getModel() + " " + f.getStatus())
                    .collect(Collectors.joining(", ")) + ")");
            try {
                Thread.sleep(20);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted waiting for the Fabric Map", e);
            }
        }
    }

    @Override
    public void close() {
        nodes.afterAll(null);
    }
}
