package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.agent.FabricAgent;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * One name per node (issue 16, item 3): nodes started as {@code config/fabric-server.xml} starts them, without a
 * consistent id (two with an instance name, one with none, which claims a host slot for its CPU fabric id), go by
 * their Ignite consistent id in {@code FABRIC_ENTRY.NODE_NAME}, {@code SYS.NODES}, {@code FABRIC_AGENT} and both ends of
 * {@code FABRIC_LATENCY}, so the tables join on the name; the slot still keeps the CPU fabric id across a restart.
 */
class NodeNamesClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final Consumer<FabricPluginConfiguration> FAST = p -> {
        p.getNetwork().setBeaconIntervalMs(200).setLatencyProbeIntervalMs(100);
        p.getAgent().setHealthIntervalMs(200).setRealProbesEnabled(false);
    };

    @BeforeAll
    static void startCluster() {
        start("names-a");
        start("names-b");
        start(null); // neither an instance name nor a consistent id: the agent holds a host slot
    }

    /** Starts a server without a consistent id, as the shipped server configuration does. */
    static Ignite start(String instanceName) {
        FabricPluginConfiguration plugin = new FabricPluginConfiguration();
        FAST.accept(plugin);
        IgniteConfiguration cfg = CLUSTER.configuration(instanceName == null ? "unused" : instanceName, plugin)
            .setIgniteInstanceName(instanceName).setConsistentId(null);
        return CLUSTER.start(cfg);
    }

    static List<List<String>> sql(String query) {
        return FabricTestCluster.sql(query);
    }

    static Set<String> column(String query) {
        return sql(query).stream().map(r -> r.get(0)).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> consistentIds() {
        return CLUSTER.node("names-a").cluster().forServers().nodes().stream()
            .map(n -> String.valueOf(n.consistentId())).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void latencyMatrixJoinsTheFabricMapOnTheNodeName_forEveryNode() {
        Timing.await("6 latency rows", () -> sql("SELECT * FROM FABRIC.FABRIC_LATENCY").size() == 6);
        Set<String> names = consistentIds();
        assertEquals(3, names.size(), names::toString);
        assertTrue(names.stream().noneMatch(n -> n.startsWith("slot-")), names::toString);
        assertEquals(names, column("SELECT CONSISTENT_ID FROM SYS.NODES WHERE IS_CLIENT = FALSE"));
        assertEquals(names, column("SELECT DISTINCT NODE_NAME FROM FABRIC.FABRIC_ENTRY"));
        assertEquals(names, column("SELECT DISTINCT e.NODE_NAME FROM FABRIC.FABRIC_LATENCY l "
            + "JOIN FABRIC.FABRIC_ENTRY e ON e.NODE_NAME = l.TO_NAME"), "every node measured, joined by TO_NAME");
        assertEquals(names, column("SELECT DISTINCT e.NODE_NAME FROM FABRIC.FABRIC_LATENCY l "
            + "JOIN FABRIC.FABRIC_ENTRY e ON e.NODE_NAME = l.FROM_NAME"), "every node measuring, joined by FROM_NAME");
        assertEquals(List.of(List.of("0")), sql("SELECT COUNT(*) FROM FABRIC.FABRIC_LATENCY l "
            + "JOIN FABRIC.FABRIC_ENTRY e ON e.NODE_ID = l.TO_NODE WHERE e.NODE_NAME <> l.TO_NAME"));
        Timing.await("3 agents heard", () -> column("SELECT AGENT_NAME FROM FABRIC.FABRIC_AGENT").size() == 3);
        assertEquals(names, column("SELECT AGENT_NAME FROM FABRIC.FABRIC_AGENT"));
        for (Ignite n : List.of(CLUSTER.node("names-a"), CLUSTER.node("names-b"), CLUSTER.node(null))) {
            FabricAgent agent = FabricPlugin.of(n).agent();
            assertEquals(String.valueOf(n.cluster().localNode().consistentId()), agent.agentName());
        }
    }

    @Test
    void nodeWithoutAStableName_keepsItsCpuFabricIdAcrossARestart_underItsConsistentId() {
        Ignite unnamed = CLUSTER.node(null);
        FabricAgent agent = FabricPlugin.of(unnamed).agent();
        assertTrue(agent.stableName().startsWith("slot-"), agent.stableName());
        String cpu = "SELECT FABRIC_ID FROM FABRIC.FABRIC_ENTRY WHERE FABRIC_TYPE = 'CPU' AND NODE_NAME = '";
        Set<String> before = column(cpu + unnamed.cluster().localNode().consistentId() + "'");
        assertEquals(1, before.size(), before::toString);
        CLUSTER.stop(null);
        Ignite again = start(null);
        String name = String.valueOf(again.cluster().localNode().consistentId());
        assertEquals(name, FabricPlugin.of(again).agent().agentName());
        Timing.await("the restarted node's CPU row", () -> column(cpu + name + "' AND STATUS = 'ONLINE'")
            .equals(before));
        Timing.await("the restarted node measured under its name", () -> !sql("SELECT * FROM FABRIC.FABRIC_LATENCY "
            + "WHERE TO_NAME = '" + name + "'").isEmpty());
    }
}
