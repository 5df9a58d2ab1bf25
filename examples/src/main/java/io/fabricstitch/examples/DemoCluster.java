package io.fabricstitch.examples;

import io.fabricstitch.examples.api.FabricMapPrinter;
import io.fabricstitch.ignite.FabricStitch;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.plugin.FabricPluginProvider;
import io.fabricstitch.model.FabricEntry;
import java.io.PrintStream;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.plugin.PluginProvider;

/**
 * The embedded demo: several server nodes in one JVM, each started from {@code config/fabric-demo.xml}, so that one
 * machine shows a multi-node plane. Node {@code demo-0} takes the declared GPUs and any real accelerator of the host
 * (the CPU's OpenCL device among them),
 * {@code demo-1} the declared FPGA, {@code demo-2} the declared ASIC; every node adds its CPU.
 */
public final class DemoCluster implements AutoCloseable {
    /** Fewest and most nodes the demo starts (the demo configuration's port ranges hold 10). */
    public static final int MIN_NODES = 3;
    public static final int MAX_NODES = 10;

    /** The demo's JOIN: which fabrics run a function. */
    public static final String JOIN_QUERY = "SELECT e.NODE_NAME, e.FABRIC_TYPE, e.MODEL, e.STATUS "
        + "FROM FABRIC.FABRIC_ENTRY e JOIN FABRIC.FABRIC_FUNCTION f ON e.FABRIC_ID = f.FABRIC_ID "
        + "WHERE f.FUNCTION_NAME = 'image.gaussian-blur' ORDER BY e.FABRIC_TYPE, e.NODE_NAME";

    /** Node attribute holding the JDBC/thin port a node bound (Ignite's {@code ClientListenerProcessor}). */
    static final String CLIENT_LISTENER_PORT = "clientListenerPort";

    /** The latency matrix as the demo prints it. */
    public static final String LATENCY_QUERY = "SELECT FROM_NAME, TO_NAME, RTT_MICROS, JITTER_MICROS, SAMPLES, "
        + "UPDATED_AT FROM FABRIC.FABRIC_LATENCY ORDER BY FROM_NAME, TO_NAME";

    private final List<Ignite> nodes = new ArrayList<>();

    /** Devices node {@code i} of the demo may claim. */
    static List<String> allowListOf(int i) {
        switch (i) {
            case 0:
                return List.of("declared:demo-gpu-*", "pci:*", "nvidia:*", "fpga:*", "opencl:*");
            case 1:
                return List.of("declared:demo-fpga-*");
            case 2:
                return List.of("declared:demo-asic-*");
            default:
                return List.of("declared:none");
        }
    }

    /**
     * Starts {@code count} nodes from {@code config}.
     *
     * @throws IllegalArgumentException when {@code count} is outside {@value #MIN_NODES}..{@value #MAX_NODES}
     */
    public static DemoCluster start(Path config, int count) {
        return start(config, count, cfg -> { });
    }

    /** {@link #start(Path, int)}, letting {@code adjust} change each node's configuration before it starts. */
    public static DemoCluster start(Path config, int count, Consumer<IgniteConfiguration> adjust) {
        checkNodeCount(count);
        DemoCluster demo = new DemoCluster();
        String secret = runSecret();
        try {
            for (int i = 0; i < count; i++) {
                IgniteConfiguration cfg = nodeConfiguration(config, i);
                adjust.accept(cfg);
                FabricPluginConfiguration plugin = pluginConfiguration(cfg);
                if (plugin.getNetwork().effectiveBeaconSecret() == null)
                    plugin.getNetwork().setBeaconSecret(secret);
                demo.nodes.add(Ignition.start(cfg));
            }
        }
        catch (RuntimeException e) {
            demo.close();
            throw e;
        }
        return demo;
    }

    /**
     * A beacon secret for this run only, shared by the demo's nodes (they run in one JVM): the demo needs no secret
     * configured, and none is ever written down.
     */
    static String runSecret() {
        byte[] b = new byte[24];
        new java.security.SecureRandom().nextBytes(b);
        return java.util.HexFormat.of().formatHex(b);
    }

    /** @throws IllegalArgumentException when {@code count} is outside {@value #MIN_NODES}..{@value #MAX_NODES} */
    static void checkNodeCount(int count) {
        if (count < MIN_NODES || count > MAX_NODES)
            throw new IllegalArgumentException("--nodes: " + count + " (expected: " + MIN_NODES + ".." + MAX_NODES + ")");
    }

