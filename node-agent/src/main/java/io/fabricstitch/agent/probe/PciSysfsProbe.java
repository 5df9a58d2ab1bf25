package io.fabricstitch.agent.probe;

import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds GPUs, FPGAs and processing accelerators by scanning PCI devices in sysfs.
 * <p>
 * Needs {@code <sysRoot>/bus/pci/devices/<address>/{class,vendor,device}}; reads {@code mem_info_vram_total} and
 * {@code mem_info_vram_used} where the driver exposes them (AMD GPUs), and optionally a {@code pci.ids} file for
 * model names. Rules, in order:
 * <ul>
 *     <li>vendor 0x10ee (Xilinx/AMD) or 0x1172 (Altera) is an FPGA, whatever its class;</li>
 *     <li>class 0x0300 (VGA), 0x0302 (3D) or 0x0380 (other display controller, as AMD Instinct and Intel data
 *     centre GPUs report) from NVIDIA, AMD or Intel is a GPU;</li>
 *     <li>class 0x12 (processing accelerator) is an ASIC;</li>
 *     <li>everything else (emulated VGA, NICs, bridges, virtio) is ignored.</li>
 * </ul>
 * Model: {@code <vendor> <device name from pci.ids>}, else {@code <vendor> 0x<device>}; the vendor is the short
 * name for the five vendors above, else the pci.ids vendor name, else {@code vendor 0x<id>}. Resources: MiB of VRAM
 * where sysfs reports it, else one device. Lowest precedence: tools that know more about a device win.
 */
public final class PciSysfsProbe implements FabricProbe {
    /** This probe's name. */
    public static final String NAME = "pci-sysfs";

    private static final long MIB = 1024L * 1024L;
    private static final int NVIDIA = 0x10de;
    private static final int AMD = 0x1002;
    private static final int INTEL = 0x8086;
    private static final int XILINX = 0x10ee;
    private static final int ALTERA = 0x1172;
    private static final Map<Integer, String> SHORT_VENDOR_NAMES =
        Map.of(NVIDIA, "NVIDIA", AMD, "AMD", INTEL, "Intel", XILINX, "Xilinx", ALTERA, "Altera");
    private static final Set<Integer> GPU_VENDORS = Set.of(NVIDIA, AMD, INTEL);
    private static final Set<Integer> GPU_SUBCLASSES = Set.of(0x0300, 0x0302, 0x0380);
    private static final List<Path> HOST_PCI_IDS =
        List.of(Path.of("/usr/share/misc/pci.ids"), Path.of("/usr/share/hwdata/pci.ids"));

    private final Path sysRoot;
    private final PciIds pciIds;

    /**
     * @param sysRoot where sysfs is mounted, normally {@code /sys}
     * @param pciIdsFile a {@code pci.ids} file for model names; null or missing means names from PCI ids
     */
    public PciSysfsProbe(Path sysRoot, Path pciIdsFile) {
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
        this.pciIds = new PciIds(pciIdsFile);
    }

    /** This host: {@code /sys} and the first of {@code /usr/share/misc/pci.ids}, {@code /usr/share/hwdata/pci.ids}. */
    public static PciSysfsProbe ofHost() {
        return new PciSysfsProbe(Path.of("/sys"), hostPciIds());
    }

