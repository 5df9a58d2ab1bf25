package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.ComputeEngine;
import io.fabricstitch.ignite.compute.FabricFailoverException;
import io.fabricstitch.ignite.compute.FabricFailoverSpi;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.apache.ignite.IgniteException;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobContext;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeTaskSession;
import org.apache.ignite.spi.failover.FailoverContext;

/**
 * The engine side of one {@link io.fabricstitch.ignite.compute.FabricLoadBalancingSpi} or {@link FabricFailoverSpi}:
 * routes plain compute jobs with a {@link JobRouter} of the SPI's defaults and counts each routing in the node's
 * metrics; for a failed job it keeps, in the job's context, the nodes it failed on, the fabrics lost under it and how
 * many times it was failed over. Thread-safe.
 */
final class SpiJobRouting implements ComputeEngine.JobRouting {
    /** Job context attribute: how many times the job was failed over. */
    static final String ATTEMPTS_ATTR = "fabric.stitch.failover.attempts";

    /** Job context attribute: nodes the job failed on. */
    static final String FAILED_NODES_ATTR = "fabric.stitch.failover.nodes";

    /** Job context attribute: fabrics that went OFFLINE under the job. */
    static final String FAILED_FABRICS_ATTR = "fabric.stitch.failover.fabrics";

    private final FabricPlugin plugin;
    private final JobRouter router;

    SpiJobRouting(FabricPlugin plugin, Set<FabricType> defaultTypes, String defaultPriority) {
        this.plugin = plugin;
        this.router = new JobRouter(defaultTypes, defaultPriority);
    }

    @Override
    public ClusterNode balance(ComputeTaskSession ses, List<ClusterNode> top, ComputeJob job) {
        ClusterNode node = router.route(plugin, ses, job, top, Set.of()).node;
        plugin.metrics().routed(false);
        return node;
    }

    @Override
    public ClusterNode failover(FailoverContext ctx, List<ClusterNode> top, int maximumFailoverAttempts,
        IgniteLogger log) {
        ComputeJobResult res = ctx.getJobResult();
        ComputeJobContext jobCtx = res.getJobContext();
        Integer done = jobCtx.getAttribute(ATTEMPTS_ATTR);
        int attempts = done == null ? 0 : done;
        if (attempts >= maximumFailoverAttempts) {
            log.warning("Fabric Stitch: job " + jobCtx.getJobId() + " of task " + ctx.getTaskSession().getTaskName()
                + " failed " + (attempts + 1) + " time(s); not failed over again (maximumFailoverAttempts="
                + maximumFailoverAttempts + "): " + message(res.getException()));
            return null;
        }
        Set<UUID> failedNodes = idSet(jobCtx.getAttribute(FAILED_NODES_ATTR));
        Set<UUID> failedFabrics = idSet(jobCtx.getAttribute(FAILED_FABRICS_ATTR));
        FabricFailoverException lostFabric = TaskRun.causeOf(res.getException(), FabricFailoverException.class);
        if (lostFabric != null && lostFabric.fabricId() != null)
            failedFabrics.add(lostFabric.fabricId());
        else
            failedNodes.add(res.getNode().id());
        List<ClusterNode> candidates = new ArrayList<>(top.size());
        for (ClusterNode n : top) {
            if (!failedNodes.contains(n.id()))
                candidates.add(n);
        }
        jobCtx.setAttribute(FAILED_NODES_ATTR, new ArrayList<>(failedNodes));
        jobCtx.setAttribute(FAILED_FABRICS_ATTR, new ArrayList<>(failedFabrics));
        jobCtx.setAttribute(ATTEMPTS_ATTR, attempts + 1);
        if (candidates.isEmpty()) {
            log.warning("Fabric Stitch: job " + jobCtx.getJobId() + " cannot fail over: it failed on every node of "
                + "its task's projection " + failedNodes);
            return null;
        }
        try {
            JobRouter.Route r = router.route(plugin, ctx.getTaskSession(), res.getJob(), candidates, failedFabrics);
            plugin.metrics().routed(true);
            jobCtx.setAttribute(FabricFailoverSpi.FABRIC_ATTR, r.selection.fabric().getFabricId());
            log.info("Fabric Stitch: job " + jobCtx.getJobId() + " failed over from node " + res.getNode()
                .consistentId() + " (" + message(res.getException()) + ") to " + r.selection.fabric().getFabricType()
                + ' ' + r.selection.fabric().getModel() + " on node " + r.node.consistentId() + ", cost "
                + r.selection.terms() + " (failover " + (attempts + 1) + " of " + maximumFailoverAttempts + ')');
            return r.node;
        }
        catch (NoSuitableFabricException e) {
            log.warning("Fabric Stitch: job " + jobCtx.getJobId() + " cannot fail over: " + e.getMessage());
            return null;
        }
    }

    @Override
    public void clear() {
        router.clear();
    }

    private static Set<UUID> idSet(Object attr) {
        Set<UUID> ids = new HashSet<>();
        if (attr instanceof List) {
            for (Object o : (List<?>)attr) {
                if (o instanceof UUID)
                    ids.add((UUID)o);
            }
        }
        return ids;
    }

    private static String message(IgniteException e) {
        return e == null ? "no error" : TaskRun.message(e);
    }
}
