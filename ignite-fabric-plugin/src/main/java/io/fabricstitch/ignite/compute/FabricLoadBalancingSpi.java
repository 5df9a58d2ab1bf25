package io.fabricstitch.ignite.compute;

import java.util.List;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeTaskSession;
import org.apache.ignite.spi.IgniteSpiAdapter;
import org.apache.ignite.spi.IgniteSpiException;
import org.apache.ignite.spi.IgniteSpiMultipleInstancesSupport;
import org.apache.ignite.spi.loadbalancing.LoadBalancingSpi;

/**
 * Ignite's {@link LoadBalancingSpi} with Fabric Stitch's cost function: each job goes to the node of the fabric with
 * the least {@code LatencyWeight * NetworkLatency + ResourceWeight * ResourceCost} among the nodes Ignite offers.
 * Configure it first in {@code IgniteConfiguration.loadBalancingSpi} (Ignite gives closures to the first one) on every
 * node that submits tasks:
 * <pre>{@code
 * <property name="loadBalancingSpi">
 *   <list><bean class="io.fabricstitch.ignite.compute.FabricLoadBalancingSpi">
 *     <property name="defaultPriority" value="balanced"/>
 *   </bean></list>
 * </property>
 * }</pre>
 * What a job needs comes from, in order: the job or closure itself when it implements {@link FabricJob}; a
 * {@link TaskRequest} in the task session attribute {@value #REQUEST_ATTR} (the task class needs
 * {@code @ComputeTaskSessionFullSupport} for session attributes); else any fabric of
 * {@link #setDefaultFabricTypes default types}, one unit, {@link #setDefaultPriority default priority}. Free units
 * are read from the node's live copy of the Fabric Map; when every capable fabric is full the job still goes to the
 * cheapest capable one by capacity (Ignite queues it there). The balancer reserves nothing: for reservations, a wait
 * queue and re-placement use {@link FabricCompute}. A job no fabric can take fails with
 * {@link NoSuitableFabricException}.
 */
@IgniteSpiMultipleInstancesSupport(true)
public class FabricLoadBalancingSpi extends IgniteSpiAdapter implements LoadBalancingSpi {
    /** Task session attribute holding a {@link TaskRequest} for the task's jobs. */
    public static final String REQUEST_ATTR = "fabric.stitch.request";

    private String defaultPriority = PriorityClass.BALANCED;
    private String defaultFabricTypes = "";
    private transient volatile SpiRouting routing = SpiRouting.defaults();

    /** Priority class of jobs that name none; default {@value PriorityClass#BALANCED}. */
    public String getDefaultPriority() {
        return defaultPriority;
    }

    public FabricLoadBalancingSpi setDefaultPriority(String defaultPriority) {
        this.defaultPriority = defaultPriority;
        return this;
    }

    /** Fabric types of jobs that name none, comma-separated (e.g. {@code GPU,CPU}); empty (default) means any. */
    public String getDefaultFabricTypes() {
        return defaultFabricTypes;
    }

    public FabricLoadBalancingSpi setDefaultFabricTypes(String defaultFabricTypes) {
        this.defaultFabricTypes = defaultFabricTypes == null ? "" : defaultFabricTypes;
        return this;
    }

    @Override
    public void spiStart(String igniteInstanceName) throws IgniteSpiException {
        routing = SpiRouting.of(defaultFabricTypes, defaultPriority, "FabricLoadBalancingSpi");
    }

    @Override
    public void spiStop() throws IgniteSpiException {
        routing.clear();
    }

    @Override
    public ClusterNode getBalancedNode(ComputeTaskSession ses, List<ClusterNode> top, ComputeJob job) {
        if (top.isEmpty())
            return null;
        if (top.size() == 1)
            return top.get(0);
        return routing.on(ignite).balance(ses, top, job);
    }
}
