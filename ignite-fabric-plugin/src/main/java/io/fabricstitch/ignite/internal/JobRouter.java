package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.CostWeights;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricFailoverSpi;
import io.fabricstitch.ignite.compute.FabricJob;
import io.fabricstitch.ignite.compute.FabricLoadBalancingSpi;
import io.fabricstitch.ignite.compute.NoSuitableFabricException;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.placement.CandidateTable;
import io.fabricstitch.ignite.placement.FabricSelector;
import io.fabricstitch.ignite.placement.Selection;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeTaskSession;

/**
 * Routing of plain Ignite compute jobs, shared by {@link FabricLoadBalancingSpi} and {@link FabricFailoverSpi}: what a
 * job needs (from the job, its session, or the defaults) and the cheapest fabric for it among the fabrics of the
 * nodes Ignite offers, by the same selector and cost function as {@link FabricCompute}. When every capable fabric is
 * full it chooses by capacity, since Ignite queues the job on its node. Thread-safe.
 */
final class JobRouter {
    private final Set<FabricType> defaultTypes;
    private final String defaultPriority;
    private volatile TopologyTable cached;

    JobRouter(Set<FabricType> defaultTypes, String defaultPriority) {
        this.defaultTypes = defaultTypes;
        this.defaultPriority = defaultPriority;
    }

    /** A routing decision: the fabric's selection and the node it lives on. */
    static final class Route {
        final Selection selection;
        final ClusterNode node;

        Route(Selection selection, ClusterNode node) {
            this.selection = selection;
            this.node = node;
        }
    }

    /**
     * The cheapest fabric for {@code job} on the nodes of {@code top}, avoiding {@code excluded} fabrics.
     *
     * @throws NoSuitableFabricException naming what was asked and why nothing fits
     */
    Route route(FabricPlugin plugin, ComputeTaskSession ses, ComputeJob job, List<ClusterNode> top,
        Set<UUID> excluded) {
        Need need = needOf(ses, job, plugin.priorityClasses());
        TopologyTable tt = tableFor(plugin.mapView(), top);
        FabricSelector selector = plugin.selector();
        UUID origin = plugin.localNodeId();
        long started = System.nanoTime();
        Selection s = selector.select(tt.table, need.function, need.types, need.amount, need.weights, excluded, origin);
        if (s.isBusy())
            s = selector.select(tt.full(), need.function, need.types, need.amount, need.weights, excluded, origin);
        plugin.metrics().selected(System.nanoTime() - started);
        if (!s.isPlaced())
            throw new NoSuitableFabricException(s.reason() + " (among the " + top.size() + " nodes of the task's "
                + "projection)");
        UUID nodeId = s.fabric().getNodeId();
        for (ClusterNode n : top) {
            if (n.id().equals(nodeId))
                return new Route(s, n);
        }
        throw new NoSuitableFabricException("fabric " + s.fabric().getFabricId() + " names node " + nodeId
            + ", which is not in the task's projection (expected: a node of the projection; the Fabric Map lags the "
            + "topology for a moment after a node leaves, so a retry usually succeeds)");
    }

    private Need needOf(ComputeTaskSession ses, ComputeJob job, Map<String, PriorityClass> classes) {
        TaskRequest r;
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
            Object r = ses.getAttribute(FabricLoadBalancingSpi.REQUEST_ATTR);
            return r instanceof TaskRequest ? (TaskRequest)r : null;
        }
        catch (IllegalStateException attributesDisabled) {
            return null;
        }
    }

    /**
     * The candidate table of the fabrics on {@code top}'s nodes, reused while the map and the nodes are the same; when
     * only free units changed (the usual change on a busy cluster), the same table with the new free units.
     */
    private TopologyTable tableFor(FabricMapView view, List<ClusterNode> top) {
        long version = view.version(); // read before the rows, so that a table is never newer than its tag
        long structure = view.structureVersion();
        Set<UUID> nodes = new HashSet<>(top.size() * 2);
        for (ClusterNode n : top)
            nodes.add(n.id());
        TopologyTable tt = cached;
        if (tt != null && tt.nodes.equals(nodes)) {
            if (tt.version == version && tt.structureVersion == structure)
                return tt; // both: a table built between the view's two increments is caught on the next call
            if (tt.structureVersion == structure) {
                tt = tt.withLoadOf(view, version);
                cached = tt;
                return tt;
            }
        }
        List<FabricEntry> entries = new ArrayList<>();
        for (FabricEntry e : view.entries()) {
            if (nodes.contains(e.getNodeId()))
                entries.add(e);
        }
        entries.sort(Comparator.comparing(FabricEntry::getFabricId));
        tt = new TopologyTable(version, structure, nodes, entries, CandidateTable.of(entries), null);
        cached = tt;
        return tt;
    }

    void clear() {
        cached = null;
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
        final long structureVersion;
        final Set<UUID> nodes;
        final List<FabricEntry> entries;
        final CandidateTable table;
        private volatile CandidateTable full;

        TopologyTable(long version, long structureVersion, Set<UUID> nodes, List<FabricEntry> entries,
            CandidateTable table, CandidateTable full) {
            this.version = version;
            this.structureVersion = structureVersion;
            this.nodes = nodes;
            this.entries = entries;
            this.table = table;
            this.full = full;
        }

        /** The same fabrics with the free units the map holds now, tagged {@code version}. */
        TopologyTable withLoadOf(FabricMapView view, long version) {
            long[] free = new long[table.size()];
            for (int i = 0; i < free.length; i++) {
                FabricRow row = view.row(table.fabric(i).getFabricId());
                free[i] = row == null ? 0 : row.resourceFree(); // gone: a structural change, caught on the next call
            }
            return new TopologyTable(version, structureVersion, nodes, entries, table.withFree(free), full);
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
