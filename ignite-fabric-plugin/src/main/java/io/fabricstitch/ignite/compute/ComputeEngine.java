package io.fabricstitch.ignite.compute;

import io.fabricstitch.model.FabricType;
import java.util.List;
import java.util.Set;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeTaskSession;
import org.apache.ignite.plugin.IgnitePlugin;
import org.apache.ignite.plugin.PluginNotFoundException;
import org.apache.ignite.spi.failover.FailoverContext;

/**
 * What this package reaches on a node through {@code ignite.plugin(}{@value #PLUGIN_NAME}{@code )}: the engine behind
 * {@link FabricCompute#of(Ignite)}, {@link FabricLoadBalancingSpi} and {@link FabricFailoverSpi}. The plugin
 * implements it; applications use {@link FabricCompute} and the SPIs, not this.
 */
public interface ComputeEngine extends IgnitePlugin {
    /** The plugin's name: {@code ignite.plugin("fabric-stitch")}. */
    String PLUGIN_NAME = "fabric-stitch";

    /**
     * The engine of a started node.
     *
     * @throws IllegalStateException when the node runs without Fabric Stitch
     */
    static ComputeEngine of(Ignite ignite) {
        try {
            return ignite.plugin(PLUGIN_NAME);
        }
        catch (PluginNotFoundException e) {
            throw new IllegalStateException("node " + ignite.name() + " runs without the Fabric Stitch plugin "
                + "(expected: ignite-fabric-plugin on the classpath, or FabricPluginProvider in pluginProviders)", e);
        }
    }

    /**
     * The acceleration API of this node.
     *
     * @throws IllegalStateException before the plugin started
     */
    FabricCompute compute();

    /** A router for one SPI instance, with that SPI's defaults for jobs that name no request. */
    JobRouting jobRouting(Set<FabricType> defaultTypes, String defaultPriority);

    /** The routing of plain Ignite compute jobs behind one {@link FabricLoadBalancingSpi} or {@link FabricFailoverSpi}. */
    interface JobRouting {
        /**
         * The node of the cheapest fabric for {@code job} among {@code top} (two nodes or more).
         *
         * @throws NoSuitableFabricException naming what was asked and why nothing fits
         */
        ClusterNode balance(ComputeTaskSession ses, List<ClusterNode> top, ComputeJob job);

        /**
         * The node a failed job goes to next, never one it failed on nor a fabric lost under it; null when it must
         * fail (out of attempts, or nothing fits), which is logged to {@code log}.
         */
        ClusterNode failover(FailoverContext ctx, List<ClusterNode> top, int maximumFailoverAttempts, IgniteLogger log);

        /** Forgets cached state; the SPI calls it when it stops. */
        void clear();
    }
}
