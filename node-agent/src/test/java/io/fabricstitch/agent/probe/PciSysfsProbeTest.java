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
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PciSysfsProbeTest {
    private static final long MIB = 1024L * 1024L;

    @TempDir
    Path tmp;

    private FakeSysfs sys;
    private Path pciIds;

    @BeforeEach
    void setUp() {
        sys = new FakeSysfs(tmp.resolve("sys"));
        sys.dir("bus/pci/devices");
        pciIds = ProbeFixtures.copy("pci.ids", tmp);
    }

    private ProbeResult probe() throws ProbeUnavailableException {
        return new PciSysfsProbe(sys.root(), pciIds).probe();
    }

    /** A host with an H100, an MI250 with VRAM files, a U250, a Gaudi, and what must be ignored. */
    private void layOutMixedHost() {
        sys.pciDevice("pci0000:00/0000:00:01.0", "0000:18:00.0", "0x030200", "0x10de", "0x2330");
        Path mi250 = sys.pciDevice("pci0000:00/0000:00:02.0", "0000:29:00.0", "0x038000", "0x1002", "0x7408");
        FakeSysfs.write(mi250.resolve("mem_info_vram_total"), (64L * 1024 * MIB) + "\n");
        FakeSysfs.write(mi250.resolve("mem_info_vram_used"), (10L * MIB + 5) + "\n");
        sys.pciDevice("0000:3b:00.0", "0x120000", "0x10ee", "0x5004");
        sys.pciDevice("0000:4c:00.0", "0x120000", "0x1da3", "0x1000");
        sys.pciDevice("0000:00:00.0", "0x060000", "0x8086", "0x0d57");
        sys.pciDevice("0000:00:02.0", "0x030000", "0x1234", "0x1111");
        sys.pciDevice("0000:03:00.0", "0x030000", "0x1a03", "0x2000");
        sys.pciDevice("0000:5d:00.0", "0x020000", "0x8086", "0x1572");
        sys.pciDevice("0000:00:03.0", "0x020000", "0x1af4", "0x1041");
        sys.pciDevice("0000:18:00.1", "0x040300", "0x10de", "0x22a3");
    }

    private static DetectedFabric only(ProbeResult r) {
        assertEquals(1, r.fabrics().size(), () -> "fabrics: " + r);
        return r.fabrics().get(0);
    }

    @Test
    void reportsNvidiaH100AsGpuNamedFromPciIds() throws Exception {
        sys.pciDevice("0000:18:00.0", "0x030200", "0x10de", "0x2330");
        ProbeResult r = probe();
        DetectedFabric gpu = only(r);
        assertEquals("pci:0000:18:00.0", gpu.deviceKey());
        assertEquals(Optional.of("0000:18:00.0"), gpu.pciAddress());
        assertEquals("pci-sysfs", gpu.source());
        assertEquals(FabricType.GPU, gpu.fabricType());
        assertEquals("NVIDIA GH100 [H100 SXM5 80GB]", gpu.model());
        assertEquals("devices", gpu.resourceUnit());
        assertEquals(1, gpu.resourceCount());
        assertEquals(1, gpu.resourceFree());
        assertEquals(Set.of("pci-class-0x0302", "vendor-0x10de"), gpu.features());
        assertEquals(FabricStatus.ONLINE, gpu.status());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void reportsAmdGpuMemoryFromSysfs() throws Exception {
        Path dir = sys.pciDevice("0000:29:00.0", "0x038000", "0x1002", "0x7408");
        FakeSysfs.write(dir.resolve("mem_info_vram_total"), "68702699520\n");
        FakeSysfs.write(dir.resolve("mem_info_vram_used"), "11534336\n");
        ProbeResult r = probe();
        DetectedFabric gpu = only(r);
        assertEquals(FabricType.GPU, gpu.fabricType());
        assertEquals("AMD Aldebaran/MI200 [Instinct MI250X]", gpu.model());
        assertEquals("MiB", gpu.resourceUnit());
        assertEquals(65520, gpu.resourceCount());
        assertEquals(65509, gpu.resourceFree());
        assertEquals(Set.of("pci-class-0x0380", "vendor-0x1002"), gpu.features());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void reportsXilinxCardAsFpgaWhateverItsClass() throws Exception {
        sys.pciDevice("0000:3b:00.0", "0x120000", "0x10ee", "0x5004");
        DetectedFabric fpga = only(probe());
        assertEquals(FabricType.FPGA, fpga.fabricType());
        assertEquals("Xilinx Alveo U250 XDMA Platform", fpga.model());
        assertEquals("pci:0000:3b:00.0", fpga.deviceKey());
        assertEquals(Set.of("pci-class-0x1200", "vendor-0x10ee"), fpga.features());
    }

    @Test
    void reportsProcessingAcceleratorOfAnyVendorAsAsic() throws Exception {
        sys.pciDevice("0000:4c:00.0", "0x120000", "0x1da3", "0x1000");
        DetectedFabric asic = only(probe());
        assertEquals(FabricType.ASIC, asic.fabricType());
        assertEquals("Habana Labs Ltd. HL-2000 AI Training Accelerator [Gaudi]", asic.model());
        assertEquals(1, asic.resourceCount());
    }

    @Test
    void ignoresEmulatedVgaNicsBridgesVirtioAndGpuAudio() throws Exception {
        layOutMixedHost();
        Set<String> keys = probe().fabrics().stream().map(DetectedFabric::deviceKey).collect(Collectors.toSet());
        assertEquals(Set.of("pci:0000:18:00.0", "pci:0000:29:00.0", "pci:0000:3b:00.0", "pci:0000:4c:00.0"), keys);
    }

    @Test
    void reportsEveryAcceleratorOfMixedHostInAddressOrder() throws Exception {
        layOutMixedHost();
        ProbeResult r = probe();
        assertEquals(List.of("NVIDIA GH100 [H100 SXM5 80GB]", "AMD Aldebaran/MI200 [Instinct MI250X]",
                "Xilinx Alveo U250 XDMA Platform", "Habana Labs Ltd. HL-2000 AI Training Accelerator [Gaudi]"),
            r.fabrics().stream().map(DetectedFabric::model).collect(Collectors.toList()));
        DetectedFabric mi250 = r.fabrics().get(1);
        assertEquals(65536, mi250.resourceCount());
        assertEquals(65525, mi250.resourceFree());
        assertEquals(List.of(), r.warnings());
    }

    @ParameterizedTest(name = "class {0} vendor {1} -> {2}")
    @CsvSource(nullValues = "none", value = {
        "0x030200, 0x10de, GPU", "0x030000, 0x10de, GPU", "0x038000, 0x1002, GPU", "0x038000, 0x10de, GPU",
        "0x038000, 0x8086, GPU", "0x030000, 0x8086, GPU", "0x038000, 0x1a03, none", "0x030000, 0x1234, none",
        "0x030100, 0x10de, none", "0x040300, 0x10de, none", "0x120000, 0x10ee, FPGA", "0x058000, 0x10ee, FPGA",
        "0xff0000, 0x1172, FPGA", "0x120000, 0x1da3, ASIC", "0x120000, 0x10de, ASIC", "0x120100, 0x1e52, ASIC",
        "0x020000, 0x8086, none", "0x068000, 0x10de, none", "0x000000, 0x0000, none"})
    void classifiesByVendorAndClass(String cls, String vendor, FabricType expected) {
        assertEquals(expected, PciSysfsProbe.classify(Integer.decode(cls), Integer.decode(vendor)));
    }

    @Test
    void namesModelsFromPciIdsWhenNoFileIsGiven() throws Exception {
        layOutMixedHost();
        List<String> models = new PciSysfsProbe(sys.root(), null).probe().fabrics().stream()
            .map(DetectedFabric::model).collect(Collectors.toList());
        assertEquals(List.of("NVIDIA 0x2330", "AMD 0x7408", "Xilinx 0x5004", "vendor 0x1da3 0x1000"), models);
    }

    @Test
    void missingPciIdsFileFallsBackToIdsWithoutWarning() throws Exception {
        sys.pciDevice("0000:4c:00.0", "0x120000", "0x1da3", "0x1000");
        ProbeResult r = new PciSysfsProbe(sys.root(), tmp.resolve("no-such.ids")).probe();
        assertEquals("vendor 0x1da3 0x1000", only(r).model());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void unreadablePciIdsFileFallsBackWithOneWarning() throws Exception {
        sys.pciDevice("0000:18:00.0", "0x030200", "0x10de", "0x2330");
        Path dirAsIds = Files.createDirectory(tmp.resolve("pci.ids.d"));
        PciSysfsProbe probe = new PciSysfsProbe(sys.root(), dirAsIds);
        ProbeResult r = probe.probe();
        assertEquals("NVIDIA 0x2330", only(r).model());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).startsWith(dirAsIds + ": "), r.warnings()::toString);
        assertEquals(List.of(), probe.probe().warnings(), "an unreadable pci.ids is reported once");
    }

    @Test
    void deviceMissingFromItsVendorBlockIsNamedByIdNotByTheNextVendor() throws Exception {
        sys.pciDevice("0000:18:00.0", "0x030200", "0x10de", "0x2336");
        assertEquals("NVIDIA 0x2336", only(probe()).model());
    }

    @Test
    void unknownVendorIsNamedFromPciIds() throws Exception {
        sys.pciDevice("0000:4c:00.0", "0x120000", "0xc0de", "0x2000");
        assertEquals("Vendor listed only after the known ones 0x2000", only(probe()).model());
    }

    @Test
    void readsPciIdsOncePerProbeInstance() throws Exception {
        sys.pciDevice("0000:18:00.0", "0x030200", "0x10de", "0x2330");
        PciSysfsProbe probe = new PciSysfsProbe(sys.root(), pciIds);
        assertEquals("NVIDIA GH100 [H100 SXM5 80GB]", only(probe.probe()).model());
        Files.delete(pciIds);
        assertEquals("NVIDIA GH100 [H100 SXM5 80GB]", only(probe.probe()).model());
    }

    @Test
    void skipsMalformedClassFileAndKeepsOtherDevices() throws Exception {
        sys.pciDevice("0000:18:00.0", "0x030200", "0x10de", "0x2330");
        sys.pciDevice("0000:2a:00.0", "garbage", "0x10de", "0x2330");
        ProbeResult r = probe();
        assertEquals("pci:0000:18:00.0", only(r).deviceKey());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        String w = r.warnings().get(0);
        assertTrue(w.contains("0000:2a:00.0/class: 'garbage' (expected: hex 0x0..0xffffff)"), w);
        assertTrue(w.endsWith("device 0000:2a:00.0 skipped"), w);
    }

    @Test
    void skipsOutOfRangeAndEmptyIdsAndKeepsOtherDevices() throws Exception {
        sys.pciDevice("0000:18:00.0", "0x030200", "0x10de", "0x2330");
        sys.pciDevice("0000:2a:00.0", "0x1030200", "0x10de", "0x2330");
        sys.pciDevice("0000:3a:00.0", "0x030200", "0x10de0", "0x2330");
        sys.pciDevice("0000:4a:00.0", "0x030200", "0x10de", "");
        ProbeResult r = probe();
        assertEquals("pci:0000:18:00.0", only(r).deviceKey());
        assertEquals(3, r.warnings().size(), r.warnings()::toString);
    }

    @Test
    void skipsDeviceWithMissingOrUnreadableVendorFile() throws Exception {
        Path missing = sys.pciDevice("0000:2a:00.0", "0x030200", "0x10de", "0x2330");
        Files.delete(missing.resolve("vendor"));
        Path unreadable = sys.pciDevice("0000:3a:00.0", "0x030200", "0x10de", "0x2330");
        Files.delete(unreadable.resolve("vendor"));
        Files.createDirectory(unreadable.resolve("vendor"));
        sys.pciDevice("0000:4a:00.0", "0x120000", "0x1da3", "0x1000");
        ProbeResult r = probe();
        assertEquals("pci:0000:4a:00.0", only(r).deviceKey());
        assertEquals(2, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).contains("0000:2a:00.0/vendor: missing"), r.warnings()::toString);
        assertTrue(r.warnings().get(1).contains("0000:3a:00.0/vendor: "), r.warnings()::toString);
    }

    @Test
    void skipsEntryWhoseNameIsNoPciAddress() throws Exception {
        sys.pciDevice("0000:18:00.0", "0x030200", "0x10de", "0x2330");
        FakeSysfs.write(sys.root().resolve("bus/pci/devices/not-a-device"), "x");
        ProbeResult r = probe();
        assertEquals(1, r.fabrics().size());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).contains("'not-a-device' (expected: a PCI address"), r.warnings()::toString);
    }

    @Test
    void fallsBackToOneDeviceWhenVramFileIsMalformed() throws Exception {
        Path dir = sys.pciDevice("0000:29:00.0", "0x038000", "0x1002", "0x7408");
        FakeSysfs.write(dir.resolve("mem_info_vram_total"), "lots\n");
        FakeSysfs.write(dir.resolve("mem_info_vram_used"), "0\n");
        ProbeResult r = probe();
        DetectedFabric gpu = only(r);
        assertEquals("devices", gpu.resourceUnit());
        assertEquals(1, gpu.resourceCount());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).endsWith("device 0000:29:00.0 counted as 1 device"), r.warnings()::toString);
    }

    @Test
    void fallsBackToOneDeviceWhenVramUsedFileIsMissing() throws Exception {
        Path dir = sys.pciDevice("0000:29:00.0", "0x038000", "0x1002", "0x7408");
        FakeSysfs.write(dir.resolve("mem_info_vram_total"), "68702699520\n");
        ProbeResult r = probe();
        assertEquals("devices", only(r).resourceUnit());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
    }

    @Test
    void clampsFreeVramToZeroWhenUsedExceedsTotal() throws Exception {
        Path dir = sys.pciDevice("0000:29:00.0", "0x038000", "0x1002", "0x7408");
        FakeSysfs.write(dir.resolve("mem_info_vram_total"), (8 * MIB) + "\n");
        FakeSysfs.write(dir.resolve("mem_info_vram_used"), (9 * MIB) + "\n");
        DetectedFabric gpu = only(probe());
        assertEquals(8, gpu.resourceCount());
        assertEquals(0, gpu.resourceFree());
    }

    @Test
    void ignoresVramFilesOfDevicesThatAreNoGpu() throws Exception {
        Path dir = sys.pciDevice("0000:4c:00.0", "0x120000", "0x1da3", "0x1000");
        FakeSysfs.write(dir.resolve("mem_info_vram_total"), "not even read\n");
        ProbeResult r = probe();
        assertEquals("devices", only(r).resourceUnit());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void emptyDeviceDirectoryFindsNothing() throws Exception {
        assertEquals(List.of(), probe().fabrics());
    }

    @Test
    void throwsUnavailableWhenPciDevicesDirectoryIsMissing() {
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class,
            () -> new PciSysfsProbe(tmp.resolve("nowhere"), null).probe());
        assertTrue(e.getMessage().startsWith("pci-sysfs: " + tmp.resolve("nowhere/bus/pci/devices") + " not found"),
            e.getMessage());
    }

    @Test
    void hostScanReturnsOrIsUnavailableAndNeverFailsOtherwise() {
        PciSysfsProbe probe = PciSysfsProbe.ofHost();
        assertEquals("pci-sysfs", probe.name());
        assertEquals(0, probe.precedence());
        try {
            ProbeResult r = probe.probe();
            r.fabrics().forEach(f -> assertEquals("pci-sysfs", f.source()));
        }
        catch (ProbeUnavailableException e) {
            assertTrue(e.getMessage().startsWith("pci-sysfs: "), e.getMessage());
        }
    }
}
