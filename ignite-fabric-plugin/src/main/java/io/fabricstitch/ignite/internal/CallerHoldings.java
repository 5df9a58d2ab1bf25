package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.ignite.compute.HeldPlacement;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * What every caller holds, asked by an orchestrator that has just started: each node with the plugin answers with
 * its {@link io.fabricstitch.ignite.compute.FabricCompute#heldPlacements() held placements}. A node that does not
 * answer within the patience is left out (its reservations stay as the ledger has them, and its releases arrive
 * when it retries them). Not API.
 */
final class CallerHoldings {
    private CallerHoldings() {
    }

    /** The placements held per node that answered within {@code patienceMs}; absent nodes did not answer. */
    static Map<UUID, List<HeldPlacement>> ask(Ignite ignite, long patienceMs, IgniteLogger log) {
        Map<UUID, IgniteFuture<List<HeldPlacement>>> asked = new HashMap<>();
        for (ClusterNode n : ignite.cluster().nodes()) {
            if (n.attribute(FabricMapSchema.ATTR_VERSION) == null)
                continue;
            try {
                asked.put(n.id(), ignite.compute(ignite.cluster().forNodeId(n.id())).withNoFailover()
                    .withTimeout(patienceMs).callAsync(new Ask()));
            }
            catch (RuntimeException e) {
                if (log.isInfoEnabled())
                    log.info("Fabric Stitch: orchestrator could not ask node " + n.consistentId() + " what it holds: "
                        + e);
            }
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(patienceMs);
        Map<UUID, List<HeldPlacement>> answers = new HashMap<>();
        for (Map.Entry<UUID, IgniteFuture<List<HeldPlacement>>> e : asked.entrySet()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                answers.put(e.getKey(), e.getValue().get(Math.max(1, left)));
            }
            catch (RuntimeException ex) {
                if (log.isInfoEnabled())
                    log.info("Fabric Stitch: node " + e.getKey() + " did not say what it holds within " + patienceMs
                        + " ms (" + ex.getMessage() + "); its reservations stay as the ledger has them");
            }
        }
        return answers;
    }

    /** Runs on each node: the placements its callers hold. */
    private static final class Ask implements IgniteCallable<List<HeldPlacement>> {
        private static final long serialVersionUID = 1L;

        @IgniteInstanceResource
        private transient Ignite ignite;

        @Override
        public List<HeldPlacement> call() {
            return FabricPlugin.of(ignite).compute().heldPlacements();
        }
    }
}
