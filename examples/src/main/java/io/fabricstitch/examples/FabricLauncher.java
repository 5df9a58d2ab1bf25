package io.fabricstitch.examples;

import io.fabricstitch.examples.api.FabricMapPrinter;
import io.fabricstitch.examples.api.PartitionedBlurExample;
import io.fabricstitch.ignite.FabricStitch;
import io.fabricstitch.ignite.compute.FabricCompute;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteState;
import org.apache.ignite.Ignition;

/**
 * Main of {@code bin/fabric}: {@code node}, {@code map}, {@code submit}, {@code demo}, {@code tiles},
 * {@code device-check} and {@code example}. Wrong arguments print the usage and exit 2; a failure prints one line saying what went wrong and
 * exits 1.
 */
public final class FabricLauncher {
    static final String USAGE = String.join(System.lineSeparator(),
        "usage: bin/fabric <command> [options]",
        "  node --config FILE [--classpath PATH[:PATH]]",
        "                            run a server node from a Spring XML file until stopped (Ctrl-C); the jars",
        "                            in <home>/lib/ext and --classpath (jars, class folders) hold the classes",
        "                            of your closures when peer class loading is off (bin/fabric adds them)",
        "  map [--url JDBC_URL]      print the Fabric Map through the JDBC thin driver",
        "                            (default " + FabricMapPrinter.DFLT_URL + ")",
        "  submit --function NAME --require TYPE:AMOUNT --input FILE --output FILE",
        "         [--priority CLASS] [--timeout SECONDS] [--fabric ID] [--config FILE] [--url host:port[..port]]",
        "                            run one function on the cheapest fitting fabric through a client node",
        "                            (config/fabric-client.xml; --url replaces its discovery addresses) and",
        "                            write its output; TYPE is GPU, FPGA, ASIC, CPU, several joined by '|',",
        "                            or ANY; AMOUNT is in the fabric's own unit; CLASS latency-critical,",
        "                            balanced (default) or batch; timeout default 30 s; --fabric pins the task",
        "                            to one fabric (FABRIC.FABRIC_ENTRY.FABRIC_ID)",
        "  demo [--nodes N] [--config FILE] [--serve]",
        "                            start N (" + DemoCluster.MIN_NODES + ".." + DemoCluster.MAX_NODES
            + ", default 3) server nodes in this JVM from config/fabric-demo.xml,",
        "                            print the Fabric Map through SQL, route a few tasks and print the",
        "                            decisions, run a blur on the OpenCL fabric (if the host has one) and in",
        "                            Java, print FABRIC.TASK_ASSIGNMENT, the measured latency matrix, fail",
        "                            a fabric under a running task and show it completing elsewhere, then exit;",
        "                            --serve keeps the cluster up with its web console open, prints the",
        "                            console's address and routes a task every 2 s until Ctrl-C",
        "  tiles --output FILE [--input PNG] [--config FILE]",
        "                            start the demo cluster, blur the PNG (default: a generated 1600x1200",
        "                            image) in strips across its fabrics in proportion to their speed and",
        "                            cost, write the stitched PNG, check it against a one-fabric blur, exit",
        "  device-check [--type GPU|FPGA|ASIC|CPU|ANY] [--config FILE] [--blur WxH] [--matmul N] [--runs N]",
        "                            start one node (default config/fabric-server.xml), show the real device of",
        "                            that type (default GPU) as one fabric with its binding, run blur (default",
        "                            3840x2160) and matmul (default 1024) on it and on the CPU fabric through",
        "                            FabricCompute, print times, speed and output checks; exit 0 when all pass",
        String.join(System.lineSeparator(), ExampleCommand.usage()),
        "  help                      print this text");

    /** Longest wait of the demo for every node to see every fabric before it routes tasks. */
    static final Duration DEMO_MAP_WAIT = Duration.ofSeconds(10);

    private final PrintStream out;
    private final PrintStream err;
    private final Duration joinTimeout;
    private final boolean terminal;
    private final CountDownLatch serveStop;

    FabricLauncher(PrintStream out, PrintStream err) {
        this(out, err, ClientNode.DFLT_JOIN_TIMEOUT);
    }

    /** A launcher whose {@code submit} client waits {@code joinTimeout} to join when its configuration sets none. */
    FabricLauncher(PrintStream out, PrintStream err, Duration joinTimeout) {
        this(out, err, joinTimeout, false, null);
    }

    /** As above; {@code terminal} says whether {@code out} is a terminal (progress bars) or not (plain lines). */
    FabricLauncher(PrintStream out, PrintStream err, Duration joinTimeout, boolean terminal) {
        this(out, err, joinTimeout, terminal, null);
    }

