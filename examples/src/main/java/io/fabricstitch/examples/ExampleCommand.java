package io.fabricstitch.examples;

import io.fabricstitch.examples.api.Example;
import io.fabricstitch.examples.api.ExampleContext;
import io.fabricstitch.examples.api.Examples;
import io.fabricstitch.ignite.FabricStitch;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.ignite.Ignite;

/**
 * {@code bin/fabric example <name>}: checks the example's options, starts what it runs on (the embedded demo cluster
 * from {@code config/fabric-demo.xml}, or with {@code --url} a client of the cluster there, from
 * {@code config/fabric-client.xml}), runs it and stops the nodes. Ignite's log is silenced while it runs, so the
 * output is the example's.
 */
final class ExampleCommand {
    /** Options every example takes. */
    static final List<String> COMMON_OPTIONS = List.of("url", "config");

    /** Longest wait for the Fabric Map to hold every fabric before an example runs. */
    static final Duration MAP_WAIT = Duration.ofSeconds(10);

    private final Example example;
    private final Map<String, String> opts;
    private final Path home;
    private final Duration joinTimeout;

    private ExampleCommand(Example example, Map<String, String> opts, Path home, Duration joinTimeout) {
        this.example = example;
        this.opts = opts;
        this.home = home;
        this.joinTimeout = joinTimeout;
    }

    /**
     * Checks the name and every option before any node starts.
     *
     * @param args the arguments after {@code example}: the name, then options
     * @throws IllegalArgumentException naming what is wrong and what is accepted
     */
    static ExampleCommand parse(String[] args, Path home, Duration joinTimeout) {
        if (args.length == 0 || args[0].startsWith("--"))
            throw new IllegalArgumentException("example needs a name (expected: one of " + Examples.names() + ")");
        Example ex = Examples.named(args[0]);
        Map<String, String> opts = FabricLauncher.options(Arrays.copyOfRange(args, 1, args.length));
        List<String> allowed = new ArrayList<>(COMMON_OPTIONS);
        allowed.addAll(ex.options());
        for (String k : opts.keySet()) {
            if (!allowed.contains(k))
                throw new IllegalArgumentException("option --" + k + " is not one of example " + ex.name() + "'s "
                    + "(expected: --" + String.join(", --", allowed) + ")");
        }
        if (opts.containsKey("url"))
            ClientNode.parseUrls(opts.get("url"));
        FabricLauncher.existingFile(opts.getOrDefault("config", defaultConfig(home, opts).toString()));
        ex.check(opts);
        return new ExampleCommand(ex, opts, home, joinTimeout);
    }

    private static Path defaultConfig(Path home, Map<String, String> opts) {
        return home.resolve(opts.containsKey("url") ? "config/fabric-client.xml" : "config/fabric-demo.xml");
    }

    /**
     * Runs the example and stops what it started.
     *
     * @return the exit code: 0 when the example showed what it should, else 1
     * @throws Exception what the example threw, for the launcher to report in one line
     */
    int run(PrintStream out, boolean terminal) throws Exception {
        Path config = Path.of(opts.getOrDefault("config", defaultConfig(home, opts).toString()));
        QuietLogs quiet = QuietLogs.start();
        try {
            if (opts.containsKey("url")) {
                ClientNode client = ClientNode.load(config, ClientNode.parseUrls(opts.get("url")), joinTimeout)
                    .configure(example::configure);
                out.println("Example " + example.name() + ": joining the cluster at " + client.addresses()
                    + " as a client ...");
                try (Ignite node = client.start()) {
                    awaitFabrics(node);
                    return runOn(node, out, terminal);
                }
            }
            out.println("Example " + example.name() + ": starting " + DemoCluster.MIN_NODES + " server nodes in this "
                + "JVM from " + config + " ...");
            try (DemoCluster demo = DemoCluster.start(config, DemoCluster.MIN_NODES, example::configure)) {
                demo.awaitFabricMap(MAP_WAIT);
                return runOn(demo.nodes().get(0), out, terminal);
            }
        }
        finally {
            quiet.close();
        }
    }

    private int runOn(Ignite node, PrintStream out, boolean terminal) throws Exception {
        out.println();
        boolean ok = example.run(new ExampleContext(node, opts, out, terminal));
        return ok ? 0 : 1;
    }

    /** Waits until a client's copy of the Fabric Map holds fabrics, at most {@link #MAP_WAIT}. */
    private static void awaitFabrics(Ignite node) throws InterruptedException {
        long deadline = System.nanoTime() + MAP_WAIT.toNanos();
        while (FabricStitch.of(node).fabricMap().isEmpty() && System.nanoTime() < deadline)
            Thread.sleep(20);
    }

    /** The usage lines of the {@code example} command, one per example. */
    static List<String> usage() {
        List<String> lines = new ArrayList<>();
        lines.add("  example NAME [--url host:port[..port]] [--config FILE] [options of NAME]");
        lines.add("                            run one example on the embedded demo cluster (--config: the servers',");
        lines.add("                            default config/fabric-demo.xml) or, with --url, as a client of the");
        lines.add("                            cluster there (--config: the client's, default config/fabric-client.xml);");
        lines.add("                            NAME is one of:");
        for (Example e : Examples.ALL) {
            lines.add(String.format("    %-12s%s", e.name(), e.summary()));
            if (!e.optionsHelp().isEmpty())
                lines.add("                " + e.optionsHelp());
        }
        return lines;
    }
}
