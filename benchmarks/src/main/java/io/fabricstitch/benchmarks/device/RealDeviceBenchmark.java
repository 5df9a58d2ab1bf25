package io.fabricstitch.benchmarks.device;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.benchmarks.Flags;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.builtin.GaussianBlurFunction;
import io.fabricstitch.function.builtin.MatmulF32Function;
import io.fabricstitch.model.DeviceBinding;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;

/**
 * Real device execution measured on this host, side by side in one run: the built-in OpenCL kernels against the Java
 * implementations ({@code image.gaussian-blur}, {@code matmul.f32}); the cost of building the kernels cold, from the
 * driver's compiler cache, and from the agent's per-device cache; and a placement run in which one fabric is real.
 * Prints a Markdown table (and writes it to {@code --markdown FILE}). Run from the repository root:
 * {@code mvn -q -DskipTests package && java @examples/target/fabric.jvm-options
 * -Djava.util.logging.config.file=config/java.util.logging.properties -cp benchmarks/target/benchmarks.jar
 * io.fabricstitch.benchmarks.device.RealDeviceBenchmark [--rounds N] [--tasks N] [--only kernels,builds,placement]
 * [--markdown FILE]}.
 */
public final class RealDeviceBenchmark {
    private static final Set<String> PARTS = Set.of("kernels", "builds", "placement");