    /** A launcher whose {@code demo --serve} stops when {@code serveStop} opens (null: on Ctrl-C). */
    FabricLauncher(PrintStream out, PrintStream err, Duration joinTimeout, CountDownLatch serveStop) {
        this(out, err, joinTimeout, false, serveStop);
    }

    private FabricLauncher(PrintStream out, PrintStream err, Duration joinTimeout, boolean terminal,
        CountDownLatch serveStop) {
        this.out = out;
        this.err = err;
        this.joinTimeout = joinTimeout;
        this.terminal = terminal;
        this.serveStop = serveStop;
    }

    public static void main(String[] args) {
        System.exit(new FabricLauncher(System.out, System.err, ClientNode.DFLT_JOIN_TIMEOUT, System.console() != null)
            .run(args));
    }

    /** Runs a command; returns the process exit code. */
    int run(String[] args) {
        if (args.length == 0)
            return usage("no command given");
        String cmd = args[0];
        if (cmd.equals("example"))
            return example(Arrays.copyOfRange(args, 1, args.length));
        Map<String, String> opts;
        try {
            opts = options(Arrays.copyOfRange(args, 1, args.length));
        }
        catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        try {
            switch (cmd) {
                case "node":
                    return node(opts);
                case "map":
                    return map(opts);
                case "submit":
                    return submit(opts);
                case "demo":
                    return demo(opts);
                case "tiles":
                    return tiles(opts);
                case "device-check":
                    return deviceCheck(opts);
                case "help":
                case "--help":
                case "-h":
                    out.println(USAGE);
                    return 0;
                default:
                    return usage("unknown command '" + cmd + "' (expected: node, map, submit, demo, tiles, device-check, example or help)");
            }
        }
        catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
    }

    private int usage(String problem) {
        err.println("fabric: " + problem);
        err.println(USAGE);
        return 2;
    }

    /** Options that take no value. */
    static final Set<String> FLAGS = Set.of("serve");

