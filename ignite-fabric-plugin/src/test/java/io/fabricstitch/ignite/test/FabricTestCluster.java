package io.fabricstitch.ignite.test;

import io.fabricstitch.ignite.FabricConsoleConfiguration;
import io.fabricstitch.agent.datapath.FabricDataPathConfiguration;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.plugin.FabricPluginProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.ClientConnectorConfiguration;
import org.apache.ignite.configuration.DataRegionConfiguration;
import org.apache.ignite.configuration.DataStorageConfiguration;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Named Ignite nodes on loopback for one test class: a static IP finder on a port range of its own (so tests never
 * join a cluster a developer runs on the default ports), short failure detection, small data regions, and a private
 * device-claim folder. Register with {@code @RegisterExtension static final FabricTestCluster CLUSTER = ...}; every
 * node still running after the class is stopped.
 */
public final class FabricTestCluster implements AfterAllCallback {
    /** First discovery port of test clusters; {@code -Dfabric.test.discoveryPort} moves it (child JVMs follow). */
    public static final int DISCOVERY_PORT = Integer.getInteger("fabric.test.discoveryPort", 48500);

    /** First JDBC/thin-client port of test clusters (the first node started takes it); {@code -Dfabric.test.clientPort}. */
    public static final int CLIENT_PORT = Integer.getInteger("fabric.test.clientPort", 10900);

    /** First communication port of test clusters; {@code -Dfabric.test.communicationPort} moves it. */
    public static final int COMMUNICATION_PORT = Integer.getInteger("fabric.test.communicationPort", 48100);

    static final int PORT_RANGE = 10;

    private final Path workDir;
    private final Map<String, Ignite> nodes = new LinkedHashMap<>();
    private final Map<String, ChildNodeProcess> children = java.util.Collections.synchronizedMap(new LinkedHashMap<>());
    private final String beaconSecret;
    private final int beaconPort;

