package io.fabricstitch.benchmarks;

import io.fabricstitch.agent.datapath.DataPathClient;
import io.fabricstitch.agent.datapath.DataPathConfiguration;
import io.fabricstitch.agent.datapath.DataPathServer;
import io.fabricstitch.agent.datapath.FabricDataPathConfiguration;
import io.fabricstitch.agent.datapath.StagedInput;
import io.fabricstitch.agent.datapath.TlsMaterial;
import io.fabricstitch.agent.datapath.TransferGrant;
import io.fabricstitch.agent.datapath.TransferKey;
import io.fabricstitch.agent.datapath.TransferReceipt;
import io.fabricstitch.agent.datapath.TransferToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * Throughput of the agent's data path on loopback, against baselines moving the same bytes, in one run with the
 * paths taking turns within each round:
 * <ul>
 *     <li><b>iperf3</b>: {@code iperf3 -c 127.0.0.1 -n BYTES}, one stream (skipped, with one line saying so, when
 *     {@code iperf3} is not on the PATH; install: {@code apt-get install iperf3});</li>
 *     <li><b>socket</b>: a blocking {@code SocketChannel} writes the bytes of the in-memory stream the uploads read
 *     (through one direct buffer, as the data path does) to a sink that reads them into a 1 MiB direct buffer and
 *     discards them: no copy in the sink, as fast as Java sockets go;</li>
 *     <li><b>socket + file</b>: the same, but the sink writes each read to a file with a {@code FileChannel}, as the
 *     data path server does (the fair baseline);</li>
 *     <li><b>DIRECT upload</b>: {@link DataPathClient#upload} from an in-memory stream to a {@link DataPathServer}
 *     without TLS; the server checks the upload's transfer token, each frame's CRC32C, and writes its staging
 *     file, as in production;</li>
 *     <li><b>DIRECT, new file each</b>: the same with {@code spareFileTtlMs} 0, the server writing every upload into
 *     a new file instead of over the last consumed one (for reference: what the reuse saves);</li>
 *     <li><b>TLS upload</b>: the same over TLS 1.3 with development certificates (a temporary directory).</li>
 * </ul>
 * Each path moves {@code --mib N} MiB (default 512), in warm-up rounds of at least {@code --warm-up-mib W} MiB in all
 * (default {@value #WARM_UP_MIB}), then {@code --rounds R} times (default {@value #DFLT_ROUNDS}); a round ends when the
 * receiver has everything (the socket sinks answer one byte, the server its ACK, iperf3 its receiver). Prints each
 * round, the median, the spread (min-max), the CPU the whole JVM (or both iperf3 processes) spent per GiB, the ratios
 * and the aims (DIRECT &gt;= 0.8x iperf3 and &gt;= 0.9x socket + file, TLS &gt;= 0.7x DIRECT), as a Markdown table,
 * with the JVM, the machine, the transport and where the files went. The TLS line also gives what TLS alone costs
 * per GiB ({@link TlsEngineCost}: with its buffers in cache, and with every record's output out of cache) and the
 * ratio to DIRECT each leaves when both ends share this machine's cores. Run:
 * {@code mvn -q -DskipTests package && java -cp benchmarks/target/benchmarks.jar
 * io.fabricstitch.benchmarks.DataPathBenchmark [--mib N] [--rounds R] [--warm-up-mib W] [--dir D] [--chunk-kib K]
 * [--nio]};
 * {@code --dir} puts the staging and sink files under {@code D}, by default {@code /dev/shm} when it is a tmpfs
 * (so that the disk's write-back does not set the pace), else {@code java.io.tmpdir}; {@code --chunk-kib} sets the
 * DATA frame payload; {@code --nio} turns the native epoll transport off.
 */
public final class DataPathBenchmark {
    private static final int MIB = 1 << 20;

    /** The socket baselines' buffers: a 1 MiB read or write per call at most. */
    private static final int BUFFER = MIB;

    /**
     * Bytes moved to warm each path up (JIT, TLS, the staging file), in MiB: after 1 GiB the DIRECT rounds still
     * climbed by a quarter from one to the next while the JIT compiled.
     */
    public static final long WARM_UP_MIB = 4096;

    /** Measured rounds per path: the median of 9 moves less with one disturbed round than that of 5. */
    public static final int DFLT_ROUNDS = 9;

    /** The fabric this run's servers answer for. */
    private static final UUID FABRIC = UUID.nameUUIDFromBytes("data-path benchmark".getBytes(StandardCharsets.UTF_8));

    /** Path names, in table order. */
    static final String IPERF3 = "iperf3";
    static final String SOCKET = "socket";
    static final String SOCKET_FILE = "socket + file";
    static final String DIRECT = "DIRECT upload";
    static final String DIRECT_NEW_FILE = "DIRECT, new file each";
    static final String TLS = "TLS upload";

    private final long bytes;
    private final int rounds;
    private final Path tmp;
    private final long warmUpMib;
    private final int chunkBytes;
    private final boolean nativeTransport;
    private final byte[] block = new byte[MIB];
    private final ByteBuffer sendBuffer = ByteBuffer.allocateDirect(BUFFER);

    /** The key this run's servers check tokens with, as a cluster's would. */
    private final TransferKey key = TransferKey.generate(new SecureRandom());

    private DataPathBenchmark(int mib, int rounds, Path tmp, long warmUpMib, int chunkBytes, boolean nativeTransport) {
        bytes = (long)mib * MIB;
        this.rounds = rounds;
        this.tmp = tmp;
        this.warmUpMib = warmUpMib;
        this.chunkBytes = chunkBytes;
        this.nativeTransport = nativeTransport;
        new Random(42).nextBytes(block);
    }

    /**
     * What one run found: the median MiB/s of each path ({@code NaN} for iperf3 when it is absent), where the files
     * went and the transport, and the aims judged on them. The suite's table and this benchmark's print the same.
     */
    public record Figures(double iperf3, double socket, double socketFile, double direct, double tls, String staging,
        String transport, double directCpuPerGib, TlsEngineCost.Cost tlsAlone) {
        /** Whether iperf3 ran. */
        public boolean hasIperf3() {
            return !Double.isNaN(iperf3);
        }

        /** DIRECT against iperf3, at least 0.8 (judged when iperf3 ran). */
        public double directToIperf3() {
            return direct / iperf3;
        }

        /** DIRECT against socket + file, at least 0.9. */
        public double directToSocketFile() {
            return direct / socketFile;
        }

        /** TLS against DIRECT, at least 0.7. */
        public double tlsToDirect() {
            return tls / direct;
        }

        /** DIRECT meets its aims: 0.8x iperf3 (when it ran) and 0.9x socket + file. */
        public boolean directMet() {
            return (!hasIperf3() || directToIperf3() >= 0.8) && directToSocketFile() >= 0.9;
        }

        /** TLS meets its aim: 0.7x DIRECT. */
        public boolean tlsMet() {
            return tlsToDirect() >= 0.7;
        }

        /**
         * The most TLS can move against DIRECT when one machine runs both ends and both are CPU-bound: DIRECT's CPU per
         * GiB over that plus what the TLS engine alone spends per GiB at the least, with its buffers in cache
         * ({@link TlsEngineCost}).
         */
        public double tlsCeiling() {
            return ceiling(tlsAlone.inCache());
        }

        /**
         * The same where every record the engine writes lands in memory out of cache: what TLS leaves when its buffers
         * are as cold as they get (the data path's pooled buffers are partly still in cache).
         */
        public double tlsCeilingOutOfCache() {
            return ceiling(tlsAlone.outOfCache());
        }

        private double ceiling(double tlsCpuPerGib) {
            return directCpuPerGib / (directCpuPerGib + tlsCpuPerGib);
        }

        /** The DIRECT row's figure, as both tables print it. */
        public String directFigure() {
            return String.format(Locale.ROOT, "%.0f MiB/s = %s, %.2f× socket + file (%.0f MiB/s); socket %.0f MiB/s",
                direct, hasIperf3() ? String.format(Locale.ROOT, "%.2f× iperf3 (%.0f MiB/s)", directToIperf3(),
                iperf3) : "iperf3 not run (not on the PATH; apt-get install iperf3)", directToSocketFile(), socketFile,
                socket);
        }

        /** The TLS row's figure, as both tables print it. */
        public String tlsFigure() {
            return String.format(Locale.ROOT, "%.0f MiB/s = %.2f× DIRECT; TLS alone %.2f CPU s/GiB (%.2f with its "
                + "output out of cache) against DIRECT's %.2f: at most %.2f× DIRECT with both ends CPU-bound on this "
                + "machine (%.2f× with its output out of cache)", tls, tlsToDirect(), tlsAlone.inCache(),
                tlsAlone.outOfCache(), directCpuPerGib, tlsCeiling(), tlsCeilingOutOfCache());
        }

        static final String DIRECT_AIM = "≥ 0.8× iperf3 and ≥ 0.9× socket + file";

        static final String TLS_AIM = "≥ 0.7× DIRECT";
    }

    /**
     * Runs the benchmark: {@code rounds} rounds of {@code mib} MiB per path after at least {@code warmUpMib} MiB of
     * warm-up per path, staging in a temporary folder under {@code dir} (null: {@code /dev/shm} when it is a tmpfs,
     * else {@code java.io.tmpdir}), default chunks and transport. Prints the usual table to {@code out}.
     */
    public static Figures run(int mib, int rounds, long warmUpMib, Path dir, PrintStream out) throws Exception {
        return run(mib, rounds, warmUpMib, dir, FabricDataPathConfiguration.DFLT_CHUNK_BYTES, true, out);
    }

    private static Figures run(int mib, int rounds, long warmUpMib, Path dir, int chunkBytes, boolean nativeTransport,
        PrintStream out) throws Exception {
        Path parent = dir != null ? Files.createDirectories(dir) : defaultDir();
        Path tmp = Files.createTempDirectory(parent, "fabric-datapath-bench");
        try {
            return new DataPathBenchmark(mib, rounds, tmp, warmUpMib, chunkBytes, nativeTransport).run(out);
        }
        finally {
            deleteTree(tmp);
        }
    }

    /** {@code /dev/shm} when it is a tmpfs, else {@code java.io.tmpdir}. */
    static Path defaultDir() {
        Path shm = Path.of("/dev/shm");
        try {
            if (Files.isDirectory(shm) && Files.isWritable(shm) && "tmpfs".equals(Files.getFileStore(shm).type()))
                return shm;
        }
        catch (IOException ignored) {
            // Not usable: the temporary directory then.
        }
        return Path.of(System.getProperty("java.io.tmpdir"));
    }

    public static void main(String[] args) throws Exception {
        int mib = 512;
        int rounds = DFLT_ROUNDS;
        Path dir = null;
        int chunkKib = FabricDataPathConfiguration.DFLT_CHUNK_BYTES >> 10;
        long warmUpMib = WARM_UP_MIB;
        boolean nativeTransport = true;
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            if (args[i].equals("--nio")) {
                nativeTransport = false;
                continue;
            }
            if (args[i].equals("--mib") && value != null)
                mib = Integer.parseInt(value);
            else if (args[i].equals("--rounds") && value != null)
                rounds = Integer.parseInt(value);
            else if (args[i].equals("--dir") && value != null)
                dir = Path.of(value);
            else if (args[i].equals("--chunk-kib") && value != null)
                chunkKib = Integer.parseInt(value);
            else if (args[i].equals("--warm-up-mib") && value != null)
                warmUpMib = Long.parseLong(value);
            else
                throw new IllegalArgumentException("option " + args[i] + " (expected: --mib N, --rounds R, "
                    + "--warm-up-mib W, --dir D, --chunk-kib K, --nio)");
            i++;
        }
        if (mib < 1 || mib > 65536)
            throw new IllegalArgumentException("--mib: " + mib + " (expected: 1..65536)");
        if (rounds < 1 || rounds > 100)
            throw new IllegalArgumentException("--rounds: " + rounds + " (expected: 1..100)");
        if (warmUpMib < 0 || warmUpMib > 1 << 20)
            throw new IllegalArgumentException("--warm-up-mib: " + warmUpMib + " (expected: 0..1048576)");
        int minKib = FabricDataPathConfiguration.MIN_CHUNK_BYTES >> 10;
        int maxKib = FabricDataPathConfiguration.MAX_CHUNK_BYTES >> 10;
        if (chunkKib < minKib || chunkKib > maxKib)
            throw new IllegalArgumentException("--chunk-kib: " + chunkKib + " (expected: " + minKib + ".." + maxKib
                + ")");
        run(mib, rounds, warmUpMib, dir, chunkKib << 10, nativeTransport, System.out);
        System.exit(0);
    }

    private Figures run(PrintStream out) throws Exception {
        TlsMaterial serverTls = TlsMaterial.development(tmp.resolve("dev-ca"), "bench-server");
        TlsMaterial clientTls = TlsMaterial.development(tmp.resolve("dev-ca"), "bench-client");
        Path iperf3Exe = Iperf3.find();
        try (DataPathServer direct = new DataPathServer(config("bench-direct").build());
             DataPathClient plainClient = new DataPathClient(config("bench-client").build());
             DataPathServer directNewFile = new DataPathServer(config("bench-direct-new-file")
                 .spareFileTtl(Duration.ZERO).build());
             DataPathServer tls = new DataPathServer(config("bench-tls").tls(serverTls).build());
             DataPathClient tlsClient = new DataPathClient(config("bench-client").tls(clientTls).build());
             Iperf3 iperf3 = iperf3Exe == null ? null : Iperf3.start(iperf3Exe)) {
            direct.start();
            directNewFile.start();
            tls.start();
            List<String> names = new ArrayList<>();
            List<Round> paths = new ArrayList<>();
            if (iperf3 != null) {
                names.add(IPERF3);
                paths.add(() -> {
                    Iperf3.Round r = iperf3.round(iperf3Exe, bytes);
                    return new Sample(r.bytes() / r.seconds() / MIB, r.cpuSeconds(), r.bytes() / (double)(1L << 30));
                });
            }
            names.addAll(List.of(SOCKET, SOCKET_FILE, DIRECT, DIRECT_NEW_FILE, TLS));
            paths.add(timed(() -> socketCopy(false)));
            paths.add(timed(() -> socketCopy(true)));
            paths.add(timed(() -> upload(direct, plainClient, false)));
            paths.add(timed(() -> upload(directNewFile, plainClient, false)));
            paths.add(timed(() -> upload(tls, tlsClient, true)));
            Sample[][] samples = measure(names, paths);
            String fs = Files.getFileStore(tmp).type();
            TlsEngineCost.Cost tlsAlone = TlsEngineCost.measure(serverTls, clientTls, block, bytes);
            Sample[] directSamples = samples[names.indexOf(DIRECT)];
            Figures f = new Figures(iperf3 == null ? Double.NaN : median(mibs(samples[0])),
                median(mibs(samples[names.indexOf(SOCKET)])), median(mibs(samples[names.indexOf(SOCKET_FILE)])),
                median(mibs(directSamples)), median(mibs(samples[names.indexOf(TLS)])),
                tmp.getParent() + " (" + fs + ")", direct.transport(),
                median(Arrays.stream(directSamples).mapToDouble(Sample::cpuPerGib).toArray()), tlsAlone);
            table(out, names, samples, f, iperf3Exe == null);
            return f;
        }
    }

    /**
     * The servers check tokens as in production, with a key of this run's own (the orchestrator's part, signing, is
     * done by {@link #upload}); the staging capacity is the default, half the free space.
     */
    private DataPathConfiguration.Builder config(String name) {
        return DataPathConfiguration.builder().agentName(name).stagingDirectory(tmp.resolve("staging"))
            .maxTransferBytes(bytes).transferKey(key).hostsFabric(FABRIC::equals).chunkBytes(chunkBytes)
            .nativeTransport(nativeTransport);
    }

    /** One round of one path: MiB/s, and CPU seconds spent (whole JVM, or both iperf3 processes). */
    private record Sample(double mibs, double cpuSeconds, double gib) {
        double cpuPerGib() {
            return cpuSeconds / gib;
        }
    }

    private interface Round {
        Sample run() throws Exception;
    }

    private interface Timed {
        /** Moves the bytes once; returns the nanoseconds it took. */
        long run() throws Exception;
    }

    /** A path run in this JVM: its own clock, and the JVM's CPU time over the round. */
    private Round timed(Timed t) {
        return () -> {
            long cpu0 = processCpuNanos();
            long nanos = t.run();
            long cpu = processCpuNanos() - cpu0;
            return new Sample(bytes / (double)MIB / (nanos / 1e9), cpu / 1e9, bytes / (double)(1L << 30));
        };
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean)ManagementFactory.getOperatingSystemMXBean())
            .getProcessCpuTime();
    }

    /**
     * Warm-up rounds moving at least {@code warmUpMib} MiB (default {@value #WARM_UP_MIB}) through each path (one at
     * least), then the measured rounds, the paths taking turns within each round so that whatever else the machine
     * does falls on all of them alike.
     */
    private Sample[][] measure(List<String> names, List<Round> paths) throws Exception {
        long warmUps = Math.max(1, (warmUpMib * MIB + bytes - 1) / bytes);
        System.err.printf(Locale.ROOT, "%d warm-up round(s) per path%n", warmUps);
        for (long i = 0; i < warmUps; i++) {
            for (Round r : paths)
                r.run();
        }
        Sample[][] samples = new Sample[paths.size()][rounds];
        for (int i = 0; i < rounds; i++) {
            for (int p = 0; p < paths.size(); p++) {
                samples[p][i] = paths.get(p).run();
                System.err.printf(Locale.ROOT, "%s: round %d: %.0f MiB/s%n", names.get(p), i + 1,
                    samples[p][i].mibs());
            }
        }
        return samples;
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

    /**
     * Baselines: a blocking {@code SocketChannel} writes the bytes of the same in-memory stream the uploads read (read
     * into an array, then through one direct buffer: the copies {@link DataPathClient} makes too) to a sink that reads
     * them into a direct buffer and discards them, or writes them to a file.
     */
    private long socketCopy(boolean toFile) throws Exception {
        try (ServerSocketChannel listener = ServerSocketChannel.open()) {
            listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1);
            Thread sink = new Thread(() -> sink(listener, toFile), "socket-sink");
            sink.start();
            long start = System.nanoTime();
            try (SocketChannel s = SocketChannel.open(listener.getLocalAddress());
                 InputStream in = generator()) {
                byte[] array = new byte[BUFFER];
                for (int n; (n = in.readNBytes(array, 0, array.length)) > 0;) {
                    ByteBuffer b = sendBuffer.clear().put(array, 0, n).flip();
                    while (b.hasRemaining())
                        s.write(b);
                }
                ByteBuffer answer = ByteBuffer.allocate(1);
                if (s.read(answer) != 1 || answer.get(0) != 1)
                    throw new IOException("the sink did not confirm");
            }
            long nanos = System.nanoTime() - start;
            sink.join();
            return nanos;
        }
    }

    private void sink(ServerSocketChannel listener, boolean toFile) {
        Path file = tmp.resolve("sink-" + UUID.randomUUID());
        try (SocketChannel s = listener.accept();
             FileChannel fc = toFile ? FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)
                 : null) {
            ByteBuffer buf = ByteBuffer.allocateDirect(BUFFER);
            long got = 0;
            for (int n; got < bytes && (n = s.read(buf.clear())) > 0; got += n) {
                if (fc != null) {
                    buf.flip();
                    while (buf.hasRemaining())
                        fc.write(buf);
                }
            }
            s.write(ByteBuffer.wrap(new byte[] {(byte)(got == bytes ? 1 : 0)}));
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

    private void table(PrintStream out, List<String> names, Sample[][] samples, Figures f, boolean noIperf3) {
        out.println();
        if (noIperf3)
            out.println("iperf3: not on the PATH, so its row and the aim against it are left out (install: "
                + "apt-get install iperf3)");
        out.printf(Locale.ROOT, "Data path throughput, %d MiB per round over loopback, %d round(s) after %d MiB or "
            + "more of warm-up per path, the paths taking turns in each round; MiB/s. Staging and sink files in %s; "
            + "data path over %s, %d KiB chunks.%n%n", bytes / MIB, rounds, warmUpMib, f.staging(), f.transport(),
            chunkBytes >> 10);
        StringBuilder head = new StringBuilder("| Path |");
        StringBuilder rule = new StringBuilder("|---|");
        for (int i = 1; i <= rounds; i++) {
            head.append(" Round ").append(i).append(" |");
            rule.append("---:|");
        }
        out.println(head + " Median | Spread (min-max) | CPU s per GiB | / iperf3 | / socket + file | Aim |");
        out.println(rule + "---:|---|---:|---:|---:|---|");
        String[] labels = {"iperf3 -c 127.0.0.1, one stream", "socket (SocketChannel, direct buffers, read and "
            + "discard)", "socket + file (FileChannel write)", "DIRECT upload (server writes its staging file)",
            "DIRECT upload, a new staging file each time (spareFileTtlMs 0)",
            "TLS upload (TLS 1.3, development certificates)"};
        String[] aims = {"baseline", "(reference)", "fair baseline", ">= 0.8x iperf3, >= 0.9x socket + file",
            "(reference: what writing over the last file saves)",
            ">= 0.7x DIRECT (" + String.format(Locale.ROOT, "%.2f", f.tlsToDirect()) + ")"};
        List<String> all = List.of(IPERF3, SOCKET, SOCKET_FILE, DIRECT, DIRECT_NEW_FILE, TLS);
        for (int p = 0; p < names.size(); p++) {
            int k = all.indexOf(names.get(p));
            row(out, labels[k], samples[p], f, aims[k]);
        }
        out.println();
        out.println(verdict("DIRECT upload", f.directMet(), f.directFigure(), Figures.DIRECT_AIM));
        out.println(verdict("TLS upload", f.tlsMet(), f.tlsFigure(), Figures.TLS_AIM));
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

    private static String verdict(String what, boolean met, String figure, String aim) {
        return String.format(Locale.ROOT, "%s: %s; aim %s: %s", what, figure, aim, met ? "met" : "NOT MET");
    }

    private static void row(PrintStream out, String name, Sample[] samples, Figures f, String aim) {
        double[] mibs = mibs(samples);
        StringBuilder sb = new StringBuilder("| ").append(name).append(" |");
        for (double m : mibs)
            sb.append(String.format(Locale.ROOT, " %.0f |", m));
        double med = median(mibs);
        double[] cpuPerGib = Arrays.stream(samples).mapToDouble(Sample::cpuPerGib).toArray();
        sb.append(String.format(Locale.ROOT, " **%.0f** | %.0f-%.0f (%.0f%%) | %.2f | %s | %.2f | %s |", med,
            Arrays.stream(mibs).min().orElse(0), Arrays.stream(mibs).max().orElse(0),
            100 * (Arrays.stream(mibs).max().orElse(0) - Arrays.stream(mibs).min().orElse(0)) / med,
            median(cpuPerGib), f.hasIperf3() ? String.format(Locale.ROOT, "%.2f", med / f.iperf3()) : "-",
            med / f.socketFile(), aim));
        out.println(sb);
    }

    private static double[] mibs(Sample[] samples) {
        return Arrays.stream(samples).mapToDouble(Sample::mibs).toArray();
    }

    static double median(double[] values) {
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
