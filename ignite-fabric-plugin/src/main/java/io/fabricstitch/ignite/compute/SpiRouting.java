package io.fabricstitch.ignite.compute;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricType;
import java.util.EnumSet;
import java.util.Set;
import org.apache.ignite.Ignite;
import org.apache.ignite.spi.IgniteSpiException;

/**
 * The defaults one {@link FabricLoadBalancingSpi} or {@link FabricFailoverSpi} started with, and the engine's router
 * for them, looked up on the node's plugin when the SPI first routes a job. Thread-safe.
 */
final class SpiRouting {
    private final Set<FabricType> defaultTypes;
    private final String defaultPriority;
    private volatile ComputeEngine.JobRouting routing;

    private SpiRouting(Set<FabricType> defaultTypes, String defaultPriority) {
        this.defaultTypes = defaultTypes;
        this.defaultPriority = defaultPriority;
    }

    /** Any fabric type, priority {@value PriorityClass#BALANCED}: an SPI's defaults before it starts. */
    static SpiRouting defaults() {
        return new SpiRouting(EnumSet.allOf(FabricType.class), PriorityClass.BALANCED);
    }

    /**
     * The routing of an SPI with these defaults.
     *
     * @throws IgniteSpiException naming the bad default
     */
    static SpiRouting of(String fabricTypes, String priority, String spi) throws IgniteSpiException {
        try {
            Checks.name(priority, "defaultPriority");
            Set<FabricType> types = EnumSet.noneOf(FabricType.class);
            for (String t : fabricTypes.split(",")) {
                if (!t.isBlank())
                    types.add(FabricType.parse(t));
            }
            return new SpiRouting(types.isEmpty() ? EnumSet.allOf(FabricType.class) : types, priority);
        }
        catch (IllegalArgumentException e) {
            throw new IgniteSpiException(spi + ": " + e.getMessage());
        }
    }

    /**
     * The engine's router on {@code ignite}'s node.
     *
     * @throws IllegalStateException when the node runs without Fabric Stitch
     */
    ComputeEngine.JobRouting on(Ignite ignite) {
        ComputeEngine.JobRouting r = routing;
        if (r == null) {
            r = ComputeEngine.of(ignite).jobRouting(defaultTypes, defaultPriority);
            routing = r;
        }
        return r;
    }

    /** Forgets the router's cached state; the SPI calls it when it stops. */
    void clear() {
        ComputeEngine.JobRouting r = routing;
        if (r != null)
            r.clear();
    }
}
