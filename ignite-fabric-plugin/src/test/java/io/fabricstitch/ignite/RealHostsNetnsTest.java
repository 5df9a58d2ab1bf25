package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.test.ChildNodeProcess;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.ignite.test.VethPair;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Two nodes on two real hosts: Linux network namespaces joined by a veth link, each node in a JVM of its own. Their
 * beacons (multicast on the veth) and latency probes cross that link: each node hears the other by beacon, from the
 * other's address on the link, and both measure the round trip, including the 15 ms that node B's test-only latency
 * injector adds towards site A. Skipped, with the reason printed, where namespaces cannot be made (not root, no
 * iproute2, not Linux).
 */
class RealHostsNetnsTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final long INJECTED_MS = 15;

    static VethPair link;
    static ChildNodeProcess a;
    static ChildNodeProcess b;

    @BeforeAll
    static void startHosts() {
        String why = VethPair.unavailableBecause();
        if (why != null)
            System.out.println("RealHostsNetnsTest skipped: " + why);
        Assumptions.assumeTrue(why == null, why);
        link = VethPair.create();
        String discovery = link.addressA() + ":" + FabricTestCluster.DISCOVERY_PORT + ".."
            + (FabricTestCluster.DISCOVERY_PORT + 9) + "," + link.addressB() + ":" + FabricTestCluster.DISCOVERY_PORT
            + ".." + (FabricTestCluster.DISCOVERY_PORT + 9);
        ChildNodeProcess.Spec specA = ChildNodeProcess.Spec.named("host-a").prefix(link.inA()).host(link.addressA())
            .discovery(discovery).site("site-a").beaconInterface(link.addressA())
            .declared("gpu-a:GPU:1024:MiB:0:1:sha256");
        ChildNodeProcess.Spec specB = ChildNodeProcess.Spec.named("host-b").prefix(link.inB()).host(link.addressB())
            .discovery(discovery).site("site-b").beaconInterface(link.addressB())
            .injectedLatency("site-a=" + INJECTED_MS).declared("gpu-b:GPU:1024:MiB:0:1:sha256");
        CompletableFuture<ChildNodeProcess> startingB = CompletableFuture.supplyAsync(() -> CLUSTER.startChild(specB));
        a = CLUSTER.startChild(specA);
        b = startingB.join();
    }

    @AfterAll
    static void removeHosts() {
        if (a != null)
            a.kill();
        if (b != null)
            b.kill();
        if (link != null)
            link.close();
    }

    @Test
    void nodesOnTwoHostsFormOneCluster_andHearEachOthersBeaconsAcrossTheLink() {
        AtomicReference<List<List<String>>> heard = new AtomicReference<>();
        Timing.await("host-a's node to hear host-b's agent by beacon", () -> {
            heard.set(a.query("SELECT AGENT_NAME, BEACON_ADDRESS, IN_CLUSTER, HEARD_VIA, SITE FROM FABRIC.FABRIC_AGENT "
                + "WHERE AGENT_NAME = 'host-b'"));
            return heard.get().size() == 1;
        }, () -> String.valueOf(heard.get()));
        List<String> row = heard.get().get(0);
        assertTrue(row.get(1).startsWith(link.addressB() + ":"), "heard from B's address on the link: " + row);
        assertEquals("true", row.get(2), "B is a member of the cluster");
        assertEquals("multicast", row.get(3));
        assertEquals("site-b", row.get(4));
        assertEquals(List.of(List.of("2")), a.query("SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY WHERE "
            + "FABRIC_TYPE = 'GPU' AND STATUS = 'ONLINE'"), "one cluster: A's map holds both GPUs");
    }

    @Test
    void bothNodesMeasureTheRoundTripAcrossTheLink_withTheInjectedDelay() {
        AtomicReference<List<List<String>>> rows = new AtomicReference<>();
        Timing.await("latency rows both ways, above the injected " + INJECTED_MS + " ms", () -> {
            rows.set(b.query("SELECT FROM_NAME, TO_NAME, RTT_MICROS, JITTER_MICROS FROM FABRIC.FABRIC_LATENCY "
                + "ORDER BY FROM_NAME"));
            return rows.get().size() == 2 && rows.get().stream()
                .allMatch(r -> Long.parseLong(r.get(2)) >= INJECTED_MS * 1000);
        }, () -> String.valueOf(rows.get()));
        assertEquals("host-a", rows.get().get(0).get(0));
        assertEquals("host-b", rows.get().get(0).get(1));
        assertEquals("host-b", rows.get().get(1).get(0));
        assertEquals("host-a", rows.get().get(1).get(1));
        System.out.println("round trips across the veth link with " + INJECTED_MS + " ms injected: " + rows.get());
    }
}
