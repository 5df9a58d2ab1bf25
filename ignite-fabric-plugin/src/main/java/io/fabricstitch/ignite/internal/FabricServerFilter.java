package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.FabricMapSchema;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgnitePredicate;

/** Server nodes running the Fabric Stitch plugin: where the orchestrator may run. Not API. */
public final class FabricServerFilter implements IgnitePredicate<ClusterNode> {
    private static final long serialVersionUID = 1L;

    @Override
    public boolean apply(ClusterNode node) {
        return !node.isClient() && node.attribute(FabricMapSchema.ATTR_VERSION) != null;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FabricServerFilter;
    }

    @Override
    public int hashCode() {
        return FabricServerFilter.class.hashCode();
    }
}
