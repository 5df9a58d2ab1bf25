package io.fabricstitch.ignite.internal;

import java.sql.Timestamp;
import java.util.UUID;
import org.apache.ignite.cache.query.annotations.QuerySqlField;

/**
 * A row of {@code FABRIC.FABRIC_AGENT}: an agent some node heard by beacon, whether or not it is a member of this
 * Ignite cluster, so an operator sees a site that beacons but has not joined. Rows expire when no node hears the agent
 * any more. Not API.
 */
public final class AgentRow {
    @QuerySqlField(name = "NODE_ID", notNull = true)
    private UUID nodeId;

    @QuerySqlField(name = "AGENT_NAME")
    private String agentName;

    @QuerySqlField(name = "SITE", index = true)
    private String site;

    /** Where its beacons come from: {@code ip:port} of its agent endpoint. */
    @QuerySqlField(name = "BEACON_ADDRESS")
    private String beaconAddress;

    @QuerySqlField(name = "DATA_PATH_ADDRESS")
    private String dataPathAddress;

    /** What it announces, e.g. {@code GPU x2 ONLINE, CPU x1 ONLINE}. */
    @QuerySqlField(name = "FABRICS")
    private String fabrics;

    /** Whether its node id is a member of this cluster. */
    @QuerySqlField(name = "IN_CLUSTER", index = true)
    private boolean inCluster;

    /** How the latest hearer heard it: {@code multicast} or {@code unicast}. */
    @QuerySqlField(name = "HEARD_VIA")
    private String heardVia;

    /** The consistent id of the node that wrote this row last. */
    @QuerySqlField(name = "HEARD_BY")
    private String heardBy;

    @QuerySqlField(name = "FIRST_HEARD")
    private Timestamp firstHeard;

    @QuerySqlField(name = "LAST_HEARD")
    private Timestamp lastHeard;

    /** For the marshaller. */
    public AgentRow() {
    }

    public AgentRow(UUID nodeId, String agentName, String site, String beaconAddress, String dataPathAddress,
        String fabrics, boolean inCluster, String heardVia, String heardBy, Timestamp firstHeard, Timestamp lastHeard) {
        this.nodeId = nodeId;
        this.agentName = agentName;
        this.site = site;
        this.beaconAddress = beaconAddress;
        this.dataPathAddress = dataPathAddress;
        this.fabrics = fabrics;
        this.inCluster = inCluster;
        this.heardVia = heardVia;
        this.heardBy = heardBy;
        this.firstHeard = firstHeard;
        this.lastHeard = lastHeard;
    }

    public UUID nodeId() {
        return nodeId;
    }

    public String agentName() {
        return agentName;
    }

    public boolean inCluster() {
        return inCluster;
    }

    public String fabrics() {
        return fabrics;
    }

    /** The node whose agent wrote this row. */
    public String heardBy() {
        return heardBy;
    }

    @Override
    public String toString() {
        return "AgentRow [" + agentName + '/' + nodeId + ", site=" + site + ", beacon=" + beaconAddress + ", inCluster="
            + inCluster + ", fabrics=" + fabrics + ", heardBy=" + heardBy + ']';
    }
}
