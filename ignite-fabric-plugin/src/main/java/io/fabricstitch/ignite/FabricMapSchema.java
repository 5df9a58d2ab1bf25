package io.fabricstitch.ignite;

/**
 * Names of the Fabric Map's caches, SQL tables and node attributes: the contract SQL tools and applications rely on.
 * <pre>
 * SELECT e.FABRIC_TYPE, e.MODEL, e.STATUS
 *   FROM FABRIC.FABRIC_ENTRY e JOIN FABRIC.FABRIC_FUNCTION f ON e.FABRIC_ID = f.FABRIC_ID
 *  WHERE f.FUNCTION_NAME = 'image.gaussian-blur'
 * </pre>
 */
public final class FabricMapSchema {
    /** SQL schema of every Fabric Stitch table. */
    public static final String SCHEMA = "FABRIC";

    /** REPLICATED cache behind {@link #FABRIC_ENTRY_TABLE}; key: fabric id (UUID). */
    public static final String FABRIC_MAP_CACHE = "FABRIC_MAP";

    /** One row per fabric. */
    public static final String FABRIC_ENTRY_TABLE = "FABRIC_ENTRY";

    /** REPLICATED cache behind {@link #FABRIC_FUNCTION_TABLE}; key: {@code <fabricId>/<functionName>}. */
    public static final String FABRIC_FUNCTION_CACHE = "FABRIC_FUNCTION";

    /** One row per (fabric, supported function), indexed by function name. */
    public static final String FABRIC_FUNCTION_TABLE = "FABRIC_FUNCTION";

    /** REPLICATED cache behind {@link #RESERVATION_TABLE}: the orchestrator's reservation ledger; key: task id. */
    public static final String RESERVATION_CACHE = "FABRIC_RESERVATION";

    /** One row per task holding resources of a fabric now. */
    public static final String RESERVATION_TABLE = "RESERVATION";

    /** Cache behind {@link #TASK_ASSIGNMENT_TABLE}; key: {@code <taskId>#<attempt>}; rows expire. */
    public static final String TASK_ASSIGNMENT_CACHE = "FABRIC_TASK_ASSIGNMENT";

    /** One row per placement of a task (attempt): where it went, the cost and its two terms, its state. */
    public static final String TASK_ASSIGNMENT_TABLE = "TASK_ASSIGNMENT";

    /** REPLICATED cache behind {@link #FABRIC_LATENCY_TABLE}; key: {@code <fromNode>/<toNode>}. */
    public static final String FABRIC_LATENCY_CACHE = "FABRIC_LATENCY";

    /** One row per measured pair of nodes: smoothed round trip and jitter, written by the measuring node. */
    public static final String FABRIC_LATENCY_TABLE = "FABRIC_LATENCY";

    /** REPLICATED cache behind {@link #FABRIC_AGENT_TABLE}; key: the heard agent's node id; rows expire. */
    public static final String FABRIC_AGENT_CACHE = "FABRIC_AGENT";

    /** One row per agent heard by beacon, member of this cluster or not ({@code IN_CLUSTER}). */
    public static final String FABRIC_AGENT_TABLE = "FABRIC_AGENT";

    /** REPLICATED cache behind {@link #AGENT_HEARTBEAT_TABLE}; key: the agent's node id (UUID). */
    public static final String AGENT_HEARTBEAT_CACHE = "FABRIC_AGENT_HEARTBEAT";

    /**
     * One row per server node with an agent, rewritten after every health check ({@code LAST_REPORT}): the agent's
     * liveness, kept apart from {@link #FABRIC_ENTRY_TABLE}, whose rows are written only when they change.
     */
    public static final String AGENT_HEARTBEAT_TABLE = "AGENT_HEARTBEAT";

    /** Name of the orchestrator service (a cluster singleton). */
    public static final String ORCHESTRATOR_SERVICE = "fabric-orchestrator";

    /** Node attribute: Fabric Stitch version; every server node of a Fabric Stitch cluster has it. */
    public static final String ATTR_VERSION = "fabric.stitch.version";

    /** Node attribute: comma-separated fabric types the node hosts, in the order GPU, FPGA, ASIC, CPU: {@code GPU,CPU}. */
    public static final String ATTR_TYPES = "fabric.stitch.types";

    /** Node attribute: comma-separated functions some fabric of the node runs. */
    public static final String ATTR_FUNCTIONS = "fabric.stitch.functions";

    /** Node attribute: the node's site label. */
    public static final String ATTR_SITE = "fabric.stitch.site";

    /**
     * Node attribute: the data-path transports the node can use, comma-separated: {@code direct}, {@code tls} (TLS
     * material configured), {@code rdma:<transport>} (an RDMA transport installed); empty when its data path is off.
     */
    public static final String ATTR_DATA_PATH = "fabric.stitch.dataPath";

    /** Node attribute: TCP port of the node's TLS data-path server (an Integer), on its agent's host; 0 when none. */
    public static final String ATTR_DATA_PATH_TLS_PORT = "fabric.stitch.dataPathTlsPort";

    /** Node attribute: where the node's RDMA transports listen, {@code name=endpoint,...}; empty when none does. */
    public static final String ATTR_RDMA_ENDPOINTS = "fabric.stitch.rdmaEndpoints";

    /** Node attribute: the node's RDMA devices ({@code /sys/class/infiniband}), comma-separated; empty when none. */
    public static final String ATTR_RDMA_DEVICES = "fabric.stitch.rdmaDevices";

    /**
     * Node attribute: the fabric ids its agent had when the node joined, comma-separated. Node attributes are fixed at
     * join and no client can change them, so a row of one of these fabrics needs no wait to be believed.
     */
    public static final String ATTR_FABRICS = "fabric.stitch.fabrics";

    /** Node attribute: how often the node's agent reports, ms (a Long); the orchestrator's silence limits allow for it. */
    public static final String ATTR_HEALTH_INTERVAL_MS = "fabric.stitch.healthIntervalMs";

    /**
     * Node attribute of a client node that measures its round trips to the servers' agents (a Boolean): only such a
     * client's {@code FABRIC_LATENCY} rows are kept; it guards them itself.
     */
    public static final String ATTR_LATENCY_PROBES = "fabric.stitch.latencyProbes";

    private FabricMapSchema() {
    }
}
