package io.fabricstitch.ignite.internal;

import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;

/** Who is in the cluster, as the Fabric Map's writers ask it. Not API. */
public final class ClusterNodes {
    private ClusterNodes() {
    }

    /** Whether {@code nodeId} is a server node of the cluster now. */
    public static boolean isLiveServer(Ignite ignite, UUID nodeId) {
        ClusterNode n = nodeId == null ? null : ignite.cluster().node(nodeId);
        return n != null && !n.isClient();
    }

    /** Whether this node is the oldest server, the one that settles the map for the departed (false while it stops). */
    public static boolean isOldestServer(Ignite ignite) {
        try {
            ClusterNode oldest = ignite.cluster().forServers().forOldest().node();
            return oldest != null && oldest.isLocal();
        }
        catch (RuntimeException e) {
            return false;
        }
    }
}
