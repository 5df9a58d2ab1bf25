package io.fabricstitch.agent.probe;

import io.fabricstitch.model.FabricType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

/**
 * The host CPU, the fabric every node offers. Never unavailable.
 * <p>
 * Reads {@code <procRoot>/cpuinfo} for the model (x86 {@code model name}; on ARM {@code Hardware}, a known Arm core
 * from {@code CPU implementer}/{@code CPU part}, the board's {@code Model}, or the raw part; else
 * {@code <os.arch> CPU}) and the first {@code flags}/{@code Features} line's SIMD flags worth scheduling on
 * ({@code simd-avx2}, {@code simd-sve}, ...). A missing or unreadable cpuinfo still yields the CPU, with a warning.
 * Resources: {@code cores}, as many as the JVM may use.
 */
public final class CpuProbe implements FabricProbe {
    /** This probe's name. */
    public static final String NAME = "cpu";

    /** The flags kept as features, each as {@code simd-<flag>}. */
    public static final Set<String> SIMD_FLAGS = Set.of("sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw",
        "avx512vl", "avx512_vnni", "avx512_bf16", "amx_tile", "amx_bf16", "amx_int8", "asimd", "sve", "sve2");

    /** Arm Ltd (implementer 0x41) core names by CPU part, for hosts whose cpuinfo names no model. */
    private static final Map<String, String> ARM_PARTS = Map.of("0xd03", "Cortex-A53", "0xd08", "Cortex-A72",
        "0xd0b", "Cortex-A76", "0xd0c", "Neoverse-N1", "0xd40", "Neoverse-V1", "0xd49", "Neoverse-N2",
        "0xd4f", "Neoverse-V2", "0xd8e", "Neoverse-N3", "0xd84", "Neoverse-V3");

    private final Path procRoot;
    private final int availableProcessors;

    /**
     * @param procRoot where procfs is mounted, normally {@code /proc}
     * @param availableProcessors the cores this node may use; at least 1
     */
    public CpuProbe(Path procRoot, int availableProcessors) {
        this.procRoot = Objects.requireNonNull(procRoot, "procRoot");
        if (availableProcessors < 1)
            throw new IllegalArgumentException("availableProcessors: " + availableProcessors + " (expected: >= 1)");
        this.availableProcessors = availableProcessors;
    }

    /** This host: {@code /proc} and {@link Runtime#availableProcessors()}. */
    public static CpuProbe ofHost() {
        return new CpuProbe(Path.of("/proc"), Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int precedence() {
        return 0;
    }

    @Override
    public ProbeResult probe() {
        List<String> warnings = new ArrayList<>();
        CpuInfo info = readCpuInfo(procRoot.resolve("cpuinfo"), warnings);
        DetectedFabric cpu = DetectedFabric.builder()
            .deviceKey("cpu")
            .source(NAME)
            .fabricType(FabricType.CPU)
            .model(info.model())
            .resourceUnit("cores")
            .resourceCount(availableProcessors)
            .resourceFree(availableProcessors)
            .features(info.simd)
            .build();
        return ProbeResult.of(List.of(cpu), warnings);
    }

    private static CpuInfo readCpuInfo(Path file, List<String> warnings) {
        CpuInfo info = new CpuInfo();
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null && !info.complete(); line = r.readLine())
                info.accept(line);
        }
        catch (IOException e) {
            warnings.add(file + ": " + ProbeText.describe(e) + " (expected: a readable cpuinfo); model "
                + ProbeText.quote(info.model()) + ", no SIMD features");
        }
        return info;
    }

    /** The first value of each cpuinfo key this probe uses. */
    private static final class CpuInfo {
        String modelName;
        String hardware;
        String implementer;
        String cpuPart;
        String boardModel;
        final Set<String> simd = new TreeSet<>();
        boolean flagsSeen;

        void accept(String line) {
            int colon = line.indexOf(':');
            if (colon < 0)
                return;
            String key = line.substring(0, colon).strip().toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (key) {
                case "model name": modelName = first(modelName, value); break;
                case "hardware": hardware = first(hardware, value); break;
                case "cpu implementer": implementer = first(implementer, value); break;
                case "cpu part": cpuPart = first(cpuPart, value); break;
                case "model": boardModel = first(boardModel, isNumber(value) ? null : value); break;
                case "flags":
                case "features": acceptFlags(value); break;
                default: break;
            }
        }

        private void acceptFlags(String value) {
            if (flagsSeen)
                return;
            flagsSeen = true;
            for (String flag : value.split("\\s+")) {
                if (SIMD_FLAGS.contains(flag))
                    simd.add("simd-" + flag);
            }
        }

        /** True once everything that could be used was seen (x86: model name and flags). */
        boolean complete() {
            return modelName != null && flagsSeen;
        }

        /** model name, Hardware, a known Arm core, the board's Model, the raw CPU part, else {@code <os.arch> CPU}. */
        String model() {
            for (String m : new String[] {modelName, hardware, armCore(), boardModel, rawPart()}) {
                String model = ProbeText.model(m);
                if (model != null)
                    return model;
            }
            return System.getProperty("os.arch", "unknown") + " CPU";
        }

        private String armCore() {
            boolean arm = "0x41".equalsIgnoreCase(implementer) && cpuPart != null;
            String core = arm ? ARM_PARTS.get(cpuPart.toLowerCase(Locale.ROOT)) : null;
            return core == null ? null : "Arm " + core;
        }

        private String rawPart() {
            return cpuPart == null ? null : "CPU implementer " + (implementer == null ? "unknown" : implementer)
                + " part " + cpuPart;
        }

        private static String first(String current, String value) {
            return current != null || value == null || value.isEmpty() ? current : value;
        }

        private static boolean isNumber(String value) {
            return !value.isEmpty() && value.chars().allMatch(Character::isDigit);
        }
    }
}
