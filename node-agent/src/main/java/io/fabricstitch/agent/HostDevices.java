package io.fabricstitch.agent;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.opencl.OpenClProbe;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * Rules about a host's devices taken as a whole, before an agent reports them: the vendor ordinals AMD and Intel
 * runtimes select GPUs by, and how an OpenCL CPU device's cores are set aside from the CPU fabric.
 */
final class HostDevices {
    private HostDevices() {
    }

    /**
     * The devices with {@link DeviceBinding#VENDOR_ORDINAL} set on every AMD and Intel GPU with a PCI address: its
     * position among the host's GPUs of its vendor in PCI address order (ROCm's and Level Zero's default order).
     */
    static List<DetectedFabric> withVendorOrdinals(List<DetectedFabric> devices) {
        Map<String, List<DetectedFabric>> byVendor = new HashMap<>();
        for (DetectedFabric d : devices) {
            String v = d.vendor().toLowerCase(Locale.ROOT);
            if (d.fabricType() == FabricType.GPU && !d.simulated() && d.pciAddress().isPresent()
                && (v.equals("amd") || v.equals("intel")))
                byVendor.computeIfAbsent(v, k -> new ArrayList<>()).add(d);
        }
        Map<DetectedFabric, Integer> ordinal = new HashMap<>();
        for (List<DetectedFabric> gpus : byVendor.values()) {
            gpus.sort(Comparator.comparing(d -> d.pciAddress().orElseThrow()));
            for (int i = 0; i < gpus.size(); i++)
                ordinal.put(gpus.get(i), i);
        }
        List<DetectedFabric> out = new ArrayList<>(devices.size());
        for (DetectedFabric d : devices) {
            Integer i = ordinal.get(d);
            if (i == null)
                out.add(d);
            else {
                Map<String, String> h = new TreeMap<>(d.handles());
                h.put(DeviceBinding.VENDOR_ORDINAL, Integer.toString(i));
                out.add(d.toBuilder().handles(h).build());
            }
        }
        return out;
    }

    /**
     * Pairs the OpenCL devices whose driver gives no PCI address (no {@code cl_khr_pci_bus_info}: some FPGA runtimes,
     * older GPU drivers) with the card another probe reports, so that one card is one fabric: for each vendor and type,
     * exactly one such OpenCL device and exactly one real device without OpenCL identifiers are one device (the other
     * probe's sighting, completed by OpenCL's identifiers and features); with more of either, which is which cannot be
     * told, and the OpenCL sightings are left out, each with a warning. OpenCL CPU devices are left alone.
     *
     * @param warn told one line per OpenCL sighting left out
     */
    static List<DetectedFabric> pairUnaddressedOpenCl(List<DetectedFabric> devices,
        java.util.function.Consumer<String> warn) {
        Map<String, List<DetectedFabric>> unaddressed = new HashMap<>();
        Map<String, List<DetectedFabric>> others = new HashMap<>();
        for (DetectedFabric d : devices) {
            if (d.simulated() || d.fabricType() == FabricType.CPU || d.vendor().isEmpty())
                continue;
            String group = d.vendor().toLowerCase(Locale.ROOT) + '|' + d.fabricType();
            if (d.hasOpenCl() && d.pciAddress().isEmpty() && OpenClProbe.NAME.equals(d.source()))
                unaddressed.computeIfAbsent(group, k -> new ArrayList<>()).add(d);
            else if (!d.hasOpenCl())
                others.computeIfAbsent(group, k -> new ArrayList<>()).add(d);
        }
        Map<DetectedFabric, DetectedFabric> replaced = new HashMap<>();
        java.util.Set<DetectedFabric> dropped = new java.util.HashSet<>();
        unaddressed.forEach((group, cl) -> {
            List<DetectedFabric> cards = others.getOrDefault(group, List.of());
            if (cards.isEmpty())
                return;
            if (cl.size() == 1 && cards.size() == 1) {
                replaced.put(cards.get(0), cards.get(0).mergedWith(cl.get(0)));
                dropped.add(cl.get(0));
                return;
            }
            for (DetectedFabric d : cl) {
                dropped.add(d);
                warn.accept("OpenCL device " + d.model() + " (" + d.deviceKey() + ") left out: its driver gives no PCI "
                    + "address, and " + cards.size() + " " + d.vendor() + ' ' + d.fabricType() + " card(s) seen by "
                    + "other probes could be it (expected: a driver with cl_khr_pci_bus_info, or one card of the kind)");
            }
        });
        List<DetectedFabric> out = new ArrayList<>(devices.size());
        for (DetectedFabric d : devices) {
            if (!dropped.contains(d))
                out.add(replaced.getOrDefault(d, d));
        }
        return out;
    }

    /** What {@link #shareCores} decided. */
    static final class CoreShare {
        final List<DetectedFabric> devices;
        final List<DetectedFabric> left;
        final long setAside;

        CoreShare(List<DetectedFabric> devices, List<DetectedFabric> left, long setAside) {
            this.devices = devices;
            this.left = left;
            this.setAside = setAside;
        }
    }

    /**
     * Sets the cores of real CPU devices other than the host CPU (OpenCL CPU devices, each a share of the same cores)
     * aside from the host CPU fabric, so that no core is counted twice: the host CPU reports the cores left, at least
     * one; a device whose share no longer fits is left out.
     *
     * @param isHostCpu which device is the host CPU fabric
     */
    static CoreShare shareCores(List<DetectedFabric> devices, Predicate<DetectedFabric> isHostCpu) {
        DetectedFabric host = devices.stream().filter(isHostCpu).findFirst().orElse(null);
        if (host == null)
            return new CoreShare(devices, List.of(), 0);
        long remaining = host.resourceCount();
        List<DetectedFabric> kept = new ArrayList<>();
        List<DetectedFabric> left = new ArrayList<>();
        for (DetectedFabric d : devices) {
            boolean share = d != host && d.fabricType() == FabricType.CPU && !d.simulated();
            if (share && remaining - d.resourceCount() < 1)
                left.add(d);
            else {
                if (share)
                    remaining -= d.resourceCount();
                kept.add(d);
            }
        }
        long setAside = host.resourceCount() - remaining;
        if (setAside > 0) {
            DetectedFabric cpu = host.toBuilder().resourceCount(remaining).resourceFree(remaining).build();
            kept.replaceAll(d -> d == host ? cpu : d);
        }
        return new CoreShare(kept, left, setAside);
    }
}