    static Map<String, String> options(String[] args) {
        Map<String, String> opts = new HashMap<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--") || a.length() == 2)
                throw new IllegalArgumentException("unexpected argument '" + a + "' (expected: --option value)");
            if (FLAGS.contains(a.substring(2))) {
                if (opts.put(a.substring(2), "true") != null)
                    throw new IllegalArgumentException("option " + a + " given twice");
                continue;
            }
            if (i + 1 >= args.length)
                throw new IllegalArgumentException("option " + a + " needs a value");
            if (opts.put(a.substring(2), args[++i]) != null)
                throw new IllegalArgumentException("option " + a + " given twice");
        }
        return opts;
    }

    private static void allowOnly(Map<String, String> opts, String cmd, String... allowed) {
        List<String> ok = Arrays.asList(allowed);
        for (String k : opts.keySet()) {
            if (!ok.contains(k))
                throw new IllegalArgumentException("option --" + k + " is not one of " + cmd + "'s (expected: "
                    + (ok.isEmpty() ? "none" : "--" + String.join(", --", ok)) + ")");
        }
    }

    private int node(Map<String, String> opts) {
        allowOnly(opts, "node", "config");
        String config = opts.get("config");
        if (config == null)
            throw new IllegalArgumentException("node needs --config FILE (e.g. config/fabric-server.xml)");
        Path file = existingFile(config);
        Ignite ignite;
        try {
            ignite = Ignition.start(file.toString());
        }
        catch (RuntimeException e) {
            err.println("fabric: node from " + file + " did not start: " + rootMessage(e));
            return 1;
        }
        String name = ignite.name();
        CountDownLatch stopped = new CountDownLatch(1);
        AtomicReference<IgniteState> how = new AtomicReference<>();
        Ignition.addListener((n, state) -> {
            if (Objects.equals(n, name) && state != IgniteState.STARTED && how.compareAndSet(null, state))
                stopped.countDown();
        });
        IgniteState now = Ignition.state(name);
        if (now != IgniteState.STARTED && how.compareAndSet(null, now))
            stopped.countDown();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> ignite.close(), "fabric-node-shutdown"));
        out.println("Fabric Stitch node " + ignite.cluster().localNode().consistentId() + " is up with "
            + FabricStitch.of(ignite).localFabrics().size() + " fabric(s); "
            + "see them with: bin/fabric map. Ctrl-C stops it.");
        String appClassPath = System.getProperty("fabric.app.classpath");
        if (appClassPath != null)
            out.println("Application classes (lib/ext, --classpath): " + appClassPath);
        try {
            stopped.await();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (how.get() != IgniteState.STOPPED) {
            err.println("fabric: node " + name + " stopped: " + how.get());
            return 1;
        }
        return 0;
    }

    private int deviceCheck(Map<String, String> opts) {
        allowOnly(opts, "device-check", DeviceCheck.OPTIONS);
        DeviceCheck check = DeviceCheck.parse(opts, home(), out);
        try {
            return check.run();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("fabric: device-check interrupted");
            return 1;
        }
        catch (RuntimeException e) {
            err.println("fabric: device-check failed: " + rootMessage(e));
            return 1;
        }
    }

    private int map(Map<String, String> opts) {
        allowOnly(opts, "map", "url");
        String url = opts.getOrDefault("url", FabricMapPrinter.DFLT_URL);
        if (!url.startsWith("jdbc:ignite:thin://"))
            throw new IllegalArgumentException("--url: '" + url + "' (expected: jdbc:ignite:thin://host[:port[..port]], e.g. " + FabricMapPrinter.DFLT_URL + ")");
        try {
            FabricMapPrinter.print(url, FabricMapPrinter.MAP_QUERY, out);
            return 0;
        }
        catch (SQLException e) {
            err.println("fabric: cannot read the Fabric Map at " + url + ": " + e.getMessage()
                + " (expected: a running node, e.g. bin/fabric node --config config/fabric-server.xml)");
            return 1;
        }
    }

    private int submit(Map<String, String> opts) {
        allowOnly(opts, "submit", SubmitCommand.OPTIONS);
        SubmitCommand cmd = SubmitCommand.parse(opts, home(), joinTimeout);
        QuietLogs quiet = QuietLogs.start();
        try {
            return cmd.run(out, terminal);
        }
        catch (IOException e) {
            err.println("fabric: --output: cannot write the output: " + e.getMessage());
            return 1;
        }
        catch (RuntimeException e) {
            String why = e instanceof IgniteException && e.getMessage() != null ? e.getMessage() : rootMessage(e);
            err.println("fabric: " + why.replaceAll("\\s*\\R\\s*", " "));
            return 1;
        }
        finally {
            quiet.close();
        }
    }

    private int demo(Map<String, String> opts) {
        allowOnly(opts, "demo", "nodes", "config", "serve");
        int count = parseInt(opts.getOrDefault("nodes", "3"), "--nodes");
        DemoCluster.checkNodeCount(count);
        Path config = existingFile(opts.getOrDefault("config", home().resolve("config/fabric-demo.xml").toString()));
        out.println("Starting " + count + " Fabric Stitch server nodes in this JVM from " + config + " ...");
        try (DemoCluster demo = DemoCluster.start(config, count)) {
            out.println("Cluster up: " + demo.nodes().get(0).cluster().forServers().nodes().size() + " server nodes.");
            if (!demo.awaitFabricMap(DEMO_MAP_WAIT))
                err.println("fabric: not every node saw every fabric within " + DEMO_MAP_WAIT.toSeconds() + " s; "
                    + "some routing decisions below may miss fabrics");
            String url = demo.jdbcUrl();
            demo.printMap(url, out);
            out.println();
            out.println("GPU, FPGA and ASIC rows marked (declared) are simulated by configuration; CPU rows and any "
                + "other rows come from this host's real probes.");
            out.println();
            out.println("Routing: each task goes to the fabric with the least cost = latencyWeight x latency "
                + "+ resourceWeight x utilization after placing it x price; latency = the measured round trip from "
                + "demo-0 to the fabric's node + the fabric's LATENCY_MS");
            DemoRouting.route(FabricCompute.of(demo.nodes().get(0)), out);
            out.println();
            out.println("Real device: a fabric whose functions run as OpenCL kernels on its own device");
            DemoRealDevice.run(demo.nodes().get(0), out);
            out.println();
            FabricCompute.of(demo.nodes().get(0)).awaitReleases(Duration.ofSeconds(10)); // records follow results
            out.println("The orchestrator's record (" + url + "): SELECT ... FROM FABRIC.TASK_ASSIGNMENT ORDER BY "
                + "STARTED_AT");
            DemoRouting.printAssignments(url, out);
            out.println();
            if (!demo.awaitLatencies(url, DEMO_MAP_WAIT))
                err.println("fabric: not every pair of nodes measured its round trip within "
                    + DEMO_MAP_WAIT.toSeconds() + " s");
            out.println("Round trips the agents measured between the nodes with signed UDP probes, found by beacon "
                + "(" + url + "): SELECT ... FROM FABRIC.FABRIC_LATENCY");
            FabricMapPrinter.print(url, DemoCluster.LATENCY_QUERY, out);
            out.println();
            out.println("Failover:");
            DemoFailover.run(demo.nodes().get(0), url, out);
            if (opts.containsKey("serve"))
                return serve(demo);
            return 0;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("fabric: demo interrupted");
            return 1;
        }
        catch (SQLException | RuntimeException e) {
            err.println("fabric: demo failed: " + rootMessage(e));
            return 1;
        }
    }

    /**
     * Serves the demo until the given latch opens, else until Ctrl-C: the shutdown hook then waits (up to 10 s) for
     * the demo to close its nodes.
     */
    private int serve(DemoCluster demo) throws InterruptedException {
        if (serveStop != null)
            return DemoServe.serve(demo.nodes().get(0), out, err, serveStop);
        CountDownLatch stop = new CountDownLatch(1);
        CountDownLatch closed = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.countDown();
            try {
                closed.await(10, java.util.concurrent.TimeUnit.SECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "fabric-demo-stop"));
        try {
            return DemoServe.serve(demo.nodes().get(0), out, err, stop);
        }
        finally {
            demo.close();
            closed.countDown();
        }
    }

    private int example(String[] args) {
        ExampleCommand cmd;
        try {
            cmd = ExampleCommand.parse(args, home(), joinTimeout);
        }
        catch (IllegalArgumentException e) {
            return usage(e.getMessage());
        }
        String name = args[0];
        try {
            return cmd.run(out, terminal);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("fabric: example " + name + " interrupted");
            return 1;
        }
        catch (Exception e) {
            String why = e instanceof IgniteException && e.getMessage() != null ? e.getMessage() : rootMessage(e);
            err.println("fabric: example " + name + " failed: " + why.replaceAll("\\s*\\R\\s*", " "));
            return 1;
        }
    }

    private int tiles(Map<String, String> opts) {
        allowOnly(opts, "tiles", "output", "input", "config");
        String output = opts.get("output");
        if (output == null)
            throw new IllegalArgumentException("tiles needs --output FILE (where to write the blurred PNG)");
        Path in = opts.containsKey("input") ? existingInput(opts.get("input")) : null;
        Path config = existingFile(opts.getOrDefault("config", home().resolve("config/fabric-demo.xml").toString()));
        byte[] png;
        try {
            png = PartitionedBlurExample.image(in);
        }
        catch (IOException e) {
            err.println("fabric: --input: cannot read " + in + ": " + e.getMessage());
            return 1;
        }
        out.println("Starting " + DemoCluster.MIN_NODES + " Fabric Stitch server nodes in this JVM from " + config
            + " ...");
        try (DemoCluster demo = DemoCluster.start(config, DemoCluster.MIN_NODES)) {
            if (!demo.awaitFabricMap(DEMO_MAP_WAIT))
                err.println("fabric: not every node saw every fabric within " + DEMO_MAP_WAIT.toSeconds() + " s");
            return PartitionedBlurExample.run(demo.nodes().get(0), png, Path.of(output), out) ? 0 : 1;
        }
        catch (IOException e) {
            err.println("fabric: --output: cannot write " + output + ": " + e.getMessage());
            return 1;
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("fabric: tiles interrupted");
            return 1;
        }
        catch (RuntimeException e) {
            err.println("fabric: tiles failed: " + rootMessage(e));
            return 1;
        }
    }

    private static Path existingInput(String path) {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p))
            throw new IllegalArgumentException("--input: " + path + " is not a readable file (expected: a PNG image)");
        return p;
    }

    private static int parseInt(String v, String name) {
        try {
            return Integer.parseInt(v.trim());
        }
        catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + ": '" + v + "' (expected: a whole number)");
        }
    }

    static Path existingFile(String path) {
        Path p = Path.of(path);
        if (!Files.isRegularFile(p))
            throw new IllegalArgumentException("--config: " + path + " is not a readable file (expected: a Spring XML "
                + "file such as config/fabric-server.xml)");
        return p;
    }

    /** The repository (or install) folder: {@code -Dfabric.home}, else the working directory. */
    static Path home() {
        return Path.of(System.getProperty("fabric.home", "."));
    }

    static String rootMessage(Throwable t) {
        List<String> msgs = new ArrayList<>();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c.getMessage() != null && (msgs.isEmpty() || !msgs.get(msgs.size() - 1).contains(c.getMessage())))
                msgs.add(c.getMessage());
        }
        return msgs.isEmpty() ? t.toString() : msgs.get(msgs.size() - 1);
    }
}
