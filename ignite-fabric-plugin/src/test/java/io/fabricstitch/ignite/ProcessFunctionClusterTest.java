package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.function.process.ProcessFunction;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import io.fabricstitch.model.FunctionImplementation;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Process functions declared in Spring XML, on real nodes through {@link FabricCompute}: the program runs on the
 * fabric's node with that fabric's binding, and sees no other device's variables.
 */
class ProcessFunctionClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite node;

    @SuppressWarnings("unchecked")
    @BeforeAll
    static void start() {
        List<ProcessFunction> functions = (List<ProcessFunction>)Ignition.loadSpringBean(
            ProcessFunctionClusterTest.class.getResource("/process-functions.xml"), "processFunctions");
        node = CLUSTER.start("proc", p -> {
            p.getAgent().setRealProbesEnabled(false).setProcessFunctions(functions)
                .setProcessTempDirectory(CLUSTER.workDirectory().resolve("process").toString())
                .setDeclaredFabrics(List.of(new DeclaredFabric().setName("gpu-a").setType(FabricType.GPU)
                    .setModel("NVIDIA L4 24GB (declared)").setResourceUnit("MiB").setResourceCount(24576)
                    .setFunctions(List.of("env.print"))));
            p.getNetwork().setBeaconsEnabled(false);
        });
    }

    private static FabricEntry fabric(FabricType type) {
        return FabricPlugin.of(node).localFabrics().stream().filter(f -> f.getFabricType() == type).findFirst()
            .orElseThrow();
    }

    private static TaskResult run(String fn, FabricEntry on, byte[] input) {
        return FabricCompute.of(node).execute(TaskRequest.builder(fn).require(on.getFabricType(), 1)
            .fabric(on.getFabricId()).input(input).timeout(Duration.ofSeconds(30)).build());
    }

    private static Map<String, String> env(byte[] output) {
        return new String(output, StandardCharsets.UTF_8).lines().filter(l -> l.contains("="))
            .collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l.substring(l.indexOf('=') + 1),
                (a, b) -> a));
    }

    @Test
    void checksumToolRunsOnTheCpuFabric_asAProcess() throws Exception {
        FabricEntry cpu = fabric(FabricType.CPU);
        assertEquals(FabricRuntime.PROCESS, cpu.getFunctions().get("checksum.sha256sum").runtime());
        byte[] data = "Fabric Stitch".getBytes(StandardCharsets.UTF_8);
        TaskResult r = run("checksum.sha256sum", cpu, data);
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data)) + "  -\n",
            new String(r.output(), StandardCharsets.UTF_8));
        assertEquals(FunctionImplementation.of(FabricRuntime.PROCESS, "sha256sum", 1.0,
            io.fabricstitch.model.SpeedSource.UNMEASURED), r.ranAs());
    }

    @Test
    void processSeesOnlyItsOwnFabricsVariables() {
        FabricEntry cpu = fabric(FabricType.CPU);
        FabricEntry gpu = fabric(FabricType.GPU);
        Map<String, String> onCpu = env(run("env.print", cpu, new byte[0]).output());
        Map<String, String> onGpu = env(run("env.print", gpu, new byte[0]).output());
        assertEquals(cpu.getFabricId().toString(), onCpu.get("FABRIC_ID"));
        assertEquals(gpu.getFabricId().toString(), onGpu.get("FABRIC_ID"));
        assertEquals("true", onGpu.get("FABRIC_DECLARED"), "a declared GPU has no device behind it");
        assertEquals("1", onGpu.get("FABRIC_RESERVED"), "the amount its task reserved");
        assertEquals("/opt/models", onCpu.get("MODEL_DIR"), "the function's own environment");
        for (Map<String, String> env : List.of(onCpu, onGpu)) {
            assertEquals("", env.get("CUDA_VISIBLE_DEVICES"), "no NVIDIA GPU was reserved: CUDA sees none");
            assertEquals("none", env.get("NVIDIA_VISIBLE_DEVICES"), env::toString);
            assertTrue(env.keySet().stream().filter(k -> k.startsWith("FABRIC_"))
                .allMatch(k -> List.of("FABRIC_ID", "FABRIC_TYPE", "FABRIC_MODEL", "FABRIC_DEVICE_KEY",
                    "FABRIC_DECLARED", "FABRIC_RESERVED", "FABRIC_RESOURCE_COUNT", "FABRIC_RESOURCE_UNIT")
                    .contains(k)), env::toString);
        }
        assertEquals("GPU", onGpu.get("FABRIC_TYPE"));
        assertEquals("CPU", onCpu.get("FABRIC_TYPE"));
    }
}
