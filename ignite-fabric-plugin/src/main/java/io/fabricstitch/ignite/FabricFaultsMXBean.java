package io.fabricstitch.ignite;

/**
 * Fault injection for tests and demos, one per server node, registered in the platform MBean server as
 * {@code io.fabricstitch:type=FabricFaults,node=<consistent id>} (reach it with jconsole, VisualVM or any JMX client).
 * Faults apply to the node's declared fabrics only; probed hardware is never touched. Each operation returns once the
 * node's agent has applied it, and the change reaches the Fabric Map with that health check.
 */
public interface FabricFaultsMXBean {
    /** The node's declared fabrics, {@code name = fabric id}. */
    String[] getDeclaredFabrics();

    /** The faults in force, one line each: {@code name: STATUS (reason) since time}. */
    String[] getFaults();

    /**
     * Fails a declared fabric: it turns OFFLINE with {@code injected fault: <reason>}, and the jobs running on it fail
     * over to other fabrics.
     *
     * @param fabric the declared fabric's name or id
     * @return the fabric's new state, one line
     * @throws IllegalArgumentException naming the fabric and the node's declared fabrics when it is not one of them
     */
    String fail(String fabric, String reason);

    /** Degrades a declared fabric: DEGRADED with {@code injected fault: <reason>}; it keeps its running jobs. */
    String degrade(String fabric, String reason);

    /** Clears the fault of a declared fabric; it is judged afresh (ONLINE when healthy). */
    String restore(String fabric);

    /**
     * Silences the node's agent for {@code millis} ms, as if it hung: it stops reporting, and the orchestrator turns
     * its fabrics DEGRADED, then OFFLINE (after {@code orchestrator.silentDegradedAfterMs} and
     * {@code orchestrator.silentOfflineAfterMs}). 0 ends the silence.
     */
    String silence(long millis);
}
