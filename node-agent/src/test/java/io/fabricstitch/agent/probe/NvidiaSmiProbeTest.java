package io.fabricstitch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledOnOs;
import org.junit.jupiter.api.condition.OS;
import org.junit.jupiter.api.io.TempDir;

/** Runs the probe against a fake nvidia-smi script that replays recorded output, through the real CommandRunner. */
@EnabledOnOs({OS.LINUX, OS.MAC})
class NvidiaSmiProbeTest {
    private static final String UUID_0 = "GPU-5c8b1f0e-2a7d-3b4c-9e1f-0a1b2c3d4e5f";
    private static final String UUID_1 = "GPU-9d2e4f6a-8b1c-4d3e-a5f7-1b2c3d4e5f60";

    @TempDir
    Path tmp;

    private Path script;

    @BeforeEach
    void copyFakeTool() throws Exception {
        script = ProbeFixtures.copy("nvidia-smi/fake-nvidia-smi.sh", tmp);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    /** A probe whose nvidia-smi prints the fixture and exits with {@code exitCode}, after {@code extra} args. */
    private NvidiaSmiProbe fake(String fixture, int exitCode, Duration timeout, String... extra) {
        Path output = ProbeFixtures.copy("nvidia-smi/" + fixture, tmp);
        List<String> command = new ArrayList<>(List.of("sh", script.toString(), output.toString(),
            Integer.toString(exitCode)));
        command.addAll(List.of(extra));
        return new NvidiaSmiProbe(command, timeout);
    }

    private ProbeResult probe(String fixture) throws ProbeUnavailableException {
        return fake(fixture, 0, Duration.ofSeconds(10)).probe();
    }

    private static List<String> keys(ProbeResult r) {
        return r.fabrics().stream().map(DetectedFabric::deviceKey).collect(Collectors.toList());
    }

    @Test
    void reportsTwoH100sFromRecordedOutput() throws Exception {
        ProbeResult r = probe("h100x2.csv");
        assertEquals(2, r.fabrics().size());
        DetectedFabric gpu = r.fabrics().get(0);
        assertEquals("nvidia:" + UUID_0, gpu.deviceKey());
        assertEquals(Optional.of("0000:18:00.0"), gpu.pciAddress());
        assertEquals("nvidia-smi", gpu.source());
        assertEquals(FabricType.GPU, gpu.fabricType());
        assertEquals("NVIDIA H100 80GB HBM3", gpu.model());
        assertEquals("MiB", gpu.resourceUnit());
        assertEquals(81559, gpu.resourceCount());
        assertEquals(81008, gpu.resourceFree());
        assertEquals(Set.of("driver-535.104.05", "nvidia-index-0"), gpu.features());
        assertEquals(Map.of("utilization.pct", 0.0, "temperature.c", 31.0, "memory.errors", 0.0), gpu.readings());
        assertEquals(FabricStatus.ONLINE, gpu.status());
        DetectedFabric second = r.fabrics().get(1);
        assertEquals("nvidia:" + UUID_1, second.deviceKey());
        assertEquals(Optional.of("0000:2a:00.0"), second.pciAddress());
        assertEquals(1024, second.resourceFree());
        assertEquals(Map.of("utilization.pct", 97.0, "temperature.c", 64.0, "memory.errors", 2.0), second.readings());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void passesTheQueryArgumentsToTheTool() throws Exception {
        probe("h100x2.csv");
        assertEquals(NvidiaSmiProbe.QUERY_ARGS, Files.readAllLines(tmp.resolve("h100x2.csv.args")));
        assertEquals(List.of("--query-gpu=index,uuid,name,pci.bus_id,memory.total,memory.free,utilization.gpu,"
            + "temperature.gpu,driver_version,ecc.errors.uncorrected.volatile.total", "--format=csv,noheader,nounits"),
            NvidiaSmiProbe.QUERY_ARGS);
    }

    @Test
    void omitsNonNumericReadingsButKeepsTheGpu() throws Exception {
        ProbeResult r = probe("na-readings.csv");
        DetectedFabric gpu = r.fabrics().get(0);
        assertEquals("NVIDIA A100-SXM4-40GB", gpu.model());
        assertEquals(Map.of(), gpu.readings());
        assertEquals(40960, gpu.resourceCount());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void countsGpuWithoutReportedMemoryAsOneDevice() throws Exception {
        ProbeResult r = probe("na-memory.csv");
        DetectedFabric gpu = r.fabrics().get(0);
        assertEquals("devices", gpu.resourceUnit());
        assertEquals(1, gpu.resourceCount());
        assertEquals(1, gpu.resourceFree());
        assertEquals(Optional.of("000f:01:00.0"), gpu.pciAddress());
        assertEquals(Map.of("utilization.pct", 3.0, "temperature.c", 42.0, "memory.errors", 0.0), gpu.readings());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void skipsLinesWithWrongFieldCountAndKeepsTheOthers() throws Exception {
        ProbeResult r = probe("wrong-field-count.csv");
        assertEquals(List.of("nvidia:" + UUID_0), keys(r));
        assertEquals(2, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).startsWith("nvidia-smi line 2: 9 fields (expected: 10 fields) in '1, GPU-9d2e"),
            r.warnings()::toString);
        assertTrue(r.warnings().get(1).startsWith("nvidia-smi line 3: 11 fields (expected: 10 fields)"),
            r.warnings()::toString);
    }

    @Test
    void skipsGpuWithNonNumericMemory() throws Exception {
        ProbeResult r = probe("non-numeric-memory.csv");
        assertEquals(List.of("nvidia:GPU-7e3f5a7b-9c2d-4e4f-b6a8-2c3d4e5f6071"), keys(r));
        assertEquals(List.of(
            "nvidia-smi line 1: memory.total '81559 MiB' (expected: MiB as a number, or [N/A]); line skipped",
            "nvidia-smi line 2: memory.free 'lots' (expected: MiB as a number, or [N/A]); line skipped"), r.warnings());
    }

    @Test
    void ignoresBlankLinesSilently() throws Exception {
        ProbeResult r = probe("blank-lines.csv");
        assertEquals(List.of("nvidia:" + UUID_0, "nvidia:" + UUID_1), keys(r));
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void skipsAccidentalHeaderLine() throws Exception {
        ProbeResult r = probe("with-header.csv");
        assertEquals(List.of("nvidia:" + UUID_0), keys(r));
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).startsWith("nvidia-smi line 1: header (expected: CSV without header)"),
            r.warnings()::toString);
    }

    @Test
    void acceptsGpuAndMigUuidsAndSkipsOthers() throws Exception {
        ProbeResult r = probe("uuid-prefixes.csv");
        assertEquals(List.of("nvidia:" + UUID_0, "nvidia:MIG-4f1d2c3b-aaaa-bbbb-cccc-ddddeeeeffff"), keys(r));
        assertEquals(List.of(
            "nvidia-smi line 3: uuid '5c8b1f0e-2a7d-3b4c-9e1f-0a1b2c3d4e5f' (expected: GPU-... or MIG-...); line skipped",
            "nvidia-smi line 4: uuid '[N/A]' (expected: GPU-... or MIG-...); line skipped"), r.warnings());
    }

    @Test
    void toleratesCarriageReturns() throws Exception {
        assertTrue(Files.readString(ProbeFixtures.resource("nvidia-smi/crlf.csv")).contains("\r\n"),
            "fixture keeps its CRLF line ends (see .gitattributes)");
        ProbeResult r = probe("crlf.csv");
        assertEquals(List.of("nvidia:" + UUID_0, "nvidia:" + UUID_1), keys(r));
        assertEquals(Set.of("driver-535.104.05", "nvidia-index-1"), r.fabrics().get(1).features());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void mixedOddOutputKeepsEveryUsableGpu() throws Exception {
        ProbeResult r = probe("mixed-odd.csv");
        assertEquals(List.of("nvidia:" + UUID_0, "nvidia:" + UUID_1,
            "nvidia:MIG-4f1d2c3b-aaaa-bbbb-cccc-ddddeeeeffff"), keys(r));
        DetectedFabric clamped = r.fabrics().get(0);
        assertEquals(81559, clamped.resourceFree(), "free clamped to total");
        assertEquals(Map.of("temperature.c", 31.0, "memory.errors", 0.0), clamped.readings());
        assertEquals("devices", r.fabrics().get(1).resourceUnit());
        assertEquals(Map.of("utilization.pct", 97.0, "memory.errors", 0.0), r.fabrics().get(1).readings());
        List<String> lines = r.warnings().stream().map(w -> w.substring(0, w.indexOf(':'))).collect(Collectors.toList());
        assertEquals(List.of("nvidia-smi line 1", "nvidia-smi line 5", "nvidia-smi line 6", "nvidia-smi line 7",
            "nvidia-smi line 9"), lines);
        assertTrue(r.warnings().get(4).contains("pci.bus_id 'not-a-bus-id'"), r.warnings()::toString);
    }

    @Test
    void garbageOutputGivesNoGpuAndOneWarningPerLine() throws Exception {
        ProbeResult r = probe("garbage.txt");
        assertEquals(List.of(), r.fabrics());
        assertEquals(3, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).startsWith("nvidia-smi line 1: 1 fields (expected: 10 fields) in 'Segmentation fault"),
            r.warnings()::toString);
    }

    @Test
    void emptyOutputMeansNoGpu() throws Exception {
        Files.writeString(tmp.resolve("empty.csv"), "");
        ProbeResult r = new NvidiaSmiProbe(List.of("sh", script.toString(), tmp.resolve("empty.csv").toString(), "0"),
            Duration.ofSeconds(10)).probe();
        assertEquals(List.of(), r.fabrics());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void driverFailureMakesProbeUnavailableNamingExitCodeAndFirstLine() {
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class,
            () -> fake("driver-failed.txt", 9, Duration.ofSeconds(10)).probe());
        assertEquals("nvidia-smi: exit code 9, 'NVIDIA-SMI has failed because it couldn't communicate with the "
            + "NVIDIA driver. Make sure that the latest NVIDIA driver is installed and running.' (expected: exit code 0)", e.getMessage());
    }

    @Test
    void noDevicesMakesProbeUnavailable() {
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class,
            () -> fake("no-devices.txt", 6, Duration.ofSeconds(10)).probe());
        assertEquals("nvidia-smi: exit code 6, 'No devices were found' (expected: exit code 0)", e.getMessage());
    }

    @Test
    void toolThatDoesNotAnswerInTimeIsKilledAndUnavailable() {
        NvidiaSmiProbe slow = fake("h100x2.csv", 0, Duration.ofMillis(300), "10");
        long start = System.nanoTime();
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class, slow::probe);
        assertEquals("nvidia-smi did not answer within 300 ms", e.getMessage());
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(5).toNanos(), "returned soon after the timeout");
    }

    @Test
    void missingExecutableIsNotFound() {
        NvidiaSmiProbe probe = new NvidiaSmiProbe(List.of(tmp.resolve("bin/nvidia-smi").toString()),
            Duration.ofSeconds(5));
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class, probe::probe);
        assertTrue(e.getMessage().startsWith("nvidia-smi not found: "), e.getMessage());
    }

    @Test
    void scriptRunsDirectlyOnceMadeExecutable() throws Exception {
        Path output = ProbeFixtures.copy("nvidia-smi/h100x2.csv", tmp);
        ProbeResult r = new NvidiaSmiProbe(List.of(script.toString(), output.toString(), "0"), Duration.ofSeconds(10))
            .probe();
        assertEquals(2, r.fabrics().size());
    }

    @Test
    void rejectsEmptyCommand() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> new NvidiaSmiProbe(List.of(), Duration.ofSeconds(1)));
        assertTrue(e.getMessage().startsWith("command: [] (expected: "), e.getMessage());
    }

    @Test
    void hostToolReturnsOrIsUnavailableAndNeverFailsOtherwise() {
        NvidiaSmiProbe probe = NvidiaSmiProbe.ofHost();
        assertEquals("nvidia-smi", probe.name());
        assertEquals(20, probe.precedence());
        try {
            probe.probe().fabrics().forEach(f -> assertEquals(FabricType.GPU, f.fabricType()));
        }
        catch (ProbeUnavailableException e) {
            assertTrue(e.getMessage().startsWith("nvidia-smi"), e.getMessage());
        }
    }
}
