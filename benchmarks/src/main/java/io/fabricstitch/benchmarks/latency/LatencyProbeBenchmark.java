package io.fabricstitch.benchmarks.latency;

import io.fabricstitch.agent.net.AgentNetwork;
import io.fabricstitch.agent.net.Announcement;
import io.fabricstitch.agent.net.NetworkConfiguration;
import io.fabricstitch.agent.net.PeerLatency;
import io.fabricstitch.ignite.test.VethPair;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The agents' round-trip estimate ({@code FABRIC_LATENCY.RTT_MICROS}, what the cost function reads) against the
 * kernel's own round trip ({@code ping -c N -i 0.01}) on the same path: loopback, and a veth pair between two network
 * namespaces (needs root and iproute2; skipped with the reason otherwise). Each case runs idle and with busy threads
 * ({@code --load}, default one per core) to show how scheduling noise reaches the estimate. No delay can be added to
 * the path here ({@code tc netem} is not available), so both paths are tens of microseconds.
 * <p>
 * Run: {@code java -cp benchmarks/target/benchmarks.jar io.fabricstitch.benchmarks.latency.LatencyProbeBenchmark
 * [--samples N] [--load T]}. Prints one Markdown row a case.
 */
public final class LatencyProbeBenchmark {
    private static final String SECRET = "latency-benchmark-secret-0123456789";
    private static final Pattern PING_TIME = Pattern.compile("time=([0-9.]+) ms");
    private static final Pattern MEASURED = Pattern.compile("MEASURED rtt=([0-9]+) samples=([0-9]+)");

