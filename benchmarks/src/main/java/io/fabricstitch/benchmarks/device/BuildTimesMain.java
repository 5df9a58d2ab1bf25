package io.fabricstitch.benchmarks.device;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.opencl.BuildRecord;
import io.fabricstitch.agent.opencl.OpenClRuntime;
import java.util.List;
import java.util.UUID;

/**
 * Run in a JVM of its own by {@link RealDeviceBenchmark} (the driver's compiler cache, e.g. pocl's
 * {@code POCL_CACHE_DIR}, is set for the whole process): attaches this host's OpenCL device, which builds the built-in
 * programs, and prints one line per build, {@code build <program> <ms>}; then runs one call of each function and prints
 * how many builds that added ({@code reuse <n>}: 0 when the per-device cache served them).
 */
public final class BuildTimesMain {
    private BuildTimesMain() {
    }

    public static void main(String[] args) throws Exception {
        DetectedFabric d = KernelRounds.device(1);
        try (OpenClRuntime rt = new OpenClRuntime(List.of())) {
            UUID id = UUID.randomUUID();
            rt.attach(id, d);
            List<BuildRecord> builds = rt.builds();
            for (BuildRecord b : builds)
                System.out.println("build " + b.program() + ' ' + b.millis());
            io.fabricstitch.function.FunctionContext ctx = io.fabricstitch.function.FunctionContext.of(
                io.fabricstitch.model.FabricEntry.builder().fabricId(id).nodeId(UUID.randomUUID())
                    .agentAddress("127.0.0.1:0").site("default").fabricType(d.fabricType()).model(d.model())
                    .resourceUnit(d.resourceUnit()).resourceCount(d.resourceCount()).updatedAt(java.time.Instant.now())
                    .build(), false, () -> false);
            rt.functions().get("matmul.f32").execute(ctx, new io.fabricstitch.function.builtin.MatmulF32Function()
                .calibrationInput());
            rt.functions().get("image.gaussian-blur").execute(ctx, new io.fabricstitch.function.builtin
                .GaussianBlurFunction().calibrationInput());
            System.out.println("reuse " + (rt.builds().size() - builds.size()));
        }
    }
}
