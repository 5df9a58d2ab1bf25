package io.fabricstitch.agent.probe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
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

class FpgaSysfsProbeTest {
    private static final String CARD_A = "pci0000:00/0000:00:03.0/0000:3b:00.0";
    private static final String CARD_B = "pci0000:80/0000:80:01.0/0000:af:00.0";

    @TempDir
    Path tmp;

    private FakeSysfs sys;

    @BeforeEach
    void setUp() {
        sys = new FakeSysfs(tmp.resolve("sys"));
    }

    private ProbeResult probe() throws ProbeUnavailableException {
        return new FpgaSysfsProbe(sys.root()).probe();
    }

    private static DetectedFabric only(ProbeResult r) {
        assertEquals(1, r.fabrics().size(), () -> "fabrics: " + r);
        return r.fabrics().get(0);
    }

    @Test
    void reportsOneFpgaPerManagerCountingItsRegions() throws Exception {
        sys.fpgaManager(CARD_A, "fpga0", "Xilinx Alveo FPGA Manager", "operating");
        sys.fpgaRegion(CARD_A, "region0");
        sys.fpgaRegion(CARD_A + "/dfl-fme.0", "region1");
        ProbeResult r = probe();
        DetectedFabric fpga = only(r);
        assertEquals("fpga:0000:3b:00.0", fpga.deviceKey());
        assertEquals(Optional.of("0000:3b:00.0"), fpga.pciAddress());
        assertEquals("fpga-sysfs", fpga.source());
        assertEquals(FabricType.FPGA, fpga.fabricType());
        assertEquals("Xilinx Alveo FPGA Manager", fpga.model());
        assertEquals("regions", fpga.resourceUnit());
        assertEquals(2, fpga.resourceCount());
        assertEquals(2, fpga.resourceFree());
        assertEquals(Set.of("state-operating"), fpga.features());
        assertEquals(FabricStatus.ONLINE, fpga.status());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void managerBelowPlatformDeviceTakesNearestPciAddress() throws Exception {
        sys.fpgaManager(CARD_A + "/dfl-fme.0/dfl-fme-mgr.0", "fpga0", "DFL FME FPGA Manager", "operating");
        sys.fpgaRegion(CARD_A + "/dfl-fme.0", "region0");
        DetectedFabric fpga = only(probe());
        assertEquals("fpga:0000:3b:00.0", fpga.deviceKey());
        assertEquals(1, fpga.resourceCount());
    }

    @Test
    void twoCardsEachCountOnlyTheirOwnRegions() throws Exception {
        sys.fpgaManager(CARD_A, "fpga0", "Card A", "operating");
        sys.fpgaManager(CARD_B, "fpga1", "Card B", "operating");
        sys.fpgaRegion(CARD_B, "region0");
        sys.fpgaRegion(CARD_A, "region1");
        sys.fpgaRegion(CARD_B, "region2");
        sys.fpgaRegion(CARD_B, "region3");
        ProbeResult r = probe();
        assertEquals(List.of("fpga:0000:3b:00.0=1", "fpga:0000:af:00.0=3"), r.fabrics().stream()
            .map(f -> f.deviceKey() + "=" + f.resourceCount()).collect(Collectors.toList()));
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void managerWithoutPciDeviceIsKeyedByDirectoryAndMatchesRegionsByParent() throws Exception {
        String soc = "platform/soc/f8007000.devcfg";
        sys.fpgaManager(soc, "fpga0", "Xilinx Zynq FPGA Manager", "operating");
        sys.fpgaRegion(soc, "region0");
        sys.fpgaRegion(soc, "region1");
        sys.fpgaRegion("platform/fpga-full", "region2");
        ProbeResult r = probe();
        DetectedFabric fpga = only(r);
        assertEquals("fpga:fpga0", fpga.deviceKey());
        assertEquals(Optional.empty(), fpga.pciAddress());
        assertEquals(2, fpga.resourceCount());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).startsWith("fpga-sysfs: region region2 on "), r.warnings()::toString);
    }

    @Test
    void errorStateMakesFabricDegraded() throws Exception {
        sys.fpgaManager(CARD_A, "fpga0", "Altera SOCFPGA FPGA Manager", "write init error");
        DetectedFabric fpga = only(probe());
        assertEquals(FabricStatus.DEGRADED, fpga.status());
        assertEquals("fpga manager fpga0 state: write init error", fpga.statusReason());
        assertEquals(Set.of("state-write-init-error"), fpga.features());
    }

    @Test
    void stateWithSpacesBecomesOneFeature() throws Exception {
        sys.fpgaManager(CARD_A, "fpga0", "Card", "power off");
        DetectedFabric fpga = only(probe());
        assertEquals(Set.of("state-power-off"), fpga.features());
        assertEquals(FabricStatus.ONLINE, fpga.status());
    }

