package io.fabricstitch.examples.api;

import java.io.PrintStream;
import java.util.Map;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;

/** What an {@link Example} runs with: a started node, its options, where to print, and whether that is a terminal. */
public final class ExampleContext {
    /** Node attribute holding the JDBC/thin port a server node bound (Ignite's {@code ClientListenerProcessor}). */
    static final String CLIENT_LISTENER_PORT = "clientListenerPort";

    private final Ignite node;
    private final Map<String, String> options;
    private final PrintStream out;
    private final boolean terminal;

    public ExampleContext(Ignite node, Map<String, String> options, PrintStream out, boolean terminal) {
        this.node = node;
        this.options = Map.copyOf(options);
        this.out = out;
        this.terminal = terminal;
    }

    /** The node to work from: a server of the embedded cluster, or a client of a remote one. */
    public Ignite node() {
        return node;
    }

    /** The value of {@code --name}, or {@code dflt}. */
    public String option(String name, String dflt) {
        return options.getOrDefault(name, dflt);
    }

    public PrintStream out() {
        return out;
    }

    /** A progress printer for this output: a bar on a terminal, plain lines elsewhere. */
    public ProgressPrinter progress(String label) {
        return ProgressPrinter.of(out, terminal, label);
    }

    /**
     * The JDBC thin URL of the oldest server node: its address and the port it bound, so the example reads its own
     * cluster even when another one on this host holds the default port.
     *
     * @throws IllegalStateException when no server node is in the cluster
     */
    public String jdbcUrl() {
        ClusterNode server = node.cluster().forServers().forOldest().node();
        if (server == null)
            throw new IllegalStateException("no server node in the cluster (expected: at least one, for SQL)");
        Object port = server.attribute(CLIENT_LISTENER_PORT);
        String host = server.addresses().stream().filter(a -> !a.contains(":")).findFirst().orElse("127.0.0.1");
        return "jdbc:ignite:thin://" + host + ':' + (port == null ? "10800..10810" : String.valueOf(port));
    }
}
