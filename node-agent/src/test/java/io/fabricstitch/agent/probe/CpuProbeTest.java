package io.fabricstitch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CpuProbeTest {
    private static final String FALLBACK_MODEL = System.getProperty("os.arch") + " CPU";

    @TempDir
    Path tmp;

    /** Probes a proc root holding the fixture as {@code cpuinfo}. */
    private ProbeResult probe(String fixture, int cores) throws Exception {
        Path proc = Files.createDirectories(tmp.resolve("proc"));
        Files.copy(ProbeFixtures.resource("cpuinfo/" + fixture), proc.resolve("cpuinfo"));
        return new CpuProbe(proc, cores).probe();
    }

    private static DetectedFabric only(ProbeResult r) {
        assertEquals(1, r.fabrics().size(), () -> "fabrics: " + r);
        return r.fabrics().get(0);
    }

    @Test
    void readsX86ModelAndKeepsOnlySimdFlags() throws Exception {
        ProbeResult r = probe("x86-sapphire-rapids.txt", 112);
        DetectedFabric cpu = only(r);
        assertEquals("cpu", cpu.deviceKey());
        assertEquals(Optional.empty(), cpu.pciAddress());
        assertEquals("cpu", cpu.source());
        assertEquals(FabricType.CPU, cpu.fabricType());
        assertEquals("Intel(R) Xeon(R) Platinum 8480+", cpu.model());
        assertEquals("cores", cpu.resourceUnit());
        assertEquals(112, cpu.resourceCount());
        assertEquals(112, cpu.resourceFree());
        assertEquals(Set.of("simd-sse4_2", "simd-avx", "simd-avx2", "simd-fma", "simd-avx512f", "simd-avx512bw",
            "simd-avx512vl", "simd-avx512_vnni", "simd-avx512_bf16", "simd-amx_tile", "simd-amx_bf16",
            "simd-amx_int8"), cpu.features());
        assertEquals(FabricStatus.ONLINE, cpu.status());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void namesKnownArmCoreAndReadsFirstFeaturesLine() throws Exception {
        DetectedFabric cpu = only(probe("arm-grace.txt", 72));
        assertEquals("Arm Neoverse-V2", cpu.model());
        assertEquals(Set.of("simd-asimd", "simd-sve", "simd-sve2"), cpu.features());
        assertEquals(72, cpu.resourceCount());
    }

    @Test
    void namesUnknownArmPartByImplementerAndPart() throws Exception {
        DetectedFabric cpu = only(probe("arm-ampereone.txt", 192));
        assertEquals("CPU implementer 0xc0 part 0xac3", cpu.model());
        assertEquals(Set.of("simd-asimd"), cpu.features());
    }

    @Test
    void prefersHardwareLineOnArmBoards() throws Exception {
        assertEquals("Qualcomm Technologies, Inc SM8150", only(probe("arm-board.txt", 8)).model());
    }

    @Test
    void usesBoardModelWhenNothingBetterIsKnown() throws Exception {
        assertEquals("Raspberry Pi 4 Model B Rev 1.1", only(probe("arm-board-model-only.txt", 4)).model());
    }

    @Test
    void garbageCpuinfoGivesFallbackModelAndNoFeatures() throws Exception {
        ProbeResult r = probe("garbage.txt", 2);
        DetectedFabric cpu = only(r);
        assertEquals(FALLBACK_MODEL, cpu.model());
        assertEquals(Set.of(), cpu.features());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void missingCpuinfoStillGivesCpuWithWarning() {
        ProbeResult r = new CpuProbe(tmp.resolve("no-proc"), 3).probe();
        DetectedFabric cpu = only(r);
        assertEquals(FALLBACK_MODEL, cpu.model());
        assertEquals(3, cpu.resourceCount());
        assertEquals(List.of(tmp.resolve("no-proc/cpuinfo") + ": missing (expected: a readable cpuinfo); model '"
            + FALLBACK_MODEL + "', no SIMD features"), r.warnings());
    }

    @Test
    void unreadableCpuinfoStillGivesCpuWithWarning() throws Exception {
        Files.createDirectories(tmp.resolve("proc/cpuinfo"));
        ProbeResult r = new CpuProbe(tmp.resolve("proc"), 1).probe();
        assertEquals(FALLBACK_MODEL, only(r).model());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
    }

    @Test
    void rejectsFewerThanOneProcessor() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CpuProbe(tmp, 0));
        assertEquals("availableProcessors: 0 (expected: >= 1)", e.getMessage());
    }

    @Test
    void hostCpuIsOneFabricWithTheJvmsProcessors() {
        CpuProbe probe = CpuProbe.ofHost();
        assertEquals("cpu", probe.name());
        assertEquals(0, probe.precedence());
        DetectedFabric cpu = only(probe.probe());
        assertEquals(FabricType.CPU, cpu.fabricType());
        assertEquals(Runtime.getRuntime().availableProcessors(), cpu.resourceCount());
        assertEquals(cpu.resourceCount(), cpu.resourceFree());
        assertTrue(cpu.features().stream().allMatch(f -> f.startsWith("simd-")), cpu.features()::toString);
    }
}
