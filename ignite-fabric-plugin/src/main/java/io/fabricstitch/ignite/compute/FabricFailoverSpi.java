package io.fabricstitch.ignite.compute;

import java.util.List;
import java.util.UUID;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJobContext;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.spi.IgniteSpiAdapter;
import org.apache.ignite.spi.IgniteSpiException;
import org.apache.ignite.spi.IgniteSpiMultipleInstancesSupport;
import org.apache.ignite.spi.collision.jobstealing.JobStealingCollisionSpi;
import org.apache.ignite.spi.failover.FailoverContext;
import org.apache.ignite.spi.failover.FailoverSpi;

/**
 * Ignite's {@link FailoverSpi} with Fabric Stitch's cost function: a failed job goes to the next-best fabric, chosen
 * by the same selector and weights as {@link FabricLoadBalancingSpi}, among the nodes Ignite offers, never back to a
 * node it failed on, nor to a fabric that went OFFLINE under it ({@link FabricFailoverException}: the node's other
 * fabrics stay eligible), at most {@link #getMaximumFailoverAttempts()} times. Configure it with the balancer:
 * <pre>{@code
 * <property name="failoverSpi">
 *   <list><bean class="io.fabricstitch.ignite.compute.FabricFailoverSpi">
 *     <property name="maximumFailoverAttempts" value="3"/>
 *   </bean></list>
 * </property>
 * }</pre>
 * It also carries out Ignite's job stealing ({@link JobStealingCollisionSpi}): a job a thief node stole goes to the
 * thief, as with Ignite's {@code JobStealingFailoverSpi}, so queued work moves to idle nodes of the same fabric kind
 * (restrict stealing with the collision SPI's stealing attributes, e.g. {@code fabric.stitch.types}).
 * <p>
 * Jobs of {@link FabricCompute} do not come here: they hold a reservation, and FabricCompute re-places them through
 * the orchestrator, which releases the dead reservation first.
 */
@IgniteSpiMultipleInstancesSupport(true)
public class FabricFailoverSpi extends IgniteSpiAdapter implements FailoverSpi {
    /** Default most failovers of one job. */
    public static final int DFLT_MAX_FAILOVER_ATTEMPTS = 5;

    /** Job context attribute: the fabric the last failover chose for the job (a UUID). */
    public static final String FABRIC_ATTR = "fabric.stitch.failover.fabric";

    private int maximumFailoverAttempts = DFLT_MAX_FAILOVER_ATTEMPTS;
    private String defaultPriority = PriorityClass.BALANCED;
    private String defaultFabricTypes = "";
    private transient volatile SpiRouting routing = SpiRouting.defaults();

    /** Most failovers of one job before it fails; default {@value #DFLT_MAX_FAILOVER_ATTEMPTS}. */
    public int getMaximumFailoverAttempts() {
        return maximumFailoverAttempts;
    }

    public FabricFailoverSpi setMaximumFailoverAttempts(int maximumFailoverAttempts) {
        this.maximumFailoverAttempts = maximumFailoverAttempts;
        return this;
    }

    /** Priority class of jobs that name none; default {@value PriorityClass#BALANCED}. */
    public String getDefaultPriority() {
        return defaultPriority;
    }

    public FabricFailoverSpi setDefaultPriority(String defaultPriority) {
        this.defaultPriority = defaultPriority;
        return this;
    }

    /** Fabric types of jobs that name none, comma-separated; empty (default) means any. */
    public String getDefaultFabricTypes() {
        return defaultFabricTypes;
    }

    public FabricFailoverSpi setDefaultFabricTypes(String defaultFabricTypes) {
        this.defaultFabricTypes = defaultFabricTypes == null ? "" : defaultFabricTypes;
        return this;
    }

    @Override
    public void spiStart(String igniteInstanceName) throws IgniteSpiException {
        if (maximumFailoverAttempts < 0 || maximumFailoverAttempts > 1000)
            throw new IgniteSpiException("FabricFailoverSpi: maximumFailoverAttempts: " + maximumFailoverAttempts
                + " (expected: 0..1000)");
        routing = SpiRouting.of(defaultFabricTypes, defaultPriority, "FabricFailoverSpi");
    }

    @Override
    public void spiStop() throws IgniteSpiException {
        routing.clear();
    }

    @Override
    public ClusterNode failover(FailoverContext ctx, List<ClusterNode> top) {
        ComputeJobResult res = ctx.getJobResult();
        ClusterNode thief = stolenBy(res.getJobContext(), res, top);
        if (thief != null)
            return thief;
        return routing.on(ignite).failover(ctx, top, maximumFailoverAttempts, log);
    }

    /** The thief node of a job stolen by {@link JobStealingCollisionSpi}, when it can take the job; else null. */
    private ClusterNode stolenBy(ComputeJobContext jobCtx, ComputeJobResult res, List<ClusterNode> top) {
        UUID thiefId = jobCtx.getAttribute(JobStealingCollisionSpi.THIEF_NODE_ATTR);
        if (thiefId == null)
            return null;
        jobCtx.setAttribute(JobStealingCollisionSpi.THIEF_NODE_ATTR, null);
        ClusterNode thief = getSpiContext().node(thiefId);
        if (thief == null || thief.id().equals(res.getNode().id()) || !top.contains(thief)) {
            log.info("Fabric Stitch: thief node " + thiefId + " of job " + jobCtx.getJobId() + " cannot take it "
                + "(left, same node, or outside the task's projection); failing it over instead");
            return null;
        }
        if (log.isDebugEnabled())
            log.debug("Fabric Stitch: job " + jobCtx.getJobId() + " stolen from " + res.getNode().id() + " by "
                + thief.id());
        return thief;
    }
}
