package io.fabricstitch.agent;

import io.fabricstitch.agent.ProbeRunner;
import io.fabricstitch.agent.probe.DetectedFabric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes one device seen by several probes one fabric: sightings with the same PCI address (or, without one, the same
 * device key) are one device, described by the probe of highest precedence and completed by the others' vendor
 * identifiers (an NVIDIA GPU seen by nvidia-smi and by OpenCL keeps nvidia-smi's description and gains its OpenCL
 * platform and device); order of first sighting is kept. Not API.
 */
final class InventoryMerger {
    private InventoryMerger() {
    }

    /** One entry per device. */
    public static List<DetectedFabric> merge(List<ProbeRunner.Sighting> sightings) {
        Map<String, List<ProbeRunner.Sighting>> byDevice = new LinkedHashMap<>();
        for (ProbeRunner.Sighting s : sightings)
            byDevice.computeIfAbsent(s.fabric.claimKey(), k -> new ArrayList<>()).add(s);
        List<DetectedFabric> merged = new ArrayList<>(byDevice.size());
        for (List<ProbeRunner.Sighting> group : byDevice.values()) {
            ProbeRunner.Sighting best = group.get(0);
            for (ProbeRunner.Sighting s : group) {
                if (s.precedence > best.precedence)
                    best = s;
            }
            DetectedFabric d = best.fabric;
            List<ProbeRunner.Sighting> others = new ArrayList<>(group);
            others.remove(best);
            others.sort((a, b) -> Integer.compare(b.precedence, a.precedence));
            for (ProbeRunner.Sighting s : others)
                d = d.mergedWith(s.fabric);
            merged.add(d);
        }
        return merged;
    }
}
