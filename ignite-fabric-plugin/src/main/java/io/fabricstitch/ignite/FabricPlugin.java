package io.fabricstitch.ignite;

import io.fabricstitch.ignite.internal.FabricMapStore;
import io.fabricstitch.model.FabricEntry;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.plugin.IgnitePlugin;

/**
 * The plugin's face on a node: what this node's agent reports and what the whole Fabric Map holds.
 * Reach it with {@link #of(Ignite)}.
 */
public final class FabricPlugin implements IgnitePlugin {
    private volatile FabricPluginConfiguration configuration;
    private volatile List<FabricEntry> localFabrics = List.of();
    private volatile FabricMapStore store;

    FabricPlugin() {
    }

    /**
     * The plugin of a started node.
     *
     * @throws IllegalStateException when the node runs without Fabric Stitch
     */
    public static FabricPlugin of(Ignite ignite) {
        try {
            return ignite.plugin(FabricPluginProvider.NAME);
        }
        catch (org.apache.ignite.plugin.PluginNotFoundException e) {
            throw new IllegalStateException("node " + ignite.name() + " runs without the Fabric Stitch plugin "
                + "(expected: ignite-fabric-plugin on the classpath, or FabricPluginProvider in pluginProviders)", e);
        }
    }

    /** The node's plugin configuration. */
    public FabricPluginConfiguration configuration() {
        return configuration;
    }

    /** Fabrics this node's agent reports; empty on client nodes. */
    public List<FabricEntry> localFabrics() {
        return localFabrics;
    }

    /** Every fabric in the Fabric Map, of every node, with its functions (a local read on server nodes). */
    public List<FabricEntry> fabricMap() {
        FabricMapStore s = store;
        if (s == null)
            throw new IllegalStateException("the Fabric Map is not open yet (expected: a started node)");
        return s.readAll();
    }

    void configuration(FabricPluginConfiguration cfg) {
        this.configuration = cfg;
    }

    void localFabrics(List<FabricEntry> fabrics) {
        this.localFabrics = List.copyOf(fabrics);
    }

    void store(FabricMapStore store) {
        this.store = store;
    }
}
