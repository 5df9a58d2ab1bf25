package io.fabricstitch.agent.probe;

import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Finds NVIDIA GPUs by running {@code nvidia-smi --query-gpu=... --format=csv,noheader,nounits}.
 * <p>
 * Needs the {@code nvidia-smi} executable (on the PATH for {@link #ofHost()}) and a loaded driver; a missing tool, a
 * non-zero exit (no driver, no devices) or no answer within the timeout makes the probe unavailable. Each CSV line
 * is one GPU: key {@code nvidia:<uuid>}, its PCI bus id, model = name, resources in MiB of memory. A GPU whose
 * memory fields read {@code [N/A]} (unified-memory parts) is kept, counted as 1 device. Readings
 * {@code utilization.pct}, {@code temperature.c} and {@code memory.errors} (uncorrected volatile ECC errors) are left
 * out when not numeric; the agent's health check compares them with its thresholds. Lines with the wrong field count,
 * a header, non-numeric memory or index, a bad bus id or a uuid not starting with {@code GPU-}/{@code MIG-} are
 * skipped with a warning. Ranks above the PCI scan.
 */
public final class NvidiaSmiProbe implements FabricProbe {
    /** This probe's name. */
    public static final String NAME = "nvidia-smi";

    /** The arguments appended to the command. */
    public static final List<String> QUERY_ARGS = List.of(
        "--query-gpu=index,uuid,name,pci.bus_id,memory.total,memory.free,utilization.gpu,temperature.gpu,"
            + "driver_version,ecc.errors.uncorrected.volatile.total",
        "--format=csv,noheader,nounits");

    private static final int FIELDS = 10;

    /** Reading: uncorrected ECC errors since the driver loaded ({@code [N/A]} on GPUs without ECC: left out). */
    public static final String MEMORY_ERRORS = "memory.errors";
    private static final Pattern NUMBER = Pattern.compile("[0-9]{1,9}(\\.[0-9]{1,9})?");

    private final List<String> command;
    private final CommandRunner runner;

    /**
     * @param command the program and any leading arguments; {@link #QUERY_ARGS} are appended
     * @param timeout how long one run may take
     */
    public NvidiaSmiProbe(List<String> command, Duration timeout) {
        this.command = List.copyOf(command);
        if (this.command.isEmpty())
            throw new IllegalArgumentException("command: [] (expected: the nvidia-smi program and its arguments)");
        this.runner = new CommandRunner(NAME, timeout);
    }

    /** This host: {@code nvidia-smi} from the PATH, 5 s timeout. */
    public static NvidiaSmiProbe ofHost() {
        return new NvidiaSmiProbe(List.of("nvidia-smi"), Duration.ofSeconds(5));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int precedence() {
        return 20;
    }

    @Override
    public ProbeResult probe() throws ProbeUnavailableException {
        List<String> full = new ArrayList<>(command);
        full.addAll(QUERY_ARGS);
        CommandRunner.Result r = runner.run(full);
        if (r.exitCode() != 0)
            throw new ProbeUnavailableException(NAME + ": exit code " + r.exitCode() + ", "
                + ProbeText.quote(r.firstLine(), 400) + " (expected: exit code 0)");
        List<String> warnings = new ArrayList<>();
        if (r.truncated())
            warnings.add(NAME + ": output over " + CommandRunner.MAX_OUTPUT_BYTES
                + " bytes (expected: less); the rest skipped");
        return ProbeResult.of(parse(r.stdout(), warnings), warnings);
    }

    /** Parses the CSV output, adding one warning per skipped line. */
    static List<DetectedFabric> parse(String output, List<String> warnings) {
        List<DetectedFabric> gpus = new ArrayList<>();
        String[] lines = output.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].isBlank())
                continue;
            try {
                gpus.add(parseLine(lines[i].strip(), i + 1));
            }
            catch (SkippedInputException e) {
                warnings.add(e.getMessage());
            }
        }
        return gpus;
    }

    private static DetectedFabric parseLine(String line, int n) throws SkippedInputException {
        String[] f = line.split(",", -1);
        for (int i = 0; i < f.length; i++)
            f[i] = f[i].strip();
        if (f[0].equalsIgnoreCase("index"))
            throw skip(n, "header", line, "CSV without header");
        if (f.length != FIELDS)
            throw skip(n, f.length + " fields", line, FIELDS + " fields");
        try {
            return gpu(f, n);
        }
        catch (IllegalArgumentException e) {
            throw skip(n, e.getMessage(), line, "a valid GPU");
        }
    }

    private static DetectedFabric gpu(String[] f, int n) throws SkippedInputException {
        long index = ProbeText.parseDecimal(f[0]);
        if (index < 0)
            throw skip(n, "index " + ProbeText.quote(f[0]), null, "a number");
        String uuid = f[1];
        if (!(uuid.startsWith("GPU-") || uuid.startsWith("MIG-")) || uuid.length() < 5)
            throw skip(n, "uuid " + ProbeText.quote(uuid), null, "GPU-... or MIG-...");
        String pci = busId(f[3], n);
        long[] memory = memory(f[4], f[5], n);
        String model = ProbeText.model(f[2]);
        return DetectedFabric.builder()
            .deviceKey("nvidia:" + uuid)
            .pciAddress(pci)
            .source(NAME)
            .fabricType(FabricType.GPU)
            .model(model == null || isUnavailable(model) ? "NVIDIA GPU" : model)
            .resourceUnit(memory == null ? "devices" : "MiB")
            .resourceCount(memory == null ? 1 : memory[0])
            .resourceFree(memory == null ? 1 : memory[1])
            .features(features(index, f[8]))
            .readings(readings(f[6], f[7], f[9]))
            .vendor("NVIDIA")
            .driver(f[8].isEmpty() || isUnavailable(f[8]) ? "" : "NVIDIA " + f[8])
            .handles(Map.of(DeviceBinding.NVIDIA_INDEX, Long.toString(index), DeviceBinding.GPU_UUID, uuid))
            .build();
    }

    private static String busId(String text, int n) throws SkippedInputException {
        try {
            return DetectedFabric.normalizePciAddress(text);
        }
        catch (IllegalArgumentException e) {
            throw skip(n, "pci.bus_id " + ProbeText.quote(text), null, "domain:bus:device.function");
        }
    }

    /** {total, free} MiB, or null when nvidia-smi does not report memory ({@code [N/A]}, 0). */
    private static long[] memory(String totalText, String freeText, int n) throws SkippedInputException {
        if (isUnavailable(totalText))
            return null;
        long total = ProbeText.parseDecimal(totalText);
        if (total < 0)
            throw skip(n, "memory.total " + ProbeText.quote(totalText), null, "MiB as a number, or [N/A]");
        if (total == 0)
            return null;
        if (isUnavailable(freeText))
            return new long[] {total, total};
        long free = ProbeText.parseDecimal(freeText);
        if (free < 0)
            throw skip(n, "memory.free " + ProbeText.quote(freeText), null, "MiB as a number, or [N/A]");
        return new long[] {total, Math.min(free, total)};
    }

    private static List<String> features(long index, String driver) {
        List<String> features = new ArrayList<>(List.of("nvidia-index-" + index));
        if (!driver.isEmpty() && !isUnavailable(driver))
            features.add(ProbeText.feature("driver-", driver));
        return features;
    }

    private static Map<String, Double> readings(String utilization, String temperature, String eccErrors) {
        Map<String, Double> readings = new HashMap<>();
        if (NUMBER.matcher(eccErrors).matches())
            readings.put(MEMORY_ERRORS, Double.parseDouble(eccErrors));
        if (NUMBER.matcher(utilization).matches())
            readings.put("utilization.pct", Double.parseDouble(utilization));
        if (NUMBER.matcher(temperature).matches())
            readings.put("temperature.c", Double.parseDouble(temperature));
        return readings;
    }

    /** nvidia-smi's placeholders: {@code [N/A]}, {@code [Not Supported]}, {@code [Unknown Error]}, {@code N/A}. */
    private static boolean isUnavailable(String text) {
        return text.startsWith("[") && text.endsWith("]") || text.equalsIgnoreCase("N/A");
    }

    private static SkippedInputException skip(int n, String found, String line, String expected) {
        return new SkippedInputException(NAME + " line " + n + ": " + found + " (expected: " + expected + ")"
            + (line == null ? "" : " in " + ProbeText.quote(line)) + "; line skipped");
    }
}
