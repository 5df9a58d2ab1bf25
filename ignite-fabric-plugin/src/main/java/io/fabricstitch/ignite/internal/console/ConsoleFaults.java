package io.fabricstitch.ignite.internal.console;

import io.fabricstitch.ignite.FabricFaultsMXBean;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.internal.FabricRow;
import java.util.Locale;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * Fault injection from the console: finds the node hosting a fabric and runs the fault operation there through
 * Ignite compute, on that node's {@link FabricFaultsMXBean} (declared fabrics only). Not API.
 */
final class ConsoleFaults {
    /** The operations, as they appear in {@code POST /api/fabrics/<id>/<operation>}. */
    enum Operation {
        FAIL, DEGRADE, RESTORE;

        static Operation parse(String s) {
            for (Operation o : values()) {
                if (o.name().equalsIgnoreCase(s))
                    return o;
            }
            throw new ConsoleException(404, "operation '" + s + "' (expected: fail, degrade or restore)");
        }
    }

    private final Ignite ignite;

    ConsoleFaults(Ignite ignite) {
        this.ignite = ignite;
    }

    /** Applies {@code op} to fabric {@code fabricId}; returns the fabric's new state line from its node. */
    String apply(UUID fabricId, Operation op, String reason, long timeoutMs) {
        FabricRow row = FabricPlugin.of(ignite).mapView().row(fabricId);
        if (row == null)
            throw new ConsoleException(404, "fabric " + fabricId + " is not in the Fabric Map (expected: a FABRIC_ID "
                + "of FABRIC.FABRIC_ENTRY)");
        ClusterNode node = ignite.cluster().node(row.nodeId());
        if (node == null)
            throw new ConsoleException(409, "fabric " + fabricId + " is on node " + row.nodeName() + ", which is not "
                + "in the cluster (expected: a fabric of a running node)");
        try {
            return ignite.compute(ignite.cluster().forNode(node)).withNoFailover().withTimeout(timeoutMs)
                .call(new FaultCall(fabricId, op, reason));
        }
        catch (org.apache.ignite.IgniteException e) {
            IllegalArgumentException bad = cause(e, IllegalArgumentException.class);
            if (bad != null)
                throw new ConsoleException(400, bad.getMessage());
            IllegalStateException none = cause(e, IllegalStateException.class);
            if (none != null)
                throw new ConsoleException(409, none.getMessage());
            throw new ConsoleException(502, "node " + row.nodeName() + " did not apply " + op.name()
                .toLowerCase(Locale.ROOT) + ": " + e.getMessage());
        }
    }

    private static <T extends Throwable> T cause(Throwable e, Class<T> type) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (type.isInstance(t))
                return type.cast(t);
        }
        return null;
    }

    /** Runs on the fabric's node. */
    private static final class FaultCall implements IgniteCallable<String> {
        private static final long serialVersionUID = 1L;

        private final UUID fabricId;
        private final Operation op;
        private final String reason;

        @IgniteInstanceResource
        private transient Ignite local;

        FaultCall(UUID fabricId, Operation op, String reason) {
            this.fabricId = fabricId;
            this.op = op;
            this.reason = reason;
        }

        @Override
        public String call() {
            FabricFaultsMXBean faults = FabricPlugin.of(local).faults();
            switch (op) {
                case FAIL:
                    return faults.fail(fabricId.toString(), reason);
                case DEGRADE:
                    return faults.degrade(fabricId.toString(), reason);
                default:
                    return faults.restore(fabricId.toString());
            }
        }
    }
}
