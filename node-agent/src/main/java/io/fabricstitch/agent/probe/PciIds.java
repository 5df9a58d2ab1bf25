package io.fabricstitch.agent.probe;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Vendor and device names from a {@code pci.ids} file, read lazily: only the blocks of vendors asked for, and
 * each vendor at most once per instance (the host file is about 1.3 MB). Not thread-safe beyond its own locking.
 */
final class PciIds {
    private static final Pattern VENDOR_LINE = Pattern.compile("([0-9a-fA-F]{4})\\s+(\\S.*)");
    private static final Pattern DEVICE_LINE = Pattern.compile("\t([0-9a-fA-F]{4})\\s+(\\S.*)");

    private final Path file;
    private final Map<Integer, String> vendorNames = new HashMap<>();
    private final Map<Long, String> deviceNames = new HashMap<>();
    private final Set<Integer> lookedUp = new HashSet<>();
    private boolean failed;

    /** @param file the {@code pci.ids} file; null or missing means no names */
    PciIds(Path file) {
        this.file = file;
    }

    /**
     * Makes sure the blocks of these vendors were read, reading the file once for those not looked up yet.
     * A file that exists but cannot be read adds one warning, and is not tried again.
     */
    synchronized void load(Collection<Integer> vendors, List<String> warnings) {
        Set<Integer> wanted = new HashSet<>(vendors);
        wanted.removeAll(lookedUp);
        if (wanted.isEmpty() || file == null || failed || !Files.exists(file))
            return;
        lookedUp.addAll(wanted);
        try (BufferedReader r = new BufferedReader(
            new InputStreamReader(Files.newInputStream(file), StandardCharsets.UTF_8))) {
            scan(r, wanted);
        }
        catch (IOException e) {
            failed = true;
            warnings.add(file + ": " + ProbeText.describe(e) + " (expected: a readable pci.ids); models use PCI ids");
        }
    }

    /** Reads vendor blocks until every wanted vendor's block has ended. */
    private void scan(BufferedReader r, Set<Integer> wanted) throws IOException {
        int remaining = wanted.size();
        Integer current = null;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            if (line.isEmpty() || line.charAt(0) == '#')
                continue;
            if (line.charAt(0) == '\t') {
                if (current != null)
                    addDevice(current, line);
                continue;
            }
            if (current != null && --remaining == 0)
                return;
            current = null;
            Matcher m = VENDOR_LINE.matcher(line);
            if (m.matches() && wanted.contains(Integer.parseInt(m.group(1), 16))) {
                current = Integer.parseInt(m.group(1), 16);
                vendorNames.put(current, m.group(2).strip());
            }
        }
    }

    private void addDevice(int vendor, String line) {
        Matcher m = DEVICE_LINE.matcher(line);
        if (m.matches())
            deviceNames.put(key(vendor, Integer.parseInt(m.group(1), 16)), m.group(2).strip());
    }

    private static long key(int vendor, int device) {
        return ((long)vendor << 16) | device;
    }

    /** The vendor's name, if its block was loaded. */
    synchronized Optional<String> vendorName(int vendor) {
        return Optional.ofNullable(vendorNames.get(vendor));
    }

    /** The device's name, if its vendor's block was loaded and lists it. */
    synchronized Optional<String> deviceName(int vendor, int device) {
        return Optional.ofNullable(deviceNames.get(key(vendor, device)));
    }
}
