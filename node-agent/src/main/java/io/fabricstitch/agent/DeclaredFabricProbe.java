package io.fabricstitch.agent;

import io.fabricstitch.agent.probe.ProbeResult;
import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.FabricProbe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Reports the {@link DeclaredFabric}s of the configuration as devices. Declarations are checked when the probe is
 * built, so a misconfigured node fails at start with a message naming the declaration, not later.
 */
public final class DeclaredFabricProbe implements FabricProbe {
    private final List<DetectedFabric> fabrics;

    /**
     * @throws IllegalArgumentException naming an invalid declaration, or a name declared twice
     */
    public DeclaredFabricProbe(List<DeclaredFabric> declared) {
        List<DetectedFabric> list = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (DeclaredFabric d : declared) {
            DetectedFabric f = d.toDetected();
            if (!names.add(d.getName()))
                throw new IllegalArgumentException("declared fabric '" + d.getName()
                    + "': name declared twice (expected: unique names per node)");
            list.add(f);
        }
        fabrics = List.copyOf(list);
    }

    @Override
    public String name() {
        return "declared";
    }

    @Override
    public ProbeResult probe() {
        return ProbeResult.of(fabrics);
    }
}