    private RealDeviceBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = options(args);
        int rounds = Flags.intValue("--rounds", opts.get("rounds"), 9, 1, 1000);
        int tasks = Flags.intValue("--tasks", opts.get("tasks"), 32, 1, 10_000);
        List<String> only = List.of(opts.getOrDefault("only", "kernels,builds,placement").split(","));
        for (String p : only) {
            if (!PARTS.contains(p.trim()))
                throw new IllegalArgumentException("--only: '" + p + "' (expected: kernels, builds, placement, "
                    + "comma-separated)");
        }
        PrintStream out = System.out;
        PrintStream progress = System.err;
        DetectedFabric device = KernelRounds.device(1);
        StringBuilder md = new StringBuilder();
        md.append("Machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, ")
            .append(System.getProperty("java.vm.name")).append(' ').append(System.getProperty("java.version"))
            .append("; OpenCL device: ").append(device.handles().get(DeviceBinding.OPENCL_PLATFORM)).append(" / ")
            .append(device.model()).append(" (").append(device.driver()).append(", ")
            .append(device.features().stream().filter(f -> f.startsWith("compute-units-")).findFirst().orElse(""))
            .append(")\n\n");
        if (only.contains("kernels"))
            kernels(rounds, md, progress);
        if (only.contains("builds"))
            builds(md, progress);
        if (only.contains("placement"))
            placement(tasks, md, progress);
        out.print(md);
        if (opts.containsKey("markdown"))
            Files.writeString(Path.of(opts.get("markdown")), md.toString(), StandardCharsets.UTF_8);
    }

    private static void kernels(int rounds, StringBuilder md, PrintStream progress) throws Exception {
        md.append("Each cell: median ms (fastest..slowest) of the calls, the three ways interleaved round by round. The "
            + "blur's times include decoding and encoding the PNG on the host, which every way does alike (the last "
            + "column), so the kernels' own share of the time is smaller than the ratio suggests.\n\n");
        md.append("| function and input | ").append(String.join(" ms | ", KernelRounds.WAYS))
            .append(" ms | Java / OpenCL 1 CU | Java / OpenCL whole | output | PNG decode + encode ms |\n")
            .append("|---|---:|---:|---:|---:|---:|---|---:|\n");
        GaussianBlurFunction blur = new GaussianBlurFunction();
        MatmulF32Function matmul = new MatmulF32Function();
        row(md, "image.gaussian-blur, 1600x1200 PNG", blur, png(1600, 1200), rounds, progress);
        row(md, "image.gaussian-blur, 3840x2160 PNG", blur, png(3840, 2160), Math.max(1, rounds / 3), progress);
        row(md, "matmul.f32, 256^3", matmul, matmul(256), rounds, progress);
        row(md, "matmul.f32, 768^3", matmul, matmul(768), Math.max(1, rounds / 3), progress);
        md.append('\n');
    }

    private static void row(StringBuilder md, String what, AccelerationFunction java, byte[] input, int rounds,
        PrintStream progress) throws Exception {
        progress.println("timing " + what + " (" + rounds + " rounds)");
        long[][] t = KernelRounds.time(java, input, rounds);
        List<byte[]> outs = KernelRounds.outputs(java, input);
        String check = Arrays.equals(outs.get(0), outs.get(1)) ? "identical bytes" : "differs (see tolerance)";
        md.append("| ").append(what);
        for (long[] way : t)
            md.append(String.format(Locale.ROOT, " | %.1f (%s)", KernelRounds.medianMs(way), KernelRounds.spreadMs(way)));
        md.append(String.format(Locale.ROOT, " | %.2fx | %.2fx | %s | %s |%n", KernelRounds.medianMs(t[0])
            / KernelRounds.medianMs(t[1]), KernelRounds.medianMs(t[0]) / KernelRounds.medianMs(t[2]), check,
            java instanceof GaussianBlurFunction ? String.format(Locale.ROOT, "%.1f", codecMs(input, rounds)) : "-"));
    }

    /** Median ms of decoding {@code png} and encoding the image again, as every way of the blur does on the host. */
    private static double codecMs(byte[] png, int rounds) throws Exception {
        long[] t = new long[Math.max(1, rounds)];
        GaussianBlurFunction.encode(GaussianBlurFunction.decode(png));
        for (int i = 0; i < t.length; i++) {
            long start = System.nanoTime();
            GaussianBlurFunction.encode(GaussianBlurFunction.decode(png));
            t[i] = System.nanoTime() - start;
        }
        return KernelRounds.medianMs(t);
    }

    private static void builds(StringBuilder md, PrintStream progress) throws Exception {
        Path cache = Files.createTempDirectory("fabric-pocl-cache");
        progress.println("building the kernels in two fresh JVMs sharing the empty compiler cache " + cache);
        List<String> cold;
        List<String> warm;
        try {
            cold = child(cache);
            warm = child(cache);
        }
        finally {
            deleteTree(cache);
        }
        md.append("| program | cold build ms (empty driver cache) | build ms (driver's compiler cache) | "
            + "builds per later call (agent's per-device cache) |\n|---|---:|---:|---:|\n");
        Map<String, String[]> rows = new LinkedHashMap<>();
        for (String l : cold) {
            if (l.startsWith("build "))
                rows.computeIfAbsent(l.split(" ")[1], k -> new String[3])[0] = l.split(" ")[2];
        }
        for (String l : warm) {
            if (l.startsWith("build "))
                rows.computeIfAbsent(l.split(" ")[1], k -> new String[3])[1] = l.split(" ")[2];
        }
        String reuse = warm.stream().filter(l -> l.startsWith("reuse ")).map(l -> l.substring(6)).findFirst()
            .orElse("?");
        rows.forEach((program, v) -> md.append(String.format(Locale.ROOT, "| %s | %.1f | %.1f | %s |%n", program,
            Double.parseDouble(v[0]), Double.parseDouble(v[1]), reuse)));
        md.append('\n');
    }

    private static void deleteTree(Path dir) throws IOException {
        try (java.util.stream.Stream<Path> files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    private static List<String> child(Path cache) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp", System.getProperty("java.class.path"), BuildTimesMain.class.getName()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("POCL_CACHE_DIR", cache.toString());
        Process p = pb.start();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        p.getInputStream().transferTo(buf);
        if (!p.waitFor(5, TimeUnit.MINUTES) || p.exitValue() != 0)
            throw new IllegalStateException("build timing JVM failed: " + buf.toString(StandardCharsets.UTF_8));
        return buf.toString(StandardCharsets.UTF_8).lines().toList();
    }

    private static void placement(int tasks, StringBuilder md, PrintStream progress) throws Exception {
        byte[] png = png(640, 480);
        RealFabricPlacement.Outcome with = RealFabricPlacement.run(true, tasks, png, progress);
        RealFabricPlacement.Outcome without = RealFabricPlacement.run(false, tasks, png, progress);
        md.append("| ").append(tasks).append(" blurs of a 640x480 PNG, CPU type, 1 core each, sent at once | makespan "
            + "ms | tasks by fabric (as they ran) |\n|---|---:|---|\n");
        md.append(String.format(Locale.ROOT, "| with the OpenCL fabric (its measured speed: %s) | %.0f | %s |%n",
            with.openClSpeeds, with.makespanNanos / 1e6, with.byFabric));
        md.append(String.format(Locale.ROOT, "| without it (agent.openClEnabled=false) | %.0f | %s |%n",
            without.makespanNanos / 1e6, without.byFabric));
        md.append(String.format(Locale.ROOT, "| with / without | %.2fx | |%n%n", (double)with.makespanNanos
            / without.makespanNanos));
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length)
                throw new IllegalArgumentException("argument '" + args[i] + "' (expected: --rounds N, --tasks N, "
                    + "--only PARTS or --markdown FILE)");
            opts.put(args[i].substring(2), args[i + 1]);
        }
        return opts;
    }

    static byte[] png(int w, int h) throws IOException {
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h,
            java.awt.image.BufferedImage.TYPE_INT_ARGB);
        Random rnd = new Random(w * 31L + h);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++)
                img.setRGB(x, y, 0xFF000000 | (x * 255 / w) << 16 | (y * 255 / h) << 8 | rnd.nextInt(64));
        }
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        ImageIO.write(img, "png", b);
        return b.toByteArray();
    }

    static byte[] matmul(int n) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 * n * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(n).putInt(n);
        Random rnd = new Random(n);
        for (int i = 0; i < 2 * n * n; i++)
            b.putFloat(rnd.nextFloat() * 2 - 1);
        return b.array();
    }
}
