package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabricstitch.agent.probe.ProbeUnavailableException;
import io.fabricstitch.agent.opencl.OpenClProbe;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/fabric device-check}: on a GPU host it checks the GPU; here, with {@code --type ANY}, the same code runs
 * against this host's OpenCL CPU device (pocl in CI), on ports of its own.
 */
class DeviceCheckTest {
    @TempDir
    Path dir;

    @Test
    void deviceCheckOnAnyRealOpenClDevice_runsBothFunctionsThroughFabricCompute_andPasses() throws Exception {
        try {
            assumeTrue(!OpenClProbe.ofHost().probe().fabrics().isEmpty(), "no OpenCL device on this host");
        }
        catch (ProbeUnavailableException e) {
            System.out.println("skipped: " + e.getMessage());
            assumeTrue(false, e.getMessage());
        }
        Path config = ExampleTestConfigs.demo(dir, 49720, 49320, 10970);

        LauncherRun r = LauncherRun.of("device-check", "--type", "ANY", "--config", config.toString(), "--blur",
            "320x200", "--matmul", "96", "--runs", "1");

        assertEquals(0, r.code, r::toString);
        assertTrue(r.out.contains("RESULT: PASS"), r::toString);
        assertTrue(r.out.contains("FABRIC_OPENCL_PLATFORM_INDEX="), "the closure's binding: " + r);
        assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith("image.gaussian-blur | 320x200 PNG")
            && l.contains("| OPENCL ") && l.endsWith("byte-identical")), r::toString);
        assertTrue(r.outLines().stream().anyMatch(l -> l.startsWith("matmul.f32") && l.contains("within tolerance")),
            r::toString);
        assertTrue(r.out.contains("MEASURED"), "speeds measured at start: " + r);
    }

    @Test
    void deviceCheckRefusesAnUnknownType() {
        LauncherRun r = LauncherRun.of("device-check", "--type", "TPU");
        assertEquals(2, r.code, r::toString);
        assertEquals("fabric: --type: 'TPU' (expected one of: GPU, FPGA, ASIC, CPU, ANY)", r.errLines().get(0));
    }
}
