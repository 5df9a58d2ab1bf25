package io.fabricstitch.ignite.test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A Fabric Stitch server node in a JVM of its own ({@link ChildNode}), started with the same JVM flags and class
 * path as the tests, so that a test can {@code kill -9} it ({@link #kill()}). Its output goes to a log file under the
 * cluster's folder; a failure to start reports the log's tail.
 */
public final class ChildNodeProcess {
    /** How long a child may take to start and join (a cold JVM on a busy 2-core machine). */
    static final long START_TIMEOUT_MS = Timing.scaled(90_000);

    private final Spec spec;
    private final Process process;
    private final Path log;
    private final PrintWriter stdin;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private volatile UUID nodeId;

    private ChildNodeProcess(Spec spec, Process process, Path log) {
        this.spec = spec;
        this.process = process;
        this.log = log;
        this.stdin = new PrintWriter(new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8), true);
    }

    /** What to start: a node name and its plugin settings, as {@link ChildNode} arguments. */
    public static final class Spec {
        private final String name;
        private final List<String> args = new ArrayList<>();
        private final List<String> prefix = new ArrayList<>();
        private String secret;

        private Spec(String name) {
            this.name = name;
            arg("name", name);
        }

        public static Spec named(String name) {
            return new Spec(name);
        }

        public String name() {
            return name;
        }

        /** A declared fabric: {@code name:TYPE:count:unit:latencyMs:speedFactor:fn+fn} (also allow-listed). */
        public Spec declared(String fabricSpec) {
            return arg("declared", fabricSpec);
        }

        public Spec host(String host) {
            return arg("host", host);
        }

        /** Discovery addresses, comma-separated ({@code host:port..port}). */
        public Spec discovery(String addresses) {
            return arg("discovery", addresses);
        }

        public Spec site(String site) {
            return arg("site", site);
        }

        public Spec healthIntervalMs(long ms) {
            return arg("health-interval-ms", String.valueOf(ms));
        }

        public Spec injectedLatency(String injected) {
            return arg("injected-latency", injected);
        }

        public Spec beaconInterface(String itf) {
            return arg("beacon-interface", itf);
        }

        /** Configures {@code FabricLoadBalancingSpi} and {@code FabricFailoverSpi} on the node. */
        public Spec withFabricSpis() {
            return arg("spis", "fabric");
        }

        /** Turns Ignite's peer class loading on ({@code peerClassLoadingEnabled}; every node must agree). */
        public Spec peerClassLoading() {
            return arg("peer-class-loading", "true");
        }

        /** Runs the JVM through a command prefix, such as {@code ip netns exec ns-a}. */
        public Spec prefix(String... command) {
            prefix.addAll(Arrays.asList(command));
            return this;
        }

        Spec beaconSecret(String secret) {
            if (this.secret == null)
                this.secret = secret;
            return this;
        }

        Spec beaconPort(int port) {
            if (!args.contains("--beacon-port"))
                arg("beacon-port", String.valueOf(port));
            return this;
        }

        Spec claimDirectory(Path dir) {
            return arg("claims", dir.toString());
        }

        private Spec arg(String key, String value) {
            args.add("--" + key);
            args.add(value);
            return this;
        }
    }

    /** Starts the child and waits until its node has joined. */
    static ChildNodeProcess start(Spec spec, Path folder) {
        try {
            Files.createDirectories(folder);
            Path log = folder.resolve(spec.name + ".log");
            List<String> cmd = new ArrayList<>(spec.prefix);
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(jvmArgs());
            cmd.add("-cp");
            cmd.add(System.getProperty("java.class.path"));
            cmd.add(ChildNode.class.getName());
            cmd.addAll(spec.args);
            cmd.add("--work");
            cmd.add(folder.resolve(spec.name + "-work").toString());
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
            Map<String, String> env = pb.environment();
            env.put("FABRIC_BEACON_SECRET", spec.secret);
            ChildNodeProcess child = new ChildNodeProcess(spec, pb.start(), log);
            child.pump();
            child.awaitReady();
            return child;
        }
        catch (IOException e) {
            throw new UncheckedIOException("child node " + spec.name + " could not start", e);
        }
    }

    /** The flags this test JVM runs with that a node needs: the add-opens list and our system properties. */
    static List<String> jvmArgs() {
        List<String> out = new ArrayList<>(List.of("-Xmx384m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("--add-opens") || a.startsWith("-DIGNITE_") || a.startsWith("-Djava.net.preferIPv4Stack"))
                out.add(a);
        }
        // From the properties rather than the command line, so that a runner's System.setProperty reaches children.
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.startsWith("fabric.test."))
                out.add("-D" + key + "=" + System.getProperty(key));
        }
        String logging = System.getProperty("java.util.logging.config.file");
        if (logging != null)
            out.add("-Djava.util.logging.config.file=" + logging);
        return out;
    }

    private void pump() {
        Thread t = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8)); Writer out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    out.write(line);
                    out.write('\n');
                    out.flush();
                    if (line.startsWith(ChildNode.READY) || line.startsWith(ChildNode.ROW)
                        || line.startsWith(ChildNode.END) || line.startsWith(ChildNode.ERR))
                        lines.add(line);
                }
            }
            catch (IOException ignored) {
                // The child is gone.
            }
            lines.add(ChildNode.END + " (exited)");
        }, "child-" + spec.name + "-output");
        t.setDaemon(true);
        t.start();
    }

    private void awaitReady() {
        try {
            String line = lines.poll(START_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            if (line == null || !line.startsWith(ChildNode.READY)) {
                kill();
                throw new AssertionError("child node " + spec.name + " did not start within " + START_TIMEOUT_MS
                    + " ms; its log ends:\n" + tail(40));
            }
            nodeId = UUID.fromString(line.substring(ChildNode.READY.length()).trim());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new AssertionError("interrupted waiting for child node " + spec.name, e);
        }
    }

    /** The child's node id. */
    public UUID nodeId() {
        return nodeId;
    }

    public String name() {
        return spec.name;
    }

    /** The child's process id. */
    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: the process dies at once, with no chance to leave the cluster. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the node gracefully (it leaves the cluster), then the process. */
    public void stop() {
        stdin.println("stop");
        try {
            if (!process.waitFor(Timing.scaled(30_000), TimeUnit.MILLISECONDS))
                kill();
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
        }
    }

    /**
     * Runs a SQL query on the child's node and returns its rows, each value as text.
     *
     * @throws AssertionError when the child does not answer, with its log's tail
     */
    public synchronized List<List<String>> query(String sql) {
        lines.clear();
        stdin.println("sql " + sql.replace('\n', ' '));
        List<List<String>> rows = new ArrayList<>();
        try {
            while (true) {
                String line = lines.poll(Timing.CONDITION.toMillis(), TimeUnit.MILLISECONDS);
                if (line == null || line.startsWith(ChildNode.END + " (exited)"))
                    throw new AssertionError("child node " + spec.name + " did not answer '" + sql + "'; its log ends:\n"
                        + tail(20));
                if (line.startsWith(ChildNode.ERR))
                    throw new AssertionError("child node " + spec.name + " failed '" + sql + "': "
                        + line.substring(ChildNode.ERR.length()));
                if (line.startsWith(ChildNode.END))
                    return rows;
                if (line.startsWith(ChildNode.ROW))
                    rows.add(Arrays.asList(line.substring(ChildNode.ROW.length()).split("\\|", -1)));
            }
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** The last {@code n} lines of the child's log. */
    public String tail(int n) {
        try {
            List<String> all = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", all.subList(Math.max(0, all.size() - n), all.size()));
        }
        catch (IOException e) {
            return "(no log: " + e + ')';
        }
    }
}