    public FabricTestCluster() {
        try {
            workDir = Files.createTempDirectory("fabric-test-cluster");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        java.security.SecureRandom rnd = new java.security.SecureRandom();
        beaconSecret = "test-" + java.util.HexFormat.of().formatHex(rnd.generateSeed(16));
        beaconPort = 47600 + rnd.nextInt(300);
    }

    /** This cluster's beacon secret: random per cluster, so clusters of other test classes are strangers. */
    public String beaconSecret() {
        return beaconSecret;
    }

    /** This cluster's beacon multicast port, random per cluster in 47600..47899. */
    public int beaconPort() {
        return beaconPort;
    }

    /** The temporary folder of this cluster (work directories, claims, child logs). */
    public Path workDirectory() {
        return workDir;
    }

    /** The JDBC thin URL of the first node started (port {@link #CLIENT_PORT}). */
    public static String jdbcUrl() {
        return "jdbc:ignite:thin://127.0.0.1:" + CLIENT_PORT + ".." + (CLIENT_PORT + PORT_RANGE - 1);
    }

    /** The rows of {@code query} through the JDBC thin driver ({@link #jdbcUrl()}), every column as a string. */
    public static List<List<String>> sql(String query) {
        List<List<String>> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(FabricTestCluster.jdbcUrl());
             ResultSet rs = c.createStatement().executeQuery(query)) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= n; i++)
                    row.add(rs.getString(i));
                rows.add(row);
            }
        }
        catch (SQLException e) {
            throw new AssertionError(e);
        }
        return rows;
    }

    /** Folder for device claims shared by this cluster's nodes (they act as one host). */
    public Path claimDirectory() {
        return workDir.resolve("claims");
    }

    /**
     * A server node configuration with the plugin set to {@code plugin}: its claim folder set to this cluster's, and
     * this cluster's beacon secret, beacon port and a free agent port unless the test set them.
     */
    public IgniteConfiguration configuration(String name, FabricPluginConfiguration plugin) {
        return baseConfiguration(name).setPluginProviders(new FabricPluginProvider().setConfiguration(
            forThisCluster(plugin)));
    }

    /**
     * {@code plugin} with this cluster's claim folder, beacon secret and port, any free agent, data-path and console
     * ports, and
     * a staging folder of its own.
     */
    public FabricPluginConfiguration forThisCluster(FabricPluginConfiguration plugin) {
        plugin.getAgent().setClaimDirectory(claimDirectory().toString());
        if (plugin.getNetwork().getBeaconSecret() == null)
            plugin.getNetwork().setBeaconSecret(beaconSecret);
        if (plugin.getNetwork().getBeaconPort() == FabricNetworkConfiguration.DFLT_BEACON_PORT)
            plugin.getNetwork().setBeaconPort(beaconPort);
        if (plugin.getNetwork().getAgentPort() == FabricNetworkConfiguration.DFLT_AGENT_PORT)
            plugin.getNetwork().setAgentPort(0);
        if (plugin.getDataPath().getPort() == FabricDataPathConfiguration.DFLT_PORT)
            plugin.getDataPath().setPort(0);
        if (plugin.getConsole().getPort() == FabricConsoleConfiguration.DFLT_PORT)
            plugin.getConsole().setPort(0);
        if (plugin.getDataPath().getStagingDirectory().equals(new FabricDataPathConfiguration().getStagingDirectory()))
            plugin.getDataPath().setStagingDirectory(workDir.resolve("staging").toString());
        return plugin;
    }

    /** A configuration with this cluster's network, timings and folders, and no plugin set explicitly. */
    public IgniteConfiguration baseConfiguration(String name) {
        return nodeConfiguration(name, "127.0.0.1", List.of("127.0.0.1:" + DISCOVERY_PORT + ".."
            + (DISCOVERY_PORT + PORT_RANGE - 1)), workDir.resolve("work"));
    }

    /**
     * A node bound to {@code host} that finds its cluster at {@code discoveryAddresses}, with the test clusters'
     * ports (discovery {@value #DISCOVERY_PORT}, communication {@value #COMMUNICATION_PORT}, JDBC
     * {@value #CLIENT_PORT}, ranges of 10), no REST connector (as the shipped configurations), short failure
     * detection and small data regions.
     */
    public static IgniteConfiguration nodeConfiguration(String name, String host, List<String> discoveryAddresses,
        Path workDir) {
        TcpDiscoveryVmIpFinder finder = new TcpDiscoveryVmIpFinder().setAddresses(discoveryAddresses);
        return new IgniteConfiguration()
            .setIgniteInstanceName(name)
            .setConsistentId(name)
            .setWorkDirectory(workDir.toString())
            .setLocalHost(host)
            .setFailureDetectionTimeout(Timing.FAILURE_DETECTION_MS)
            .setSystemWorkerBlockedTimeout(Timing.scaled(10_000))
            .setMetricsLogFrequency(0)
            .setIncludeProperties()
            .setDiscoverySpi(new TcpDiscoverySpi().setIpFinder(finder).setLocalAddress(host)
                .setLocalPort(DISCOVERY_PORT).setLocalPortRange(PORT_RANGE))
            .setCommunicationSpi(new TcpCommunicationSpi().setLocalAddress(host).setLocalPort(COMMUNICATION_PORT)
                .setLocalPortRange(PORT_RANGE))
            .setClientConnectorConfiguration(new ClientConnectorConfiguration().setHost(host)
                .setPort(CLIENT_PORT).setPortRange(PORT_RANGE))
            .setConnectorConfiguration(null)
            .setDataStorageConfiguration(new DataStorageConfiguration().setDefaultDataRegionConfiguration(
                new DataRegionConfiguration().setName("default").setInitialSize(32L << 20).setMaxSize(128L << 20)));
    }

    /**
     * Starts a server node in a JVM of its own that joins this cluster (so a test can {@code kill -9} it), and
     * waits until it is up.
     */
    public ChildNodeProcess startChild(ChildNodeProcess.Spec spec) {
        ChildNodeProcess child = ChildNodeProcess.start(spec.beaconSecret(beaconSecret).beaconPort(beaconPort)
            .claimDirectory(claimDirectory()), workDir.resolve("children"));
        children.put(spec.name(), child);
        return child;
    }

    /** Starts a server node named {@code name} with the plugin configured by {@code plugin}. */
    public Ignite start(String name, Consumer<FabricPluginConfiguration> plugin) {
        FabricPluginConfiguration cfg = new FabricPluginConfiguration();
        plugin.accept(cfg);
        return start(configuration(name, cfg));
    }

    /** Starts a node from {@code cfg}. */
    public Ignite start(IgniteConfiguration cfg) {
        Ignite ignite = Ignition.start(cfg);
        nodes.put(cfg.getIgniteInstanceName(), ignite);
        return ignite;
    }

    /** Stops a node gracefully (its fabrics' node "left"). */
    public void stop(String name) {
        nodes.remove(name);
        Ignition.stop(name, true);
    }

    /** The running node named {@code name}. */
    public Ignite node(String name) {
        Ignite n = nodes.get(name);
        if (n == null)
            throw new IllegalArgumentException("node: '" + name + "' (expected one of: " + nodes.keySet() + ")");
        return n;
    }

    @Override
    public void afterAll(ExtensionContext context) {
        synchronized (children) {
            for (ChildNodeProcess c : children.values())
                c.kill();
            children.clear();
        }
        List<String> names = new ArrayList<>(nodes.keySet());
        java.util.Collections.reverse(names);
        for (String n : names)
            Ignition.stop(n, true);
        nodes.clear();
        try (Stream<Path> files = Files.walk(workDir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        catch (IOException ignored) {
            // A leftover temp folder is harmless.
        }
    }
}
