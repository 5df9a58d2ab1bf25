package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.benchmarks.LoopbackPorts;
import io.fabricstitch.ignite.FabricOrchestratorConfiguration;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.compute.FabricLoadBalancingSpi;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * The benchmark's cluster, in this JVM, on ports of its own: a caller node (no device), one server node per
 * {@link #DEVICES device} (each declares its fabric and gets its {@link SimulatedDevices simulated device}), every
 * node configured for one {@link Policy}; for Fabric Stitch also a second caller with {@link FabricLoadBalancingSpi}
 * (the plain-compute routed call of the overhead figure).
 */
public final class HeterogeneousCluster implements AutoCloseable {
    /**
     * The four devices: the speeds, distances and sites of the project's other benchmarks (A100 8, L4 4, FPGA 2 at
     * site-b, T4 1), slots chosen so that capacity differs as much as speed does.
     */
    public static final List<Device> DEVICES = List.of(
        new Device("bench-a100", FabricType.GPU, "NVIDIA A100 80GB (declared)", 8, 4, 3, "default",
            List.of(PlacementWorkload.INFER, PlacementWorkload.ENCODE, PlacementWorkload.FILTER)),
        new Device("bench-l4", FabricType.GPU, "NVIDIA L4 24GB (declared)", 4, 2, 1, "default",
            List.of(PlacementWorkload.INFER, PlacementWorkload.ENCODE)),
        new Device("bench-fpga", FabricType.FPGA, "Xilinx Alveo U250 (declared)", 2, 2, 12, "site-b",
            List.of(PlacementWorkload.ENCODE, PlacementWorkload.FILTER)),
        new Device("bench-t4", FabricType.GPU, "NVIDIA T4 16GB (declared)", 1, 2, 2, "default",
            List.of(PlacementWorkload.INFER, PlacementWorkload.ENCODE, PlacementWorkload.FILTER)));

    private final FabricTestCluster nodes = new FabricTestCluster();
    private final PortBlock ports;
    private final Policy policy;
    private final Map<UUID, Device> deviceOf = new LinkedHashMap<>();
    private final List<String> names = new ArrayList<>();
    private Ignite caller;
    private Ignite spiCaller;

    private HeterogeneousCluster(Policy policy, PortBlock ports) {
        this.policy = policy;
        this.ports = ports;
    }

    /** Starts the cluster for {@code policy} and waits until the Fabric Map shows every fabric ONLINE. */
    public static HeterogeneousCluster start(Policy policy, int maxQueued, PrintStream progress) {
        HeterogeneousCluster c = new HeterogeneousCluster(policy, PortBlock.find(PortBlock.PLACEMENT_FIRST_PORT));
        try {
            SimulatedDevices.clear();
            c.caller = c.startNode("caller", null, maxQueued, false);
            if (policy == Policy.FABRIC_STITCH)
                c.spiCaller = c.startNode("spi-caller", null, maxQueued, true);
            for (Device d : DEVICES) {
                Ignite n = c.startNode(d.name().replace("bench-", "node-"), d, maxQueued, false);
                c.deviceOf.put(n.cluster().localNode().id(), d);
            }
            c.awaitMap();
            progress.printf("cluster for %s up on ports %s: %d nodes%n", policy.label(), c.ports, c.names.size());
            return c;
        }
        catch (RuntimeException | Error e) {
            c.close();
            throw e;
        }
    }

    /** The caller: plain Ignite load balancing (the policy's), no device. */
    public Ignite caller() {
        return caller;
    }

    /** The caller with {@link FabricLoadBalancingSpi} first (Fabric Stitch cluster only, else null). */
    public Ignite spiCaller() {
        return spiCaller;
    }

    /** The device of each device node, by node id. */
    public Map<UUID, Device> devices() {
        return deviceOf;
    }

    private Ignite startNode(String name, Device device, int maxQueued, boolean fabricSpi) {
        FabricPluginConfiguration plugin = new FabricPluginConfiguration()
            .setAgent(new FabricAgentConfiguration()
                .setDeviceAllowList(List.of("declared:" + (device == null ? "none" : device.name())))
                .setDeclaredFabrics(device == null ? List.of() : List.of(declared(device)))
                .setRealProbesEnabled(false)
                .setFunctionClasses(SimulatedFunction.classNames()))
            .setOrchestrator(new FabricOrchestratorConfiguration()
                .setMaxQueuedTasks(maxQueued)
                .setPricePerSpeed(true) // GPUs of different speeds: a slot of a faster one is worth more
                .setQueueTimeoutMs(TimeUnit.MINUTES.toMillis(10)));
        IgniteConfiguration cfg = nodes.configuration(name, plugin);
        ports.apply(cfg);
        policy.configure(cfg, device);
        if (fabricSpi)
            cfg.setLoadBalancingSpi(new FabricLoadBalancingSpi());
        Ignite n = nodes.start(cfg);
        names.add(name);
        if (device != null)
            SimulatedDevices.install(n.name(), device);
        return n;
    }

    private static DeclaredFabric declared(Device d) {
        return new DeclaredFabric().setName(d.name()).setType(d.type()).setModel(d.model()).setResourceUnit("slots")
            .setResourceCount(d.slots()).setLatencyMs(d.latencyMs()).setSpeedFactor(d.speed()).setSite(d.site())
            .setFunctions(d.functions());
    }

    private void awaitMap() {
        int expected = names.size() + DEVICES.size(); // a CPU fabric per node, plus the declared ones
        List<FabricEntry> map;
        try {
            map = awaitOnline(caller, expected);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted waiting for the Fabric Map", e);
        }
        if (map.size() > expected || caller.cluster().nodes().size() != names.size())
            throw new IllegalStateException("the cluster holds nodes this benchmark did not start (nodes: "
                + caller.cluster().nodes().stream().map(n -> String.valueOf(n.consistentId()))
                .collect(Collectors.toList()) + ", expected only " + names + " on ports " + ports + ")");
    }

    /**
     * Waits until {@code caller}'s copy of the Fabric Map holds at least {@code fabrics} fabrics, all ONLINE (at most
     * 60 s), and returns that map.
     *
     * @throws IllegalStateException naming what the map shows when it does not within 60 s
     */
    public static List<FabricEntry> awaitOnline(Ignite caller, int fabrics) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (true) {
            List<FabricEntry> map = FabricPlugin.of(caller).fabricMap();
            if (map.size() >= fabrics && map.stream().allMatch(f -> f.getStatus() == FabricStatus.ONLINE))
                return map;
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("the Fabric Map did not show " + fabrics + " ONLINE fabrics within "
                    + "60 s (it shows: " + map.stream().map(f -> f.getModel() + " " + f.getStatus())
                    .collect(Collectors.joining(", ")) + ")");
            Thread.sleep(20);
        }
    }

    @Override
    public void close() {
        nodes.afterAll(null);
        SimulatedDevices.clear();
    }

    /** Loopback ports for one cluster: discovery, communication and the thin/JDBC connector, ten of each. */
    public static final class PortBlock {
        /** First port the placement clusters try. */
        public static final int PLACEMENT_FIRST_PORT = 51600;
        static final int RANGE = 10;

        private final int base;

        private PortBlock(int base) {
            this.base = base;
        }

        /** The first block of {@code 3 * RANGE} ports from {@code first} on where nothing listens now. */
        public static PortBlock find(int first) {
            for (int base = first; base < first + 20 * 3 * RANGE; base += 3 * RANGE) {
                boolean free = true;
                for (int p = base; p < base + 3 * RANGE && free; p++) {
                    try (java.net.ServerSocket s = new java.net.ServerSocket()) {
                        s.bind(new java.net.InetSocketAddress("127.0.0.1", p));
                    }
                    catch (java.io.IOException e) {
                        free = false;
                    }
                }
                if (free)
                    return new PortBlock(base);
            }
            throw new IllegalStateException("no " + 3 * RANGE + " free ports in a row on 127.0.0.1 from " + first);
        }

        public void apply(IgniteConfiguration cfg) {
            new LoopbackPorts(base, base + RANGE, base + 2 * RANGE, RANGE).applyTo(cfg);
        }

        @Override
        public String toString() {
            return base + ".." + (base + 3 * RANGE - 1);
        }
    }
}
