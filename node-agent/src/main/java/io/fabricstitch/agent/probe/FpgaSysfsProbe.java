package io.fabricstitch.agent.probe;

import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Finds FPGAs through the kernel's FPGA manager framework.
 * <p>
 * Needs {@code <sysRoot>/class/fpga_manager/<mgr>/} (files {@code name}, {@code state}, link {@code device}) and
 * reads {@code <sysRoot>/class/fpga_region/<region>/device}. One fabric per manager: key {@code fpga:<pci address>}
 * (the nearest PCI device above the manager), else {@code fpga:<mgr>}; resources are its regions (a region belongs
 * to the manager on the same PCI device or, without one, the same parent device; at least 1). A state containing
 * {@code error} makes it DEGRADED. Unavailable when neither class directory exists. Ranks above the PCI scan.
 */
public final class FpgaSysfsProbe implements FabricProbe {
    /** This probe's name. */
    public static final String NAME = "fpga-sysfs";

    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    private final Path sysRoot;

    /** @param sysRoot where sysfs is mounted, normally {@code /sys} */
    public FpgaSysfsProbe(Path sysRoot) {
        this.sysRoot = Objects.requireNonNull(sysRoot, "sysRoot");
    }

    /** This host: {@code /sys}. */
    public static FpgaSysfsProbe ofHost() {
        return new FpgaSysfsProbe(Path.of("/sys"));
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int precedence() {
        return 10;
    }

    @Override
    public ProbeResult probe() throws ProbeUnavailableException {
        Path managerDir = sysRoot.resolve("class/fpga_manager");
        Path regionDir = sysRoot.resolve("class/fpga_region");
        if (!Files.isDirectory(managerDir) && !Files.isDirectory(regionDir))
            throw new ProbeUnavailableException(NAME + ": " + managerDir + " and " + regionDir
                + " not found (expected: a kernel with the FPGA manager framework)");
        List<String> warnings = new ArrayList<>();
        List<Manager> managers = new ArrayList<>();
        for (Path entry : list(managerDir)) {
            if (Files.isDirectory(entry))
                managers.add(readManager(entry, warnings));
            else
                warnings.add(entry + ": not a directory (expected: an FPGA manager); skipped");
        }
        for (Path entry : list(regionDir))
            assignRegion(entry, managers, warnings);
        List<DetectedFabric> fabrics = new ArrayList<>();
        for (Manager m : managers) {
            try {
                fabrics.add(toFabric(m));
            }
            catch (IllegalArgumentException e) {
                warnings.add(NAME + ": manager " + m.dir + ": " + e.getMessage() + "; skipped");
            }
        }
        return ProbeResult.of(fabrics, warnings);
    }

    /** The entries of a class directory, sorted; none when it does not exist. */
    private static List<Path> list(Path dir) throws ProbeUnavailableException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().collect(Collectors.toList());
        }
        catch (NoSuchFileException | NotDirectoryException e) {
            return List.of();
        }
        catch (IOException e) {
            throw new ProbeUnavailableException(NAME + ": " + dir + " " + ProbeText.describe(e)
                + " (expected: a readable directory)", e);
        }
    }

    private static Manager readManager(Path entry, List<String> warnings) {
        String dir = entry.getFileName().toString();
        String name = readAttribute(entry.resolve("name"), warnings);
        String state = readAttribute(entry.resolve("state"), warnings);
        Path device = resolveDevice(entry, warnings);
        String model = ProbeText.model(name);
        return new Manager(dir, model != null ? model : "FPGA manager " + dir,
            state == null ? null : state.strip(), device, pciAddressOf(device));
    }

    /** A manager attribute; null when missing (silently) or unreadable (with a warning). */
    private static String readAttribute(Path file, List<String> warnings) {
        try {
            return ProbeText.read(file);
        }
        catch (NoSuchFileException e) {
            return null;
        }
        catch (IOException e) {
            warnings.add(file + ": " + ProbeText.describe(e) + " (expected: a readable file); left out");
            return null;
        }
    }

    /** The real path of {@code entry/device}; null when there is no link or it leads nowhere (with a warning). */
    private static Path resolveDevice(Path entry, List<String> warnings) {
        Path link = entry.resolve("device");
        if (!Files.exists(link, LinkOption.NOFOLLOW_LINKS))
            return null;
        try {
            return link.toRealPath();
        }
        catch (IOException e) {
            warnings.add(link + ": " + ProbeText.describe(e) + " (expected: a link to the parent device); "
                + "PCI address unknown");
            return null;
        }
    }

    /** The deepest path component that is a PCI address, or null. */
    static String pciAddressOf(Path device) {
        if (device == null)
            return null;
        for (int i = device.getNameCount() - 1; i >= 0; i--) {
            String part = device.getName(i).toString();
            if (PCI_ADDRESS.matcher(part).matches())
                return part;
        }
        return null;
    }

    private static void assignRegion(Path entry, List<Manager> managers, List<String> warnings) {
        Path device = resolveDevice(entry, warnings);
        String pci = pciAddressOf(device);
        for (Manager m : managers) {
            boolean same = pci != null ? pci.equals(m.pci)
                : m.pci == null && device != null && device.equals(m.device);
            if (same) {
                m.regions++;
                return;
            }
        }
        warnings.add(NAME + ": region " + entry.getFileName() + " on " + (pci != null ? pci : device)
            + " (expected: on the device of an FPGA manager); not counted");
    }

    private static DetectedFabric toFabric(Manager m) {
        DetectedFabric.Builder b = DetectedFabric.builder()
            .deviceKey("fpga:" + (m.pci != null ? m.pci : m.dir))
            .pciAddress(m.pci)
            .source(NAME)
            .fabricType(FabricType.FPGA)
            .model(m.model)
            .resourceUnit("regions")
            .resourceCount(Math.max(1, m.regions))
            .resourceFree(Math.max(1, m.regions))
            .handles(handles(m));
        if (m.state != null && !m.state.isEmpty()) {
            b.features(List.of(ProbeText.feature("state-", m.state)));
            if (m.state.toLowerCase(Locale.ROOT).contains("error"))
                b.status(FabricStatus.DEGRADED, "fpga manager " + m.dir + " state: " + m.state);
        }
        return b.build();
    }

    /** What a task needs to reach the FPGA: its manager, and the device the manager sits on. */
    private static java.util.Map<String, String> handles(Manager m) {
        java.util.Map<String, String> h = new java.util.TreeMap<>();
        h.put(DeviceBinding.FPGA_MANAGER, m.dir);
        if (m.device != null)
            h.put(DeviceBinding.DEVICE_PATH, m.device.toString());
        return h;
    }

    /** One FPGA manager and the regions found on its device. */
    private static final class Manager {
        final String dir;
        final String model;
        final String state;
        final Path device;
        final String pci;
        int regions;

        Manager(String dir, String model, String state, Path device, String pci) {
            this.dir = dir;
            this.model = model;
            this.state = state;
            this.device = device;
            this.pci = pci;
        }
    }
}