    @Test
    void missingNameAndStateFallBackWithoutWarning() throws Exception {
        sys.fpgaManager(CARD_A, "fpga3", null, null);
        ProbeResult r = probe();
        DetectedFabric fpga = only(r);
        assertEquals("FPGA manager fpga3", fpga.model());
        assertEquals(Set.of(), fpga.features());
        assertEquals(FabricStatus.ONLINE, fpga.status());
        assertEquals(1, fpga.resourceCount());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void blankNameFallsBackToDirectoryModel() throws Exception {
        sys.fpgaManager(CARD_A, "fpga0", "  \t", "operating");
        assertEquals("FPGA manager fpga0", only(probe()).model());
    }

    @Test
    void unreadableStateFileIsLeftOutWithWarning() throws Exception {
        Path mgr = sys.fpgaManager(CARD_A, "fpga0", "Card", null);
        Files.createDirectory(mgr.resolve("state"));
        ProbeResult r = probe();
        assertEquals(Set.of(), only(r).features());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).startsWith(sys.root().resolve("class/fpga_manager/fpga0/state") + ": "), r.warnings()::toString);
        assertTrue(r.warnings().get(0).endsWith("(expected: a readable file); left out"), r.warnings()::toString);
    }

    @Test
    void danglingDeviceLinkLeavesPciAddressUnknownWithWarning() throws Exception {
        Path mgr = sys.fpgaManager(CARD_A, "fpga0", "Card", "operating");
        Files.delete(mgr.resolve("device"));
        FakeSysfs.link(mgr.resolve("device"), sys.root().resolve("devices/gone"));
        ProbeResult r = probe();
        DetectedFabric fpga = only(r);
        assertEquals("fpga:fpga0", fpga.deviceKey());
        assertEquals(Optional.empty(), fpga.pciAddress());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).contains("fpga0/device: missing"), r.warnings()::toString);
    }

    @Test
    void classEntryThatIsNoDirectoryIsSkippedWithWarning() throws Exception {
        sys.fpgaManager(CARD_A, "fpga0", "Card", "operating");
        FakeSysfs.link(sys.root().resolve("class/fpga_manager/fpga9"), sys.root().resolve("devices/gone"));
        ProbeResult r = probe();
        assertEquals("fpga:0000:3b:00.0", only(r).deviceKey());
        assertEquals(1, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).endsWith("fpga9: not a directory (expected: an FPGA manager); skipped"),
            r.warnings()::toString);
    }

    @Test
    void regionsWithoutAnyManagerGiveNoFabricAndOneWarningEach() throws Exception {
        sys.fpgaRegion(CARD_A, "region0");
        sys.fpgaRegion(CARD_B, "region1");
        ProbeResult r = probe();
        assertEquals(List.of(), r.fabrics());
        assertEquals(2, r.warnings().size(), r.warnings()::toString);
        assertTrue(r.warnings().get(0).contains("region region0 on 0000:3b:00.0"), r.warnings()::toString);
    }

    @Test
    void emptyManagerClassFindsNothing() throws Exception {
        sys.dir("class/fpga_manager");
        ProbeResult r = probe();
        assertEquals(List.of(), r.fabrics());
        assertEquals(List.of(), r.warnings());
    }

    @Test
    void throwsUnavailableWhenNoFpgaClassExists() {
        sys.dir("class/drm");
        ProbeUnavailableException e = assertThrows(ProbeUnavailableException.class, this::probe);
        assertTrue(e.getMessage().startsWith("fpga-sysfs: "), e.getMessage());
        assertTrue(e.getMessage().contains("not found"), e.getMessage());
    }

    @Test
    void findsDeepestPciAddressInDevicePath() {
        assertEquals("0000:3b:00.0", FpgaSysfsProbe.pciAddressOf(Path.of("/sys/devices/pci0000:00/0000:00:03.0/"
            + "0000:3b:00.0/dfl-fme.0")));
        assertNull(FpgaSysfsProbe.pciAddressOf(Path.of("/sys/devices/platform/soc/f8007000.devcfg")));
        assertNull(FpgaSysfsProbe.pciAddressOf(null));
    }

    @Test
    void hostScanReturnsOrIsUnavailableAndNeverFailsOtherwise() {
        FpgaSysfsProbe probe = FpgaSysfsProbe.ofHost();
        assertEquals("fpga-sysfs", probe.name());
        assertEquals(10, probe.precedence());
        try {
            probe.probe().fabrics().forEach(f -> assertEquals(FabricType.FPGA, f.fabricType()));
        }
        catch (ProbeUnavailableException e) {
            assertTrue(e.getMessage().startsWith("fpga-sysfs: "), e.getMessage());
        }
    }
}
