package io.fabricstitch.agent.probe;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Lays out a fake sysfs tree under a test's temporary directory, with the symlinks the kernel makes:
 * {@code bus/pci/devices/<addr> -> ../../../devices/pci0000:00/.../<addr>},
 * {@code class/fpga_manager/<mgr> -> ../../devices/.../fpga_manager/<mgr>}, and {@code device} links to parents.
 */
final class FakeSysfs {
    private final Path root;

    FakeSysfs(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /**
     * A PCI function under {@code devices/<parentPath>/<address>} with its class, vendor and device files
     * (written as given, plus a newline), listed in {@code bus/pci/devices}.
     */
    Path pciDevice(String parentPath, String address, String cls, String vendor, String device) {
        Path dir = dir("devices/" + parentPath + "/" + address);
        write(dir.resolve("class"), cls + "\n");
        write(dir.resolve("vendor"), vendor + "\n");
        write(dir.resolve("device"), device + "\n");
        link(dir("bus/pci/devices").resolve(address), dir);
        return dir;
    }

    /** A PCI function directly under root port {@code pci0000:00}. */
    Path pciDevice(String address, String cls, String vendor, String device) {
        return pciDevice("pci0000:00", address, cls, vendor, device);
    }

    /**
     * An FPGA manager below the device at {@code devices/<devicePath>}, with {@code name} and {@code state}
     * (each left out when null), a {@code device} link to that device and a {@code class/fpga_manager} entry.
     */
    Path fpgaManager(String devicePath, String manager, String name, String state) {
        Path dir = classDevice(devicePath, "fpga_manager", manager);
        if (name != null)
            write(dir.resolve("name"), name + "\n");
        if (state != null)
            write(dir.resolve("state"), state + "\n");
        return dir;
    }

    /** An FPGA region below the device at {@code devices/<devicePath>}, linked like a manager. */
    Path fpgaRegion(String devicePath, String region) {
        return classDevice(devicePath, "fpga_region", region);
    }

    private Path classDevice(String devicePath, String cls, String entry) {
        Path device = dir("devices/" + devicePath);
        Path dir = dir("devices/" + devicePath + "/" + cls + "/" + entry);
        link(dir.resolve("device"), device);
        link(dir("class/" + cls).resolve(entry), dir);
        return dir;
    }

    /** A directory under the root, with its parents. */
    Path dir(String relative) {
        try {
            return Files.createDirectories(root.resolve(relative));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes a file (replacing it), creating its parents. */
    static Path write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            return Files.writeString(file, content, StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A relative symlink at {@code link} to {@code target}, as sysfs has them. */
    static Path link(Path link, Path target) {
        try {
            Files.createDirectories(link.getParent());
            return Files.createSymbolicLink(link, link.getParent().relativize(target));
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
