package io.fabricstitch.benchmarks;

import java.util.List;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.spi.communication.tcp.TcpCommunicationSpi;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;
import org.apache.ignite.spi.discovery.tcp.ipfinder.vm.TcpDiscoveryVmIpFinder;

/**
 * The loopback ports of a benchmark's cluster in one JVM: discovery, communication and thin/JDBC, each the first of a
 * range of {@code range} ports.
 */
public record LoopbackPorts(int discovery, int communication, int client, int range) {
    /** These defaults, each replaced by its {@code fabric.test.*Port} property when set (as the test clusters do). */
    public static LoopbackPorts fromProperties(int discovery, int communication, int client, int range) {
        return new LoopbackPorts(Integer.getInteger("fabric.test.discoveryPort", discovery),
            Integer.getInteger("fabric.test.communicationPort", communication),
            Integer.getInteger("fabric.test.clientPort", client), range);
    }

    /** Puts these ports into {@code cfg}: local ports, their ranges and the discovery addresses. */
    public IgniteConfiguration applyTo(IgniteConfiguration cfg) {
        TcpDiscoverySpi spi = (TcpDiscoverySpi)cfg.getDiscoverySpi();
        spi.setLocalPort(discovery).setLocalPortRange(range);
        spi.setIpFinder(new TcpDiscoveryVmIpFinder().setAddresses(List.of("127.0.0.1:" + discovery + ".."
            + (discovery + range - 1))));
        ((TcpCommunicationSpi)cfg.getCommunicationSpi()).setLocalPort(communication).setLocalPortRange(range);
        cfg.getClientConnectorConfiguration().setPort(client).setPortRange(range);
        return cfg;
    }

    /** For the progress lines, e.g. {@code discovery 53900, communication 53400, thin/JDBC 13900 (ranges of 10)}. */
    public String describe() {
        return "discovery " + discovery + ", communication " + communication + ", thin/JDBC " + client + " (ranges of "
            + range + ")";
    }
}
