package io.fabricstitch.examples;

import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.junit.jupiter.api.Test;

/**
 * docs/operations.md names every port a node started from the shipped configurations listens on: each socket this
 * JVM opens for a node must fall in a row of its ports table marked "open by default".
 */
class DocumentedPortsTest {
    private static final List<String> CONFIGS = List.of("fabric-server.xml", "fabric-demo.xml", "fabric-client.xml");

    @Test
    void shippedConfigurations_turnIgnitesRestConnectorOff() {
        for (String file : CONFIGS) {
            IgniteConfiguration cfg = Ignition.loadSpringBean("../config/" + file, "ignite.cfg");
            assertNull(cfg.getConnectorConfiguration(), file + ": connectorConfiguration (expected: null, no REST "
                + "TCP connector on 11211..)");
        }
    }

    @Test
    void serverAndClientFromShippedConfigs_listenOnlyOnPortsTheOperationsGuideOpensByDefault() throws Exception {
        assumeTrue(ListeningSockets.available(), "needs Linux's /proc to list this JVM's sockets");
        List<DocumentedPorts.Row> rows = DocumentedPorts.read();
        IgniteConfiguration cfg = Ignition.loadSpringBean("../config/fabric-server.xml", "ignite.cfg");
        DemoCluster.pluginConfiguration(cfg).getNetwork().setBeaconSecret(DemoCluster.runSecret());
        Set<ListeningSockets.Socket> before = ListeningSockets.ofThisJvm();
        try (Ignite server = Ignition.start(cfg)) {
            Set<ListeningSockets.Socket> opened = openedSince(before);
            System.out.println("server node listens on " + opened);
            assertDocumented("server node", opened, rows);
            int discovery = ((TcpDiscoverySpi)server.configuration().getDiscoverySpi()).getLocalPort();
            assertTrue(opened.stream().anyMatch(s -> s.protocol().equals("TCP") && s.port() == discovery),
                () -> "discovery port " + discovery + " among the server's sockets (expected: the listing works): "
                    + opened);
            assertTrue(opened.stream().anyMatch(s -> s.protocol().equals("UDP")),
                () -> "the beacon ports among the server's sockets (expected: the socket listing works): " + opened);

            Set<ListeningSockets.Socket> withServer = ListeningSockets.ofThisJvm();
            try (Ignite client = Ignition.start("../config/fabric-client.xml")) {
                Set<ListeningSockets.Socket> clientOpened = openedSince(withServer);
                System.out.println("client node listens on " + clientOpened);
                assertDocumented("client node", clientOpened, rows);
            }
        }
    }

    private static Set<ListeningSockets.Socket> openedSince(Set<ListeningSockets.Socket> before) throws Exception {
        Set<ListeningSockets.Socket> now = new TreeSet<>(ListeningSockets.ofThisJvm());
        now.removeAll(before);
        return now;
    }

    private static void assertDocumented(String node, Set<ListeningSockets.Socket> opened,
        List<DocumentedPorts.Row> rows) {
        Set<ListeningSockets.Socket> undocumented = opened.stream()
            .filter(s -> rows.stream().noneMatch(r -> r.openByDefault() && r.names(s)))
            .collect(Collectors.toCollection(TreeSet::new));
        String named = rows.stream().filter(DocumentedPorts.Row::openByDefault).map(Object::toString)
            .collect(Collectors.joining(", "));
        assertTrue(undocumented.isEmpty(), () -> node + " listens on " + undocumented + ", which "
            + DocumentedPorts.OPERATIONS + " does not name as open by default (expected: only " + named + ')');
    }
}
