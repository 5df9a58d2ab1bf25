package io.fabricstitch.examples;

import io.fabricstitch.examples.api.DemoImage;
import io.fabricstitch.examples.api.FabricMapPrinter;
import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.ProbeResult;
import io.fabricstitch.agent.probe.ProbeUnavailableException;
import io.fabricstitch.agent.opencl.OpenClProbe;
import io.fabricstitch.agent.probe.CommandRunner;
import io.fabricstitch.ignite.FabricStitch;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricTaskContext;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import io.fabricstitch.model.FunctionImplementation;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;

/**
 * {@code bin/fabric device-check}: starts one server node from a configuration, shows the real device it finds (for
 * a GPU: the one fabric nvidia-smi and OpenCL both see, with its binding), runs {@code image.gaussian-blur} and
 * {@code matmul.f32} on it through {@link FabricCompute} and on the node's CPU fabric, and prints the time of each, the
 * speed against the CPU and whether the outputs agree. Exit 0 when every check passed, 1 with the reason otherwise.
 */
final class DeviceCheck {
    static final String[] OPTIONS = {"config", "type", "blur", "matmul", "runs"};
    private static final Duration TIMEOUT = Duration.ofMinutes(5);

    private final Path config;
    private final String type;
    private final int blurWidth;
    private final int blurHeight;
    private final int matmulSize;
    private final int runs;
    private final PrintStream out;
    private final List<String> failures = new ArrayList<>();

    private DeviceCheck(Path config, String type, int blurWidth, int blurHeight, int matmulSize, int runs,
        PrintStream out) {
        this.config = config;
        this.type = type;
        this.blurWidth = blurWidth;
        this.blurHeight = blurHeight;
        this.matmulSize = matmulSize;
        this.runs = runs;
        this.out = out;
    }

    /**
     * Checks the options.
     *
     * @throws IllegalArgumentException naming the first bad option and what it accepts
     */
    static DeviceCheck parse(Map<String, String> opts, Path home, PrintStream out) {
        String type = opts.getOrDefault("type", "GPU").trim().toUpperCase(Locale.ROOT);
        if (!type.equals("ANY") && java.util.Arrays.stream(FabricType.values()).noneMatch(t -> t.name().equals(type)))
            throw new IllegalArgumentException("--type: '" + opts.get("type") + "' (expected one of: GPU, FPGA, ASIC, "
                + "CPU, ANY)");
        Path cfg = FabricLauncher.existingFile(opts.getOrDefault("config",
            home.resolve("config/fabric-server.xml").toString()));
        String blur = opts.getOrDefault("blur", "3840x2160");
        String[] wh = blur.split("x");
        int w = wh.length == 2 ? number(wh[0], 1, 8000, "--blur", blur) : 0;
        int h = wh.length == 2 ? number(wh[1], 1, 8000, "--blur", blur) : 0;
        if (wh.length != 2)
            throw new IllegalArgumentException("--blur: '" + blur + "' (expected: WIDTHxHEIGHT, e.g. 3840x2160)");
        int n = number(opts.getOrDefault("matmul", "1024"), 1, 8192, "--matmul", null);
        int runs = number(opts.getOrDefault("runs", "3"), 1, 50, "--runs", null);
        return new DeviceCheck(cfg, type, w, h, n, runs, out);
    }

    private static int number(String text, int min, int max, String option, String whole) {
        try {
            int v = Integer.parseInt(text.trim());
            if (v >= min && v <= max)
                return v;
        }
        catch (NumberFormatException e) {
            // refused below
        }
        throw new IllegalArgumentException(option + ": '" + (whole != null ? whole : text) + "' (expected: "
            + (whole != null ? "each side " : "") + min + ".." + max + ")");
    }

    /** Runs the check; returns the exit code. */
    int run() throws InterruptedException {
        out.println("Device check: one node from " + config + ", real fabric of type " + type);
        printNvidiaSmi();
        printOpenCl();
        IgniteConfiguration cfg = Ignition.loadSpringBean(config.toString(), "ignite.cfg");
        cfg.setIgniteInstanceName("device-check").setConsistentId("device-check");
        try (Ignite node = Ignition.start(cfg)) {
            FabricStitch plugin = FabricStitch.of(node);
            if (plugin.agent() != null && !plugin.agent().awaitCalibration(Duration.ofMinutes(2)))
                failures.add("calibration still running after 2 minutes");
            FabricMapPrinter.printRows(mapRows(plugin.localFabrics()), out);
            FabricEntry device = chosen(plugin.localFabrics());
            FabricEntry cpu = plugin.localFabrics().stream().filter(f -> "cpu".equals(f.getDeviceKey())).findFirst()
                .orElse(null);
            if (device == null || cpu == null) {
                failures.add(device == null ? "no real " + type + " fabric that runs OpenCL kernels on this node"
                    : "no CPU fabric on this node");
                return verdict();
            }
            checkOneFabric(plugin.localFabrics(), device);
            printBinding(node, device);
            out.println();
            out.println("Runs through FabricCompute, each pinned to its fabric (median of " + runs
                + " after one warm-up):");
            List<String[]> rows = new ArrayList<>();
            rows.add(new String[] {"FUNCTION", "INPUT", "FABRIC", "RAN AS", "MS", "CPU FABRIC MS", "SPEED VS CPU",
                "OUTPUT"});
            rows.add(compare(node, device, cpu, "image.gaussian-blur", DemoImage.png(blurWidth, blurHeight),
                blurWidth + "x" + blurHeight + " PNG"));
            rows.add(compare(node, device, cpu, "matmul.f32", matmul(matmulSize), matmulSize + "^3 float32"));
            FabricMapPrinter.printRows(rows, out);
            FabricEntry now = plugin.localFabrics().stream().filter(f -> f.getFabricId().equals(device.getFabricId()))
                .findFirst().orElse(device);
            out.println("Speeds the agent measured at start (FABRIC.FABRIC_FUNCTION.SPEED_FACTOR): " + speeds(now));
            return verdict();
        }
    }

