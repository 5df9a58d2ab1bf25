package io.fabricstitch.agent.internal;

import io.fabricstitch.agent.DetectedFabric;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes one device seen by several probes one fabric: sightings with the same PCI address (or, without one, the same
 * device key) are one device, described by the probe of highest precedence; order of first sighting is kept.
 * Not API.
 */
public final class InventoryMerger {
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
            merged.add(best.fabric);
        }
        return merged;
    }
}
