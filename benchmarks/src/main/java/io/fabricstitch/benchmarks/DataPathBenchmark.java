package io.fabricstitch.benchmarks;

import io.fabricstitch.agent.datapath.DataPathClient;
import io.fabricstitch.agent.datapath.DataPathConfiguration;
import io.fabricstitch.agent.datapath.DataPathServer;
import io.fabricstitch.agent.datapath.StagedInput;
import io.fabricstitch.agent.datapath.TlsMaterial;
import io.fabricstitch.agent.datapath.TransferGrant;
import io.fabricstitch.agent.datapath.TransferKey;
import io.fabricstitch.agent.datapath.TransferReceipt;
import io.fabricstitch.agent.datapath.TransferToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Throughput of the agent's data path on loopback, against plain sockets moving the same bytes, in one run:
 * <ul>
 *     <li><b>socket</b>: a {@code java.net.Socket} writes the bytes to a sink that reads them into a buffer and
 *     discards them (the pure network baseline);</li>
 *     <li><b>socket + file</b>: the same, but the sink writes what it reads to a file with a {@code FileChannel}, as
 *     the data path server does (the fair baseline);</li>
 *     <li><b>DIRECT upload</b>: {@link DataPathClient#upload} to a {@link DataPathServer} without TLS; the server
 *     checks the upload's transfer token and writes to its staging file, as in production;</li>
 *     <li><b>TLS upload</b>: the same over TLS 1.3 with development certificates (a temporary directory).</li>
 * </ul>
 * Each path moves {@code --mib N} MiB (default 512) from an in-memory generator, in warm-up rounds of at least
 * 1 GiB in all, then {@code --rounds R} times (default 5); a round ends when the receiver has everything (the
 * socket sinks answer one byte, the server its ACK). Prints each round and the median in MiB/s, and the ratios to
 * both baselines with their aims (DIRECT &gt;= 0.8, TLS &gt;= 0.5), as a Markdown table, with the JVM and the
 * machine. Run:
 * {@code mvn -q -DskipTests package && java -cp benchmarks/target/benchmarks.jar
 * io.fabricstitch.benchmarks.DataPathBenchmark [--mib N] [--rounds R] [--dir D]}; {@code --dir} puts the staging and
 * sink files under {@code D} (for example {@code /dev/shm}, so that the disk's write-back does not set the pace).
 */
public final class DataPathBenchmark {
    private static final int MIB = 1 << 20;

    private static final int BUFFER = 64 << 10;

    /** Bytes moved to warm each path up (JIT, TLS), in MiB. */
    private static final long WARM_UP_MIB = 1024;

    /** The fabric this run's servers answer for. */
    private static final UUID FABRIC = UUID.nameUUIDFromBytes("data-path benchmark".getBytes(StandardCharsets.UTF_8));

    private final long bytes;
    private final int rounds;
    private final Path tmp;
    private final byte[] block = new byte[MIB];

    private final long warmUpMib;

    /** The key this run's servers check tokens with, as a cluster's would. */
    private final TransferKey key = TransferKey.generate(new SecureRandom());

    private DataPathBenchmark(int mib, int rounds, Path tmp, long warmUpMib) {
        bytes = (long)mib * MIB;
        this.rounds = rounds;
        this.tmp = tmp;
        this.warmUpMib = warmUpMib;
        new Random(42).nextBytes(block);
    }

    /**
     * Median MiB/s of socket, socket + file, DIRECT upload and TLS upload, in that order: {@code rounds} rounds of
     * {@code mib} MiB per path after at least {@code warmUpMib} MiB of warm-up per path, staging in a temporary folder
     * under {@code dir} (null: {@code java.io.tmpdir}). Prints the usual table to {@code out}.
     */
    public static double[] medians(int mib, int rounds, long warmUpMib, Path dir, PrintStream out) throws Exception {
        Path tmp = dir == null ? Files.createTempDirectory("fabric-datapath-bench")
            : Files.createTempDirectory(Files.createDirectories(dir), "fabric-datapath-bench");
        try {
            double[][] mibs = new DataPathBenchmark(mib, rounds, tmp, warmUpMib).run(out);
            double[] medians = new double[mibs.length];
            for (int i = 0; i < mibs.length; i++)
                medians[i] = median(mibs[i]);
            return medians;
        }
        finally {
            deleteTree(tmp);
        }
    }

    public static void main(String[] args) throws Exception {
        int mib = 512;
        int rounds = 5;
        Path dir = null;
        for (int i = 0; i < args.length; i += 2) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (args[i].equals("--mib") && value != null)
                mib = Integer.parseInt(value);
            else if (args[i].equals("--rounds") && value != null)
                rounds = Integer.parseInt(value);
            else if (args[i].equals("--dir") && value != null)
                dir = Path.of(value);
            else
                throw new IllegalArgumentException("option " + args[i] + " (expected: --mib N, --rounds R, --dir D)");
        }
        if (mib < 1 || mib > 65536)
            throw new IllegalArgumentException("--mib: " + mib + " (expected: 1..65536)");
        if (rounds < 1 || rounds > 100)
            throw new IllegalArgumentException("--rounds: " + rounds + " (expected: 1..100)");
        Path tmp = dir == null ? Files.createTempDirectory("fabric-datapath-bench")
            : Files.createTempDirectory(Files.createDirectories(dir), "fabric-datapath-bench");
        try {
            new DataPathBenchmark(mib, rounds, tmp, WARM_UP_MIB).run(System.out);
        }
        finally {
            deleteTree(tmp);
        }
        System.exit(0);
    }

    private double[][] run(PrintStream out) throws Exception {
        TlsMaterial serverTls = TlsMaterial.development(tmp.resolve("dev-ca"), "bench-server");
        TlsMaterial clientTls = TlsMaterial.development(tmp.resolve("dev-ca"), "bench-client");
        try (DataPathServer direct = new DataPathServer(config("bench-direct").build());
             DataPathClient plainClient = new DataPathClient(config("bench-client").build());
             DataPathServer tls = new DataPathServer(config("bench-tls").tls(serverTls).build());
             DataPathClient tlsClient = new DataPathClient(config("bench-client").tls(clientTls).build())) {
            direct.start();
            tls.start();
            List<String> names = List.of("socket", "socket + file", "DIRECT upload", "TLS upload");
            List<Round> paths = List.of(() -> socketCopy(false), () -> socketCopy(true),
                () -> upload(direct, plainClient, false), () -> upload(tls, tlsClient, true));
            double[][] mibs = measure(names, paths);
            table(out, mibs[0], mibs[1], mibs[2], mibs[3]);
            return mibs;
        }
    }

    /**
     * The servers check tokens as in production, with a key of this run's own (the orchestrator's part, signing, is
     * done by {@link #upload}); the staging capacity is the default, half the free space.
     */
    private DataPathConfiguration.Builder config(String name) {
        return DataPathConfiguration.builder().agentName(name).stagingDirectory(tmp.resolve("staging"))
            .maxTransferBytes(bytes).transferKey(key).hostsFabric(FABRIC::equals);
    }

    private interface Round {
        /** Moves the bytes once; returns the nanoseconds it took. */
        long run() throws Exception;
    }

    /**
     * Warm-up rounds moving at least {@code warmUpMib} MiB (default {@value #WARM_UP_MIB}) through each path (one at
     * least), then the measured rounds, the paths taking turns within each round so that whatever else the machine
     * does falls on all of them alike; MiB/s per path and round.
     */
    private double[][] measure(List<String> names, List<Round> paths) throws Exception {
        long warmUps = Math.max(1, (warmUpMib * MIB + bytes - 1) / bytes);
        System.err.printf(Locale.ROOT, "%d warm-up round(s) per path%n", warmUps);
        for (long i = 0; i < warmUps; i++) {
            for (Round r : paths)
                r.run();
        }
        double[][] mibs = new double[paths.size()][rounds];
        for (int i = 0; i < rounds; i++) {
            for (int p = 0; p < paths.size(); p++) {
                long nanos = paths.get(p).run();
                mibs[p][i] = bytes / (double)MIB / (nanos / 1e9);
                System.err.printf(Locale.ROOT, "%s: round %d: %.0f MiB/s%n", names.get(p), i + 1, mibs[p][i]);
            }
        }
        return mibs;
    }

    private InputStream generator() {
        return new InputStream() {
            private long left = bytes;

            @Override
            public int read() {
                if (left == 0)
                    return -1;
                return block[(int)(bytes - left--) % MIB] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) {
                if (left == 0)
                    return -1;
                int pos = (int)((bytes - left) % MIB);
                int n = (int)Math.min(Math.min(len, left), MIB - pos);
                System.arraycopy(block, pos, b, off, n);
                left -= n;
                return n;
            }
        };
    }

    /** Baselines: a socket writes the bytes to a sink that discards them, or writes them to a file. */
    private long socketCopy(boolean toFile) throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread sink = new Thread(() -> sink(listener, toFile), "socket-sink");
            sink.start();
            long start = System.nanoTime();
            try (Socket s = new Socket(listener.getInetAddress(), listener.getLocalPort());
                 InputStream in = generator()) {
                OutputStream os = s.getOutputStream();
                byte[] buf = new byte[BUFFER];
                for (int n; (n = in.read(buf)) > 0;)
                    os.write(buf, 0, n);
                os.flush();
                if (s.getInputStream().read() != 1)
                    throw new IOException("the sink did not confirm");
            }
            long nanos = System.nanoTime() - start;
            sink.join();
            return nanos;
        }
    }

    private void sink(ServerSocket listener, boolean toFile) {
        Path file = tmp.resolve("sink-" + UUID.randomUUID());
        try (Socket s = listener.accept();
             FileChannel fc = toFile ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                 : null) {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[BUFFER];
            ByteBuffer bb = ByteBuffer.wrap(buf);
            long got = 0;
            for (int n; got < bytes && (n = in.read(buf)) > 0; got += n) {
                if (fc != null) {
                    bb.clear().limit(n);
                    while (bb.hasRemaining())
                        fc.write(bb);
                }
            }
            s.getOutputStream().write(got == bytes ? 1 : 0);
        }
        catch (IOException e) {
            throw new IllegalStateException("sink: " + e, e);
        }
        finally {
            try {
                Files.deleteIfExists(file);
            }
            catch (IOException ignored) {
                // In the temporary directory, deleted at the end.
            }
        }
    }

    /** An upload; the staged input is taken and deleted after the clock stops. */
    private long upload(DataPathServer server, DataPathClient client, boolean tls) throws IOException {
        UUID id = UUID.randomUUID();
        TransferToken token = TransferGrant.upload(id, FABRIC, bytes, System.currentTimeMillis() + 60_000).sign(key);
        TransferReceipt r;
        try (InputStream in = generator()) {
            r = client.upload(server.address(), tls, token, in, bytes);
        }
        try (StagedInput staged = server.take(id).orElseThrow()) {
            if (staged.length() != bytes)
                throw new IllegalStateException("staged " + staged.length() + " bytes (expected: " + bytes + ")");
        }
        return r.nanos();
    }

    private void table(PrintStream out, double[] socket, double[] socketFile, double[] direct, double[] tls) {
        double base = median(socket);
        double baseFile = median(socketFile);
        out.println();
        out.printf(Locale.ROOT, "Data path throughput, %d MiB per round over loopback, %d round(s) after %d MiB or "
            + "more of warm-up; MiB/s.%n%n", bytes / MIB, rounds, warmUpMib);
        StringBuilder head = new StringBuilder("| Path |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int i = 1; i <= rounds; i++) {
            head.append(" Round ").append(i).append(" |");
            rule.append("---:|");
        }
        out.println(head + " Median | / socket | / socket + file | Aim |");
        out.println(rule + "---:|---:|---:|---|");
        row(out, "socket (read and discard)", socket, base, baseFile, "baseline");
        row(out, "socket + file (FileChannel write)", socketFile, base, baseFile, "fair baseline");
        row(out, "DIRECT upload (server writes its staging file)", direct, base, baseFile, ">= 0.8");
        row(out, "TLS upload (TLS 1.3, development certificates)", tls, base, baseFile, ">= 0.5");
        out.println();
        Runtime rt = Runtime.getRuntime();
        out.printf(Locale.ROOT, "JVM: %s %s (%s), max heap %d MiB; machine: %s %s, %d CPU(s)%n",
            System.getProperty("java.vm.name"), System.getProperty("java.version"),
            System.getProperty("java.vm.vendor"), rt.maxMemory() / MIB, System.getProperty("os.name"),
            System.getProperty("os.arch"), rt.availableProcessors());
        out.println("JVM arguments: " + ManagementFactory.getRuntimeMXBean().getInputArguments());
        out.println("TLS provider: " + TlsMaterial.provider() + " (OPENSSL: BoringSSL from netty-tcnative; JDK: the JDK's "
            + "SSLEngine)");
    }

    private static void row(PrintStream out, String name, double[] mibs, double base, double baseFile, String aim) {
        StringBuilder sb = new StringBuilder("| ").append(name).append(" |");
        for (double m : mibs)
            sb.append(String.format(Locale.ROOT, " %.0f |", m));
        double med = median(mibs);
        sb.append(String.format(Locale.ROOT, " **%.0f** | %.2f | %.2f | %s |", med, med / base, med / baseFile, aim));
        out.println(sb);
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    private static void deleteTree(Path dir) throws IOException {
        List<Path> all = new ArrayList<>();
        try (Stream<Path> s = Files.walk(dir)) {
            s.forEach(all::add);
        }
        all.sort(Comparator.reverseOrder());
        for (Path p : all)
            Files.deleteIfExists(p);
    }
}
