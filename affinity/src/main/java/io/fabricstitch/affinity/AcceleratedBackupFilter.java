package io.fabricstitch.affinity;

import java.util.List;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteBiPredicate;

/**
 * An affinity backup filter that puts a cache's backups only on accelerated nodes (as {@link AcceleratedNodeFilter}
 * judges them), while primaries may be on any node: a job that can read from a backup
 * ({@link DataLocalityRequest#readFromBackups()}) then finds a copy of the data next to an accelerator. For
 * {@code RendezvousAffinityFunction.setAffinityBackupFilter}:
 * <pre>{@code
 * <property name="affinity">
 *     <bean class="org.apache.ignite.cache.affinity.rendezvous.RendezvousAffinityFunction">
 *         <property name="affinityBackupFilter">
 *             <bean class="io.fabricstitch.affinity.AcceleratedBackupFilter">
 *                 <property name="fabricTypes" value="GPU"/>
 *             </bean>
 *         </property>
 *     </bean>
 * </property>
 * }</pre>
 * A partition gets as many backups as there are accelerated nodes besides its primary, up to the cache's
 * {@code backups}: with too few accelerated nodes some partitions have fewer backups (none when the primary is the only
 * one). Ignite ignores backup filters when {@code excludeNeighbors} is set.
 */
public final class AcceleratedBackupFilter implements IgniteBiPredicate<ClusterNode, List<ClusterNode>> {
    private static final long serialVersionUID = 1L;

    private final AcceleratedNodeFilter accelerated = new AcceleratedNodeFilter();

    /**
     * Comma-separated fabric types a backup node must host one of; default
     * {@value AcceleratedNodeFilter#DFLT_FABRIC_TYPES}.
     */
    public String getFabricTypes() {
        return accelerated.getFabricTypes();
    }

    /**
     * Sets the fabric types a backup node must host one of (see {@link AcceleratedNodeFilter#setFabricTypes}).
     *
     * @throws IllegalArgumentException naming the value when it is empty or names an unknown type
     */
    public AcceleratedBackupFilter setFabricTypes(String fabricTypes) {
        accelerated.setFabricTypes(fabricTypes);
        return this;
    }

    /** True when {@code candidate} may hold a backup: it is accelerated ({@code assigned} is not read). */
    @Override
    public boolean apply(ClusterNode candidate, List<ClusterNode> assigned) {
        return accelerated.apply(candidate);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AcceleratedBackupFilter && ((AcceleratedBackupFilter)o).accelerated.equals(accelerated);
    }

    @Override
    public int hashCode() {
        return accelerated.hashCode();
    }

    @Override
    public String toString() {
        return "AcceleratedBackupFilter [fabricTypes=" + getFabricTypes() + ']';
    }
}
