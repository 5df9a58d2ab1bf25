package io.fabricstitch.ignite.compute;

import io.fabricstitch.ignite.FabricPlugin;
import io.fabricstitch.ignite.internal.FabricMapView;
import io.fabricstitch.ignite.internal.IgniteInternals;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.ignite.IgniteException;
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
    private transient volatile Set<FabricType> defaultTypes = EnumSet.allOf(FabricType.class);
    private transient volatile TopologyTable cached;

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
        try {
            Checks.name(defaultPriority, "defaultPriority");
            Set<FabricType> types = EnumSet.noneOf(FabricType.class);
            for (String t : defaultFabricTypes.split(",")) {
                if (!t.isBlank())
                    types.add(FabricType.parse(t));
            }
            defaultTypes = types.isEmpty() ? EnumSet.allOf(FabricType.class) : types;
        }
        catch (IllegalArgumentException e) {
            throw new IgniteSpiException("FabricLoadBalancingSpi: " + e.getMessage());
        }
    }

    @Override
    public void spiStop() throws IgniteSpiException {
        cached = null;
    }

    @Override
    public ClusterNode getBalancedNode(ComputeTaskSession ses, List<ClusterNode> top, ComputeJob job) {
        if (top.isEmpty())
            return null;
        if (top.size() == 1)
            return top.get(0);
        FabricPlugin plugin = FabricPlugin.of(ignite);
        Need need = needOf(ses, job, plugin.priorityClasses());
        TopologyTable tt = tableFor(plugin.mapView(), top);
        FabricSelector selector = plugin.selector();
        Selection s = selector.select(tt.table, need.function, need.types, need.amount, need.weights, Set.of());
        if (s.isBusy())
            s = selector.select(tt.full(), need.function, need.types, need.amount, need.weights, Set.of());
        if (!s.isPlaced())
            throw new NoSuitableFabricException(s.reason() + " (among the " + top.size() + " nodes of the task's "
                + "projection)");
        UUID nodeId = s.fabric().getNodeId();
        for (ClusterNode n : top) {
            if (n.id().equals(nodeId))
                return n;
        }
        throw new IgniteException("fabric " + s.fabric().getFabricId() + " names node " + nodeId
            + ", which is not in the task's projection");
    }

    private Need needOf(ComputeTaskSession ses, ComputeJob job, Map<String, PriorityClass> classes) {
        TaskRequest r = null;
        Object user = job == null ? null : IgniteInternals.userObject(job);
        if (user instanceof FabricJob)
            r = ((FabricJob)user).fabricRequest();
        else if (job instanceof FabricJob)
            r = ((FabricJob)job).fabricRequest();
        else
            r = sessionRequest(ses);
        if (r != null)
            return new Need(r.function(), r.fabricTypes(), r.amount(),
                PriorityClass.weightsFor(classes, r.weights(), r.priority()));
        return new Need(null, defaultTypes, 1, PriorityClass.weightsFor(classes, null, defaultPriority));
    }

    /** The session's request; tasks without {@code @ComputeTaskSessionFullSupport} have no session attributes. */
    private static TaskRequest sessionRequest(ComputeTaskSession ses) {
        if (ses == null)
            return null;
        try {
            Object r = ses.getAttribute(REQUEST_ATTR);
            return r instanceof TaskRequest ? (TaskRequest)r : null;
        }
        catch (IllegalStateException attributesDisabled) {
            return null;
        }
    }

    /** The candidate table of the fabrics on {@code top}'s nodes, reused while the map and the nodes are the same. */
    private TopologyTable tableFor(FabricMapView view, List<ClusterNode> top) {
        long version = view.version();
        Set<UUID> nodes = new HashSet<>(top.size() * 2);
        for (ClusterNode n : top)
            nodes.add(n.id());
        TopologyTable tt = cached;
        if (tt != null && tt.version == version && tt.nodes.equals(nodes))
            return tt;
        List<FabricEntry> entries = new ArrayList<>();
        for (FabricEntry e : view.entries()) {
            if (nodes.contains(e.getNodeId()))
                entries.add(e);
        }
        entries.sort(Comparator.comparing(FabricEntry::getFabricId));
        tt = new TopologyTable(version, nodes, entries);
        cached = tt;
        return tt;
    }

    /** What one job needs. */
    private static final class Need {
        final String function;
        final Set<FabricType> types;
        final long amount;
        final CostWeights weights;

        Need(String function, Set<FabricType> types, long amount, CostWeights weights) {
            this.function = function;
            this.types = types;
            this.amount = amount;
            this.weights = weights;
        }
    }

    /** A candidate table for one projection at one map version. */
    private static final class TopologyTable {
        final long version;
        final Set<UUID> nodes;
        final List<FabricEntry> entries;
        final CandidateTable table;
        private volatile CandidateTable full;

        TopologyTable(long version, Set<UUID> nodes, List<FabricEntry> entries) {
            this.version = version;
            this.nodes = nodes;
            this.entries = entries;
            this.table = CandidateTable.of(entries);
        }

        /** The same fabrics as if idle: for choosing by capacity when every capable one is full. */
        CandidateTable full() {
            CandidateTable f = full;
            if (f == null) {
                f = CandidateTable.of(entries);
                for (int i = 0; i < f.size(); i++)
                    f.setFree(i, Long.MAX_VALUE);
                full = f;
            }
            return f;
        }
    }
}