    static IgniteConfiguration nodeConfiguration(Path config, int i) {
        IgniteConfiguration cfg = Ignition.loadSpringBean(config.toString(), "ignite.cfg");
        String name = "demo-" + i;
        cfg.setIgniteInstanceName(name).setConsistentId(name);
        pluginConfiguration(cfg).getAgent().setDeviceAllowList(allowListOf(i));
        return cfg;
    }

    /** The Fabric Stitch plugin configuration inside {@code cfg}. */
    static FabricPluginConfiguration pluginConfiguration(IgniteConfiguration cfg) {
        if (cfg.getPluginProviders() != null) {
            for (PluginProvider<?> p : cfg.getPluginProviders()) {
                if (p instanceof FabricPluginProvider && ((FabricPluginProvider)p).getConfiguration() != null)
                    return ((FabricPluginProvider)p).getConfiguration();
            }
        }
        throw new IllegalArgumentException("demo configuration: no FabricPluginProvider with a configuration in "
            + "pluginProviders (expected: config/fabric-demo.xml or a copy of it)");
    }

    /** The started nodes. */
    public List<Ignite> nodes() {
        return nodes;
    }

    /**
     * The JDBC thin URL of the first node: the port it took of the configuration's range, so the demo reads its own
     * cluster even when another node on this host holds the range's first port.
     */
    public String jdbcUrl() {
        Object port = nodes.get(0).cluster().localNode().attribute(CLIENT_LISTENER_PORT);
        return port == null ? FabricMapPrinter.DFLT_URL : "jdbc:ignite:thin://127.0.0.1:" + port;
    }

    /**
     * Waits until every node's copy of the Fabric Map holds the fabrics of every node (the orchestrator places tasks
     * from its node's copy), for at most {@code timeout}.
     *
     * @return whether they all did in time
     */
    public boolean awaitFabricMap(Duration timeout) throws InterruptedException {
        Set<UUID> all = new HashSet<>();
        for (Ignite n : nodes)
            FabricStitch.of(n).localFabrics().forEach(f -> all.add(f.getFabricId()));
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!nodes.stream().allMatch(n -> FabricStitch.of(n).fabricMap().stream().map(FabricEntry::getFabricId)
            .collect(Collectors.toSet()).containsAll(all))) {
            if (System.nanoTime() > deadline)
                return false;
            Thread.sleep(20);
        }
        return true;
    }

    /**
     * Waits until every node has measured its round trip to every other node and written it to
     * {@code FABRIC_LATENCY}, for at most {@code timeout}.
     *
     * @return whether they all did in time
     */
    public boolean awaitLatencies(String url, Duration timeout) throws InterruptedException, SQLException {
        int pairs = nodes.size() * (nodes.size() - 1);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            try (java.sql.Connection c = java.sql.DriverManager.getConnection(url);
                 java.sql.ResultSet rs = c.createStatement().executeQuery("SELECT COUNT(*) FROM FABRIC.FABRIC_LATENCY")) {
                if (rs.next() && rs.getInt(1) >= pairs)
                    return true;
            }
            Thread.sleep(50);
        }
        return false;
    }

    /** Prints the Fabric Map and the JOIN through the JDBC thin driver of the first node. */
    public void printMap(String url, PrintStream out) throws SQLException {
        out.println();
        out.println("Fabric Map (" + url + "): SELECT ... FROM FABRIC.FABRIC_ENTRY");
        FabricMapPrinter.print(url, FabricMapPrinter.MAP_QUERY, out);
        out.println();
        out.println("Which fabrics run image.gaussian-blur? (FABRIC_ENTRY JOIN FABRIC_FUNCTION)");
        FabricMapPrinter.print(url, JOIN_QUERY, out);
    }

    /** Stops every node, newest first; a node that fails to stop does not keep the others running. */
    @Override
    public void close() {
        RuntimeException first = null;
        for (int i = nodes.size() - 1; i >= 0; i--) {
            try {
                nodes.get(i).close();
            }
            catch (RuntimeException e) {
                if (first == null)
                    first = e;
                else
                    first.addSuppressed(e);
            }
        }
        nodes.clear();
        if (first != null)
            throw first;
    }
}