    private LatencyProbeBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("measure")) {
            measureChild(args);
            return;
        }
        int samples = intOption(args, "--samples", 300);
        int load = intOption(args, "--load", Runtime.getRuntime().availableProcessors());
        System.out.println("| path | load | kernel ping min / p10 / p50 (us) | agent estimate (us) | error vs kernel p50 "
            + "(us) | relative |");
        System.out.println("|---|---|---|---|---|---|");
        for (int busy : new int[] {0, load}) {
            try (BusyThreads ignored = new BusyThreads(busy)) {
                row("loopback", busy, ping(List.of(), "127.0.0.1", samples), inProcess(samples));
            }
        }
        String why = VethPair.unavailableBecause();
        if (why != null) {
            System.out.println("veth pair skipped: " + why);
            return;
        }
        try (VethPair veth = VethPair.create()) {
            for (int busy : new int[] {0, load}) {
                try (BusyThreads ignored = new BusyThreads(busy)) {
                    row("veth pair, two namespaces", busy, ping(List.of(veth.inA()), veth.addressB(), samples),
                        acrossNamespaces(veth, samples));
                }
            }
        }
    }

    private static void row(String path, int busy, double[] kernel, long estimateMicros) {
        double p50 = percentile(kernel, 0.5);
        double err = estimateMicros - p50;
        System.out.println(String.format(Locale.ROOT, "| %s | %s | %.0f / %.0f / %.0f | %d | %+.0f | %+.0f%% |", path,
            busy == 0 ? "idle" : busy + " busy threads", percentile(kernel, 0), percentile(kernel, 0.1), p50,
            estimateMicros, err, 100 * err / p50));
    }

    /** Two agent networks in this JVM on 127.0.0.1, each the other's seed; the estimate after {@code samples}. */
    static long inProcess(int samples) throws InterruptedException {
        try (AgentNetwork b = network("b", "127.0.0.1", null)) {
            b.start();
            try (AgentNetwork a = network("a", "127.0.0.1", "127.0.0.1:" + b.unicastAddress().getPort())) {
                a.start();
                return awaitSamples(a, samples).rttMicros();
            }
        }
    }

    /** The responder in namespace B and the measuring agent in namespace A, each a JVM of its own. */
    static long acrossNamespaces(VethPair veth, int samples) throws IOException, InterruptedException {
        int port = 47990;
        Process responder = java(veth.inB(), "measure", veth.addressB(), String.valueOf(port), "-", "0");
        try {
            Thread.sleep(1500);
            Process measurer = java(veth.inA(), "measure", veth.addressA(), "0", veth.addressB() + ':' + port,
                String.valueOf(samples));
            String out = new String(measurer.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            measurer.waitFor(2, TimeUnit.MINUTES);
            Matcher m = MEASURED.matcher(out);
            if (!m.find())
                throw new IllegalStateException("the measuring agent printed no estimate: " + out);
            return Long.parseLong(m.group(1));
        }
        finally {
            responder.destroy();
            responder.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** {@code measure <bindHost> <port> <seed or -> <samples>}: samples 0 answers pings until killed. */
    private static void measureChild(String[] args) throws InterruptedException {
        String seed = args[3].equals("-") ? null : args[3];
        int samples = Integer.parseInt(args[4]);
        NetworkConfiguration.Builder cfg = config(args[1], seed).unicastPort(Integer.parseInt(args[2]));
        try (AgentNetwork n = new AgentNetwork(cfg.build(), self(args[1]))) {
            n.start();
            if (samples == 0) {
                Thread.sleep(Long.MAX_VALUE);
                return;
            }
            PeerLatency l = awaitSamples(n, samples);
            System.out.println("MEASURED rtt=" + l.rttMicros() + " samples=" + l.samples());
        }
    }

    private static AgentNetwork network(String name, String host, String seed) {
        return new AgentNetwork(config(host, seed).build(), self(name));
    }

    private static NetworkConfiguration.Builder config(String host, String seed) {
        NetworkConfiguration.Builder b = NetworkConfiguration.builder().secret(SECRET).multicastEnabled(false)
            .bindHost(host).unicastPort(0).beaconInterval(Duration.ofMillis(200))
            .latencyInterval(Duration.ofMillis(10));
        if (seed != null)
            b.seed(seed);
        return b;
    }

    private static java.util.function.Supplier<Announcement> self(String name) {
        Announcement a = Announcement.of(UUID.randomUUID(), "bench-" + name, "default", "127.0.0.1:0", List.of());
        return () -> a;
    }

    private static PeerLatency awaitSamples(AgentNetwork n, int samples) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (System.nanoTime() < deadline) {
            for (PeerLatency l : n.latencies().values()) {
                if (l.samples() >= samples)
                    return l;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(n + ": fewer than " + samples + " samples in 2 minutes: " + n.latencies());
    }

    private static Process java(String[] prefix, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(Arrays.asList(prefix));
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-Djava.net.preferIPv4Stack=true");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(LatencyProbeBenchmark.class.getName());
        cmd.addAll(Arrays.asList(args));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    /** Round trips of {@code ping -c samples -i 0.01}, in microseconds, sorted. */
    static double[] ping(List<String> prefix, String host, int samples) {
        List<String> cmd = new ArrayList<>(prefix);
        cmd.addAll(List.of("ping", "-n", "-c", String.valueOf(samples), "-i", "0.01", host));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor(2, TimeUnit.MINUTES);
            Matcher m = PING_TIME.matcher(out);
            List<Double> times = new ArrayList<>();
            while (m.find())
                times.add(Double.parseDouble(m.group(1)) * 1000);
            if (times.isEmpty())
                throw new IllegalStateException(String.join(" ", cmd) + " printed no round trip: " + out);
            return times.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** The {@code q} quantile of sorted values, nearest rank. */
    static double percentile(double[] sorted, double q) {
        return sorted[(int)Math.floor(q * (sorted.length - 1))];
    }

    private static int intOption(String[] args, String name, int dflt) {
        for (int i = 0; i + 1 < args.length; i++) {
            if (args[i].equals(name)) {
                int v = Integer.parseInt(args[i + 1]);
                if (v < 0)
                    throw new IllegalArgumentException(name + ": " + v + " (expected: 0 or more)");
                return v;
            }
        }
        return dflt;
    }

    /** Threads that spin until closed: scheduling noise of the kind a loaded node has. */
    private static final class BusyThreads implements AutoCloseable {
        private volatile boolean stop;
        private final List<Thread> threads = new ArrayList<>();

        BusyThreads(int n) {
            for (int i = 0; i < n; i++) {
                Thread t = new Thread(() -> {
                    long x = 0;
                    while (!stop)
                        x += System.nanoTime() % 7;
                    if (x == 42)
                        System.out.print("");
                }, "busy-" + i);
                t.setDaemon(true);
                t.start();
                threads.add(t);
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            for (Thread t : threads)
                t.join();
        }
    }
}