    private int verdict() {
        if (failures.isEmpty()) {
            out.println("RESULT: PASS");
            return 0;
        }
        out.println("RESULT: FAIL: " + String.join("; ", failures));
        return 1;
    }

    private void printNvidiaSmi() {
        try {
            CommandRunner.Result r = new CommandRunner("nvidia-smi", Duration.ofSeconds(10)).run(List.of("nvidia-smi",
                "-L"));
            out.println("nvidia-smi -L: " + (r.exitCode() == 0 ? r.stdout().strip().replace("\n", "; ")
                : "exit code " + r.exitCode() + ": " + r.firstLine()));
        }
        catch (ProbeUnavailableException e) {
            out.println("nvidia-smi: " + e.getMessage());
        }
    }

    private void printOpenCl() {
        try {
            ProbeResult r = OpenClProbe.ofHost().probe();
            for (DetectedFabric d : r.fabrics())
                out.println("OpenCL: " + d.handles().get(DeviceBinding.OPENCL_PLATFORM) + " / " + d.model() + " ("
                    + d.fabricType() + d.pciAddress().map(p -> ", PCI " + p).orElse("") + ", " + d.driver() + ')');
            r.warnings().forEach(w -> out.println("OpenCL: " + w));
        }
        catch (ProbeUnavailableException e) {
            out.println("OpenCL: " + e.getMessage());
        }
    }

