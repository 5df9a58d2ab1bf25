package io.fabricstitch.benchmarks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code iperf3} on loopback, one TCP stream: the machine's own figure for what one connection moves, measured by the
 * tool network people use. A server on a free loopback port for the life of this object, and one client run per
 * {@link #round}: {@code iperf3 -c 127.0.0.1 -n BYTES -J}, read back from its JSON (receiver's rate, both ends' CPU).
 * Install: {@code apt-get install iperf3} (Debian and Ubuntu).
 */
final class Iperf3 implements AutoCloseable {
    /** What one client run moved and what it cost. */
    record Round(long bytes, double seconds, double cpuSeconds) {
    }

    private final Process server;
    private final int port;

    private Iperf3(Process server, int port) {
        this.server = server;
        this.port = port;
    }

    /** The {@code iperf3} on the PATH, or null. */
    static Path find() {
        String path = System.getenv("PATH");
        if (path == null)
            return null;
        for (String dir : path.split(File.pathSeparator)) {
            Path p = Path.of(dir.isEmpty() ? "." : dir, "iperf3");
            if (Files.isExecutable(p))
                return p;
        }
        return null;
    }

    /**
     * Starts a server on a free loopback port and waits until it listens.
     *
     * @throws IOException when it cannot start or does not say it listens within 10 s
     */
    static Iperf3 start(Path exe) throws IOException, InterruptedException {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Process p = new ProcessBuilder(exe.toString(), "-s", "--forceflush", "-B", "127.0.0.1", "-p",
            String.valueOf(port))
            .redirectErrorStream(true).start();
        CountDownLatch listening = new CountDownLatch(1);
        Thread drain = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null;) {
                    if (line.contains("Server listening"))
                        listening.countDown();
                }
            }
            catch (IOException ignored) {
                // The server was stopped.
            }
        }, "iperf3-server-output");
        drain.setDaemon(true);
        drain.start();
        if (!listening.await(10, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException("iperf3 -s on port " + port + " did not say it listens within 10 s");
        }
        return new Iperf3(p, port);
    }

    /** One client run moving {@code bytes}: the receiver's figures. */
    Round round(Path exe, long bytes) throws IOException, InterruptedException {
        Process c = new ProcessBuilder(List.of(exe.toString(), "-c", "127.0.0.1", "-p", String.valueOf(port), "-n",
            String.valueOf(bytes), "-J")).redirectErrorStream(true).start();
        byte[] out = c.getInputStream().readAllBytes();
        if (!c.waitFor(60, TimeUnit.SECONDS) || c.exitValue() != 0)
            throw new IOException("iperf3 -c failed: " + new String(out, StandardCharsets.UTF_8).strip());
        return parse(new String(out, StandardCharsets.UTF_8));
    }

    /** The receiver's bytes and seconds, and both ends' CPU seconds, from {@code iperf3 -J}'s JSON. */
    static Round parse(String json) throws IOException {
        JsonNode end = new ObjectMapper().readTree(json).path("end");
        JsonNode received = end.path("sum_received");
        JsonNode cpu = end.path("cpu_utilization_percent");
        if (!received.has("bytes") || !received.has("seconds"))
            throw new IOException("iperf3 -J: no end.sum_received.bytes/seconds in " + json.strip());
        double seconds = received.get("seconds").asDouble();
        double cpuPercent = cpu.path("host_total").asDouble() + cpu.path("remote_total").asDouble();
        return new Round(received.get("bytes").asLong(), seconds, cpuPercent / 100 * seconds);
    }

    @Override
    public void close() {
        server.destroy();
        try {
            if (!server.waitFor(5, TimeUnit.SECONDS))
                server.destroyForcibly();
        }
        catch (InterruptedException e) {
            server.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
