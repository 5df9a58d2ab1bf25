package io.fabricstitch.affinity;

import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.model.FabricType;
import java.util.StringJoiner;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgnitePredicate;

/**
 * A cache node filter that keeps a cache's partitions, primaries and backups alike, on accelerated nodes: server nodes
 * whose node attribute {@value FabricMapSchema#ATTR_TYPES} (the fabric types the node hosts, e.g. {@code GPU,CPU})
 * names one of {@link #getFabricTypes()} (default {@value #DFLT_FABRIC_TYPES}). Jobs over such a cache's data then find
 * an accelerator on the primary and move nothing.
 * <pre>{@code
 * <bean class="org.apache.ignite.configuration.CacheConfiguration">
 *     <property name="name" value="embeddings"/>
 *     <property name="backups" value="1"/>
 *     <property name="nodeFilter">
 *         <bean class="io.fabricstitch.affinity.AcceleratedNodeFilter">
 *             <property name="fabricTypes" value="GPU,FPGA"/>
 *         </bean>
 *     </property>
 * </bean>
 * }</pre>
 * The attribute is published once, when a node starts, from the fabrics its agent found: a node whose accelerator goes
 * OFFLINE keeps its partitions (an affinity filter must not change while the node lives). Nodes without the plugin,
 * and client nodes, never pass. Use the same filter on every node that configures the cache.
 */
public final class AcceleratedNodeFilter implements IgnitePredicate<ClusterNode> {
    private static final long serialVersionUID = 1L;

    /** Fabric types that make a node accelerated by default: every type but the CPU. */
    public static final String DFLT_FABRIC_TYPES = "GPU,FPGA,ASIC";

    /** The types as a bit set by ordinal, and as text. */
    private int typeMask = parse(DFLT_FABRIC_TYPES);
    private String fabricTypes = DFLT_FABRIC_TYPES;

    /** Comma-separated fabric types a node must host one of, e.g. {@code GPU,FPGA}. */
    public String getFabricTypes() {
        return fabricTypes;
    }

    /**
     * Sets the fabric types a node must host one of: names of {@link FabricType}, comma-separated, any case.
     *
     * @throws IllegalArgumentException naming the value when it is empty or names an unknown type
     */
    public AcceleratedNodeFilter setFabricTypes(String fabricTypes) {
        int mask = parse(fabricTypes);
        StringJoiner text = new StringJoiner(",");
        for (FabricType t : FabricType.values()) {
            if ((mask & bit(t)) != 0)
                text.add(t.name());
        }
        this.typeMask = mask;
        this.fabricTypes = text.toString();
        return this;
    }

    private static int parse(String spec) {
        int mask = 0;
        try {
            if (spec != null) {
                for (String part : spec.split(",")) {
                    if (!part.isBlank())
                        mask |= bit(FabricType.parse(part));
                }
            }
        }
        catch (IllegalArgumentException e) {
            mask = 0;
        }
        if (mask == 0)
            throw new IllegalArgumentException("fabricTypes: " + (spec == null ? "null" : "'" + spec + "'")
                + " (expected: fabric types separated by commas, of GPU, FPGA, ASIC, CPU, e.g. GPU,FPGA)");
        return mask;
    }

    private static int bit(FabricType t) {
        return 1 << t.ordinal();
    }

    /** True for a server node that hosts a fabric of one of the types; never throws. */
    @Override
    public boolean apply(ClusterNode node) {
        if (node == null || node.isClient())
            return false;
        Object attr = node.attribute(FabricMapSchema.ATTR_TYPES);
        if (!(attr instanceof String))
            return false;
        for (String part : ((String)attr).split(",")) {
            for (FabricType t : FabricType.values()) {
                if ((typeMask & bit(t)) != 0 && t.name().equals(part.trim()))
                    return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AcceleratedNodeFilter && ((AcceleratedNodeFilter)o).typeMask == typeMask;
    }

    @Override
    public int hashCode() {
        return typeMask;
    }

    @Override
    public String toString() {
        return "AcceleratedNodeFilter [fabricTypes=" + fabricTypes + ']';
    }
}
