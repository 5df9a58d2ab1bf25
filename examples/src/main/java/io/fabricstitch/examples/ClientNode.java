package io.fabricstitch.examples;

import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.plugin.FabricPluginProvider;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.StringJoiner;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.plugin.PluginProvider;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.TcpDiscoveryIpFinder;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * The thick client node {@code bin/fabric submit} runs its task through: loaded from a Spring XML file (bean
 * {@code ignite.cfg}), forced into client mode, its discovery addresses optionally replaced, and its join bounded so
 * that a missing cluster is reported instead of waited for.
 */
final class ClientNode {
    /** How long a client waits to join when its configuration sets no {@code joinTimeout}. */
    static final Duration DFLT_JOIN_TIMEOUT = Duration.ofSeconds(10);

    /** What {@code --url} accepts, for messages. */
    static final String URL_FORMAT = "host:port or host:port..port, several separated by ','";

    private static final Pattern ADDRESS = Pattern.compile("([^\\s:,]+):(\\d{1,5})(?:\\.\\.(\\d{1,5}))?");

    private final IgniteConfiguration cfg;
    private final TcpDiscoverySpi discovery;
    private final String addresses;

    private ClientNode(IgniteConfiguration cfg, TcpDiscoverySpi discovery, String addresses) {
        this.cfg = cfg;
        this.discovery = discovery;
        this.addresses = addresses;
    }

    /**
     * Loads the client configuration from {@code config}; {@code urls} (null: keep the file's) replace the discovery
     * addresses; a join timeout of 0 (wait forever) becomes {@code joinTimeout}.
     *
     * @throws IllegalArgumentException naming the option that cannot be used
     */
    static ClientNode load(Path config, List<String> urls, Duration joinTimeout) {
        IgniteConfiguration cfg;
        try {
            cfg = Ignition.loadSpringBean(config.toString(), "ignite.cfg");
        }
        catch (IgniteException e) {
            throw new IllegalArgumentException("--config: " + config + " cannot be loaded: "
                + FabricLauncher.rootMessage(e) + " (expected: a Spring XML file with an IgniteConfiguration bean "
                + "'ignite.cfg', such as config/fabric-client.xml)");
        }
        if (!(cfg.getDiscoverySpi() instanceof TcpDiscoverySpi))
            throw new IllegalArgumentException("--config: " + config + " has no TcpDiscoverySpi (expected: a client "
                + "configuration such as config/fabric-client.xml)");
        if (plugin(cfg) == null)
            throw new IllegalArgumentException("--config: " + config + " has no FabricPluginProvider in "
                + "pluginProviders (expected: a client configuration such as config/fabric-client.xml)");
        TcpDiscoverySpi disco = (TcpDiscoverySpi)cfg.getDiscoverySpi();
        if (urls != null)
            disco.setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(urls));
        if (disco.getJoinTimeout() == 0)
            disco.setJoinTimeout(joinTimeout.toMillis());
        cfg.setClientMode(true);
        return new ClientNode(cfg, disco, urls != null ? String.join(",", urls) : describe(disco.getIpFinder()));
    }

    /**
     * Parses the value of {@code --url}: {@code host:port[..port]}, several separated by commas.
     *
     * @throws IllegalArgumentException naming the address that is not one
     */
    static List<String> parseUrls(String text) {
        List<String> urls = new ArrayList<>();
        for (String part : text.split(",", -1)) {
            String a = part.trim();
            Matcher m = ADDRESS.matcher(a);
            boolean ok = m.matches() && port(m.group(2)) > 0
                && (m.group(3) == null || port(m.group(3)) >= port(m.group(2)));
            if (!ok)
                throw new IllegalArgumentException("--url: '" + a + "' in '" + text + "' (expected: " + URL_FORMAT
                    + ", ports 1..65535, e.g. 127.0.0.1:47500..47509)");
            urls.add(a);
        }
        return urls;
    }

    private static int port(String digits) {
        int p = Integer.parseInt(digits);
        return p <= 65535 ? p : -1;
    }

    /** The plugin configuration the client will run with: its provider's, else the defaults. */
    FabricPluginConfiguration pluginConfiguration() {
        FabricPluginConfiguration pc = plugin(cfg).getConfiguration();
        return pc != null ? pc : new FabricPluginConfiguration();
    }

    private static FabricPluginProvider plugin(IgniteConfiguration cfg) {
        PluginProvider<?>[] providers = cfg.getPluginProviders();
        if (providers != null) {
            for (PluginProvider<?> p : providers) {
                if (p instanceof FabricPluginProvider)
                    return (FabricPluginProvider)p;
            }
        }
        return null;
    }

    /** Lets {@code adjust} change the client's configuration before it starts (e.g. to add an SPI); returns this. */
    ClientNode configure(java.util.function.Consumer<IgniteConfiguration> adjust) {
        adjust.accept(cfg);
        return this;
    }

    /** The discovery addresses the client tries, e.g. {@code 127.0.0.1:47500..47509}. */
    String addresses() {
        return addresses;
    }

    /** How long the client waits to join, ms. */
    long joinTimeoutMs() {
        return discovery.getJoinTimeout();
    }

    /**
     * Starts the client node.
     *
     * @throws IgniteException saying no cluster was reachable when the join timed out, else why the node did not start
     */
    Ignite start() {
        try {
            return Ignition.start(cfg);
        }
        catch (IgniteException e) {
            String why = FabricLauncher.rootMessage(e);
            if (why.contains("Join process timed out") || why.contains("Failed to connect to any address"))
                throw new IgniteException("no Fabric Stitch cluster reachable at " + addresses + " within "
                    + SubmitCommand.num(joinTimeoutMs() / 1000.0) + " s (expected: a running server node, e.g. "
                    + "bin/fabric node --config config/fabric-demo.xml, or --url host:port of one)");
            throw new IgniteException("client node " + cfg.getIgniteInstanceName() + " did not start: " + why);
        }
    }

    /** Addresses of a static IP finder as ranges, {@code host:first..last}; other finders by their class. */
    static String describe(TcpDiscoveryIpFinder finder) {
        if (!(finder instanceof TcpDiscoveryVmIpFinder))
            return finder == null ? "(no IP finder)" : finder.getClass().getSimpleName();
        InetSocketAddress[] addrs = ((TcpDiscoveryVmIpFinder)finder).getRegisteredAddresses()
            .toArray(new InetSocketAddress[0]);
        Arrays.sort(addrs, Comparator.comparing(ClientNode::hostOf).thenComparingInt(InetSocketAddress::getPort));
        StringJoiner j = new StringJoiner(",");
        for (int i = 0; i < addrs.length; ) {
            int end = i;
            while (end + 1 < addrs.length && hostOf(addrs[end + 1]).equals(hostOf(addrs[i]))
                && addrs[end + 1].getPort() == addrs[end].getPort() + 1)
                end++;
            j.add(hostOf(addrs[i]) + ':' + addrs[i].getPort() + (end > i ? ".." + addrs[end].getPort() : ""));
            i = end + 1;
        }
        return j.toString();
    }

    private static String hostOf(InetSocketAddress a) {
        return a.getHostString();
    }
}