    /** The host's {@code pci.ids}: the first of {@code /usr/share/misc/pci.ids}, {@code /usr/share/hwdata/pci.ids}; null if none. */
    public static Path hostPciIds() {
        return HOST_PCI_IDS.stream().filter(Files::isRegularFile).findFirst().orElse(null);
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
    public ProbeResult probe() throws ProbeUnavailableException {
        List<String> warnings = new ArrayList<>();
        List<PciDevice> found = new ArrayList<>();
        for (Path dir : listDevices(sysRoot.resolve("bus/pci/devices"))) {
            try {
                PciDevice d = readDevice(dir);
                if (d.type != null)
                    found.add(d);
            }
            catch (SkippedInputException e) {
                warnings.add(e.getMessage());
            }
        }
        pciIds.load(found.stream().map(d -> d.vendor).collect(Collectors.toSet()), warnings);
        List<DetectedFabric> fabrics = new ArrayList<>();
        for (PciDevice d : found)
            fabrics.add(toFabric(d, warnings));
        return ProbeResult.of(fabrics, warnings);
    }

    private static List<Path> listDevices(Path devices) throws ProbeUnavailableException {
        try (Stream<Path> s = Files.list(devices)) {
            return s.sorted().collect(Collectors.toList());
        }
        catch (NoSuchFileException | NotDirectoryException e) {
            throw new ProbeUnavailableException(NAME + ": " + devices + " not found (expected: sysfs with PCI devices)", e);
        }
        catch (IOException e) {
            throw new ProbeUnavailableException(NAME + ": " + devices + " " + ProbeText.describe(e)
                + " (expected: a readable directory)", e);
        }
    }

    private static PciDevice readDevice(Path dir) throws SkippedInputException {
        String name = dir.getFileName().toString();
        String address;
        try {
            address = DetectedFabric.normalizePciAddress(name);
        }
        catch (IllegalArgumentException e) {
            throw new SkippedInputException(dir + ": " + ProbeText.quote(name)
                + " (expected: a PCI address like 0000:3b:00.0); entry skipped");
        }
        String skipped = "device " + name + " skipped";
        int cls = (int)readHex(dir.resolve("class"), 0xFFFFFF, skipped);
        int vendor = (int)readHex(dir.resolve("vendor"), 0xFFFF, skipped);
        int device = (int)readHex(dir.resolve("device"), 0xFFFF, skipped);
        return new PciDevice(dir, address, cls, vendor, device, classify(cls, vendor));
    }

    private static long readHex(Path file, long max, String consequence) throws SkippedInputException {
        String text = ProbeText.readOrSkip(file, consequence);
        long v = ProbeText.parseHex(text, max);
        if (v < 0)
            throw new SkippedInputException(file + ": " + ProbeText.quote(text.strip()) + " (expected: hex 0x0.."
                + String.format("0x%x", max) + "); " + consequence);
        return v;
    }

    /** The fabric type of a PCI function, or null when it is no accelerator. */
    static FabricType classify(int classCode, int vendor) {
        if (vendor == XILINX || vendor == ALTERA)
            return FabricType.FPGA;
        if (GPU_SUBCLASSES.contains(classCode >>> 8) && GPU_VENDORS.contains(vendor))
            return FabricType.GPU;
        if (classCode >>> 16 == 0x12)
            return FabricType.ASIC;
        return null;
    }

    private DetectedFabric toFabric(PciDevice d, List<String> warnings) {
        long[] vram = d.type == FabricType.GPU ? vramMiB(d, warnings) : null;
        Set<String> features = new TreeSet<>(List.of(ProbeText.feature("pci-class-", ProbeText.hex4(d.cls >>> 8)),
            ProbeText.feature("vendor-", ProbeText.hex4(d.vendor))));
        return DetectedFabric.builder()
            .deviceKey("pci:" + d.address)
            .pciAddress(d.address)
            .source(NAME)
            .fabricType(d.type)
            .model(model(d))
            .resourceUnit(vram != null ? "MiB" : "devices")
            .resourceCount(vram != null ? vram[0] : 1)
            .resourceFree(vram != null ? vram[1] : 1)
            .features(features)
            .vendor(SHORT_VENDOR_NAMES.getOrDefault(d.vendor, pciIds.vendorName(d.vendor).orElse("")))
            .handles(Map.of(DeviceBinding.DEVICE_PATH, d.dir.toString()))
            .build();
    }

    /**
     * The short name of a PCI vendor this probe classifies by ({@code NVIDIA}, {@code AMD}, {@code Intel},
     * {@code Xilinx}, {@code Altera}): the vendor every probe reports for such a device, so that sightings of one
     * card by different probes agree on it.
     */
    public static java.util.Optional<String> shortVendorName(int pciVendorId) {
        return java.util.Optional.ofNullable(SHORT_VENDOR_NAMES.get(pciVendorId));
    }

    private String model(PciDevice d) {
        String vendor = SHORT_VENDOR_NAMES.get(d.vendor);
        if (vendor == null)
            vendor = pciIds.vendorName(d.vendor).orElse("vendor " + ProbeText.hex4(d.vendor));
        String device = pciIds.deviceName(d.vendor, d.device).orElse(ProbeText.hex4(d.device));
        return ProbeText.model(vendor + ' ' + device);
    }

    /** {total, free} MiB of VRAM from the amdgpu files, or null when absent or unusable (then one warning). */
    private static long[] vramMiB(PciDevice d, List<String> warnings) {
        Path total = d.dir.resolve("mem_info_vram_total");
        if (!Files.exists(total))
            return null;
        String consequence = "device " + d.address + " counted as 1 device";
        try {
            long totalBytes = readDecimal(total, consequence);
            long usedBytes = readDecimal(d.dir.resolve("mem_info_vram_used"), consequence);
            long count = totalBytes / MIB;
            if (count < 1)
                throw new SkippedInputException(total + ": " + totalBytes + " (expected: at least 1 MiB); " + consequence);
            long free = Math.max(0, Math.min(count, (totalBytes - Math.min(usedBytes, totalBytes)) / MIB));
            return new long[] {count, free};
        }
        catch (SkippedInputException e) {
            warnings.add(e.getMessage());
            return null;
        }
    }

    private static long readDecimal(Path file, String consequence) throws SkippedInputException {
        String text = ProbeText.readOrSkip(file, consequence);
        long v = ProbeText.parseDecimal(text);
        if (v < 0)
            throw new SkippedInputException(file + ": " + ProbeText.quote(text.strip())
                + " (expected: a decimal number of bytes); " + consequence);
        return v;
    }

    /** One PCI function as read from sysfs; {@code type} null when it is no accelerator. */
    private record PciDevice(Path dir, String address, int cls, int vendor, int device, FabricType type) {
    }
}