    private static List<String[]> mapRows(List<FabricEntry> fabrics) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"TYPE", "MODEL", "DEVICE_KEY", "PCI_ADDRESS", "DRIVER", "RUNTIME", "RESOURCES",
            "FUNCTIONS"});
        for (FabricEntry f : fabrics)
            rows.add(new String[] {f.getFabricType().name(), f.getModel(), f.getDeviceKey(), f.getPciAddress(),
                f.getDriver(), f.getRuntime(), f.getResourceCount() + " " + f.getResourceUnit(),
                String.join(",", f.getSupportedFunctions())});
        return rows;
    }

    /** The real fabric of the asked type whose functions run as OpenCL kernels. */
    private FabricEntry chosen(List<FabricEntry> fabrics) {
        return fabrics.stream().filter(f -> type.equals("ANY") || f.getFabricType().name().equals(type))
            .filter(f -> !"cpu".equals(f.getDeviceKey()) && !f.getFeatures().contains("declared"))
            .filter(f -> f.getFunctions().values().stream().anyMatch(i -> i.runtime() == FabricRuntime.OPENCL))
            .findFirst().orElse(null);
    }

    /** One PCI device, one fabric: no other row of the node names its PCI address. */
    private void checkOneFabric(List<FabricEntry> fabrics, FabricEntry device) {
        out.println();
        if (device.getPciAddress().isEmpty()) {
            out.println("Checked fabric: " + device.getFabricType() + ' ' + device.getModel() + " (no PCI address: an "
                + "OpenCL device with no bus of its own)");
            return;
        }
        long rows = fabrics.stream().filter(f -> f.getPciAddress().equals(device.getPciAddress())).count();
        out.println("Checked fabric: " + device.getFabricType() + ' ' + device.getModel() + ", PCI "
            + device.getPciAddress() + ": " + rows + " fabric(s) for it" + (rows == 1 ? " (nvidia-smi's and OpenCL's "
            + "sightings merged)" : ""));
        if (rows != 1)
            failures.add(rows + " fabrics for PCI " + device.getPciAddress() + " (expected: one)");
    }

    private void printBinding(Ignite node, FabricEntry device) {
        Map<String, String> env = FabricCompute.of(node).call(pinned("image.gaussian-blur", device, null),
            () -> new java.util.TreeMap<>(FabricTaskContext.current().device().environment()));
        out.println("Its binding, as a closure placed on it sees it (FabricTaskContext.device().environment()):");
        env.forEach((k, v) -> out.println("  " + k + '=' + v));
        if (device.getFabricType() == FabricType.GPU && device.getDeviceKey().startsWith("nvidia:")
            && !env.containsKey("CUDA_VISIBLE_DEVICES"))
            failures.add("no CUDA_VISIBLE_DEVICES in the binding of an NVIDIA GPU");
    }

    private String[] compare(Ignite node, FabricEntry device, FabricEntry cpu, String fn, byte[] input, String what) {
        FabricCompute fc = FabricCompute.of(node);
        Timed onDevice = timed(fc, pinned(fn, device, input));
        Timed onCpu = timed(fc, pinned(fn, cpu, input));
        String check = fn.equals("matmul.f32") ? matmulCheck(input, onDevice.output, onCpu.output)
            : Arrays.equals(onDevice.output, onCpu.output) ? "byte-identical" : "DIFFERENT";
        if (check.startsWith("DIFFERENT") || check.startsWith("OUT"))
            failures.add(fn + " output: " + check);
        if (onDevice.ranAs.runtime() != FabricRuntime.OPENCL)
            failures.add(fn + " ran as " + onDevice.ranAs.runtime() + " (expected: OPENCL)");
        return new String[] {fn, what, device.getFabricType() + " " + device.getModel(), onDevice.ranAs.runtime()
            .name(), ms(onDevice.medianNanos), ms(onCpu.medianNanos), String.format(Locale.ROOT, "%.2fx",
            (double)onCpu.medianNanos / onDevice.medianNanos), check};
    }

    private static String ms(long nanos) {
        return String.format(Locale.ROOT, "%.1f", nanos / 1e6);
    }

    /** A result with the median time of its runs. */
    private static final class Timed {
        final byte[] output;
        final long medianNanos;
        final FunctionImplementation ranAs;

        Timed(byte[] output, long medianNanos, FunctionImplementation ranAs) {
            this.output = output;
            this.medianNanos = medianNanos;
            this.ranAs = ranAs;
        }
    }

    private Timed timed(FabricCompute fc, TaskRequest req) {
        TaskResult r = fc.execute(req);
        long[] t = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            r = fc.execute(req);
            t[i] = System.nanoTime() - start;
        }
        Arrays.sort(t);
        return new Timed(r.output(), t[runs / 2], r.ranAs());
    }

    private static TaskRequest pinned(String fn, FabricEntry f, byte[] input) {
        TaskRequest.Builder b = TaskRequest.builder(fn).require(f.getFabricType(), 1).fabric(f.getFabricId())
            .timeout(TIMEOUT);
        if (input != null)
            b.input(input);
        return b.build();
    }

    /** Two seeded n-by-n matrices. */
    static byte[] matmul(int n) {
        ByteBuffer b = ByteBuffer.allocate(12 + 8 * n * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(n).putInt(n);
        Random rnd = new Random(3);
        for (int i = 0; i < 2 * n * n; i++)
            b.putFloat(rnd.nextFloat() * 2 - 1);
        return b.array();
    }

    /**
     * Whether 4096 sampled elements of C are within {@code k * 2^-23 * sum |a*b|} of the CPU's (the tolerance
     * docs/functions.md states), with the largest difference seen.
     */
    static String matmulCheck(byte[] input, byte[] device, byte[] cpu) {
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int m = in.getInt(0);
        int k = in.getInt(4);
        int n = in.getInt(8);
        ByteBuffer d = ByteBuffer.wrap(device).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer c = ByteBuffer.wrap(cpu).order(ByteOrder.LITTLE_ENDIAN);
        Random rnd = new Random(1);
        double worst = 0;
        int identical = 0;
        int samples = 4096;
        for (int s = 0; s < samples; s++) {
            int i = rnd.nextInt(m);
            int j = rnd.nextInt(n);
            float a = d.getFloat(8 + 4 * (i * n + j));
            float b = c.getFloat(8 + 4 * (i * n + j));
            double bound = 0;
            for (int p = 0; p < k; p++)
                bound += Math.abs((double)in.getFloat(12 + 4 * (i * k + p)) * in.getFloat(12 + 4 * (m * k + p * n + j)));
            bound = k * Math.ulp(1.0f) * bound + Float.MIN_NORMAL;
            if (Math.abs(a - b) > bound)
                return String.format(Locale.ROOT, "OUT of tolerance at C[%d][%d]: %s vs %s", i, j, a, b);
            worst = Math.max(worst, Math.abs(a - b) / bound);
            if (Float.floatToIntBits(a) == Float.floatToIntBits(b))
                identical++;
        }
        return String.format(Locale.ROOT, "within tolerance (%d of %d sampled bit-identical, worst %.3f of the bound)",
            identical, samples, worst);
    }

    private static String speeds(FabricEntry f) {
        StringBuilder sb = new StringBuilder();
        f.getFunctions().forEach((name, impl) -> sb.append(sb.length() == 0 ? "" : ", ").append(name).append(' ')
            .append(impl.speedFactor()).append(' ').append(impl.speedSource()));
        return sb.append("; fabric SPEED_FACTOR ").append(f.getSpeedFactor()).toString();
    }
}
