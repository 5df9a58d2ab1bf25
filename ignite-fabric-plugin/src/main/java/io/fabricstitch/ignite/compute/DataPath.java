package io.fabricstitch.ignite.compute;

/**
 * How a task's input and output travel between its caller and its fabric's node. Chosen per placement, recorded in
 * {@code FABRIC.TASK_ASSIGNMENT.PATH} with the reason, in this order of preference:
 * <ol>
 *     <li>{@link #JOB}: inside the Ignite job, for inputs under {@code dataPath.thresholdBytes} (and whenever no data
 *     path fits);</li>
 *     <li>{@link #RDMA}: both nodes report an RDMA device and have an RDMA transport installed;</li>
 *     <li>{@link #DIRECT}: plain TCP to the fabric's agent, when caller and fabric are on the same site;</li>
 *     <li>{@link #TLS}: TLS 1.3 with mutual authentication, across sites (both nodes need TLS configured).</li>
 * </ol>
 */
public enum DataPath {
    /** Inside the Ignite job: small inputs, or no data path available. */
    JOB,
    /** Plain TCP, framed and checksummed, within one site. */
    DIRECT,
    /** TLS 1.3 with mutual authentication, across sites. */
    TLS,
    /** An installed RDMA transport, between nodes that both have RDMA devices. */
    RDMA
}
