package io.fabricstitch.ignite;

import io.fabricstitch.agent.FabricAgent;
import io.fabricstitch.ignite.compute.ComputeEngine;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.model.FabricEntry;
import java.net.URI;
import java.util.List;
import java.util.Optional;
import org.apache.ignite.Ignite;
import org.apache.ignite.plugin.IgnitePlugin;

/**
 * The plugin's face on a node: what this node's agent reports, what the whole Fabric Map holds, fault injection, the
 * web console's address and the {@link FabricCompute} API. Reach it with {@link #of(Ignite)}:
 * <pre>{@code
 * for (FabricEntry f : FabricStitch.of(ignite).fabricMap())
 *     System.out.println(f.getFabricType() + " " + f.getModel() + ": " + f.getStatus());
 * }</pre>
 */
public interface FabricStitch extends IgnitePlugin {
    /**
     * The plugin of a started node.
     *
     * @throws IllegalStateException when the node runs without Fabric Stitch
     */
    static FabricStitch of(Ignite ignite) {
        return (FabricStitch)ComputeEngine.of(ignite);
    }

    /** The node's plugin configuration. */
    FabricPluginConfiguration configuration();

    /** Fabrics this node's agent reports now (status, measured speeds); empty on client nodes. */
    List<FabricEntry> localFabrics();

    /** Every fabric in the Fabric Map, of every node, with its functions (read from this node's live copy). */
    List<FabricEntry> fabricMap();

    /**
     * The acceleration API of this node.
     *
     * @throws IllegalStateException before the plugin started
     */
    FabricCompute compute();

    /**
     * Fault injection into this node's declared fabrics (also registered as a JMX MBean, see
     * {@link FabricFaultsMXBean}).
     *
     * @throws IllegalStateException on client nodes, which host no fabrics
     */
    FabricFaultsMXBean faults();

    /** This node's agent; null on client nodes. */
    FabricAgent agent();

    /**
     * The address of this node's web console, e.g. {@code http://127.0.0.1:8090/}; empty on client nodes, when
     * {@code console.enabled} is false, or when no port was free.
     */
    Optional<URI> consoleAddress();
}
