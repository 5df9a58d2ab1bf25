package io.fabricstitch.ignite.internal;

import org.apache.ignite.Ignite;
import org.apache.ignite.internal.GridInternalWrapper;
import org.apache.ignite.internal.IgniteEx;

/**
 * The one place Fabric Stitch touches Ignite's internal API, which has no compatibility promise: checked against
 * Ignite 2.17. Not API. ({@link UserCodeTask} is the other: Ignite looks for its internal interface on the task
 * itself, so it cannot live here.)
 */
public final class IgniteInternals {
    private IgniteInternals() {
    }

    /**
     * The partition exchange this node last finished (its affinity topology version, as an opaque value to compare with
     * {@code equals}), or {@code null} while one is in progress. Every cache write waits for an exchange, which a
     * server joining or leaving starts: the agents' heartbeats included.
     */
    public static Object finishedExchange(Ignite ignite) {
        org.apache.ignite.internal.processors.cache.GridCachePartitionExchangeManager<?, ?> exchange =
            ((IgniteEx)ignite).context().cache().context().exchange();
        return exchange.lastTopologyFuture().isDone() ? exchange.readyAffinityVersion() : null;
    }

    /**
     * The user's object inside a job Ignite made from a closure ({@code compute().call(callable)} wraps the callable
     * in an internal job class); the job itself otherwise.
     */
    public static Object userObject(Object job) {
        Object o = job;
        for (int depth = 0; depth < 4 && o instanceof GridInternalWrapper; depth++) {
            Object inner = ((GridInternalWrapper<?>)o).userObject();
            if (inner == null || inner == o)
                break;
            o = inner;
        }
        return o;
    }

    /**
     * The local node's consistent id, readable from {@code PluginProvider.start} on, before the local node joins. By
     * then it is final: Ignite 2.17 reads it once, when the cache processor starts (before plugins start), through
     * {@code GridDiscoveryManager.consistentId()}, which {@code TcpDiscoverySpi.consistentId()} answers with the
     * configured {@code consistentId}, else (a server) the sorted local addresses and the discovery port it binds then,
     * else (a client) the node id; it caches the answer, and the local node carries it. So setting
     * {@code IgniteConfiguration.consistentId} from a plugin's {@code start} would be read by nobody.
     */
    @SuppressWarnings("deprecation")
    public static String consistentId(Ignite ignite) {
        return String.valueOf(((IgniteEx)ignite).context().discovery().consistentId());
    }
}
