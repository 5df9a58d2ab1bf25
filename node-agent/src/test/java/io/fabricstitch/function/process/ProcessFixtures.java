package io.fabricstitch.function.process;

import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/** An NVIDIA GPU fabric, its call context, a polluted node environment, and /proc checks for process tests. */
final class ProcessFixtures {
    static final UUID FABRIC_ID = UUID.fromString("6b1d5c2e-8f0a-3c4d-9e1f-2a3b4c5d6e7f");

    private ProcessFixtures() {
    }

    static FabricEntry gpu() {
        return FabricEntry.builder().fabricId(FABRIC_ID).nodeId(UUID.randomUUID()).agentAddress("127.0.0.1:0")
            .site("default").fabricType(FabricType.GPU).model("NVIDIA A100").resourceUnit("MiB").resourceCount(81920)
            .resourceFree(81920).deviceKey("nvidia:GPU-1111").pciAddress("0000:3b:00.0").updatedAt(Instant.EPOCH)
            .build();
    }

    /** A call on {@link #gpu()} bound to GPU-1111 (nvidia-smi index 1), cancelled when {@code cancelled} says so. */
    static FunctionContext context(BooleanSupplier cancelled) {
        FabricEntry gpu = gpu();
        return FunctionContext.of(gpu, DeviceBinding.of(gpu, "NVIDIA", Map.of(DeviceBinding.GPU_UUID, "GPU-1111",
            DeviceBinding.NVIDIA_INDEX, "1"), false, 1024), false, cancelled);
    }

    static FunctionContext context() {
        return context(() -> false);
    }

    /** The test JVM's environment plus variables that would select other devices if a program inherited them. */
    static Map<String, String> pollutedEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.put("CUDA_VISIBLE_DEVICES", "0,1,2,3");
        env.put("ROCR_VISIBLE_DEVICES", "0");
        env.put("FABRIC_FOO", "from-the-node");
        return env;
    }

    /** A GPU process function named {@code name} running {@code command}. */
    static ProcessFunction declared(String name, String... command) {
        return new ProcessFunction().setName(name).setFabricTypes(List.of(FabricType.GPU))
            .setCommand(List.of(command));
    }

    /** The pids a script wrote to {@code file}, one a line. */
    static List<String> pids(Path file) {
        try {
            return Files.exists(file) ? Files.readAllLines(file).stream().map(String::strip)
                .filter(s -> !s.isEmpty()).toList() : List.of();
        }
        catch (IOException e) {
            return List.of();
        }
    }

    /** Whether any of {@code pids} still has a /proc entry: running, or a zombie nobody reaped. */
    static boolean anyInProc(List<String> pids) {
        return pids.stream().anyMatch(p -> Files.exists(Path.of("/proc", p)));
    }

    /** {@code pid: state} from /proc, for failure messages. */
    static String procStates(List<String> pids) {
        StringBuilder out = new StringBuilder();
        for (String p : pids) {
            try {
                String stat = Files.readString(Path.of("/proc", p, "stat"));
                out.append(p).append(": ").append(stat, 0, Math.min(stat.length(), 60)).append("; ");
            }
            catch (IOException e) {
                out.append(p).append(": gone; ");
            }
        }
        return out.toString();
    }

    /** The entries directly under {@code dir}; none when it does not exist. */
    static List<Path> entries(Path dir) throws IOException {
        if (!Files.exists(dir))
            return List.of();
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }
}
