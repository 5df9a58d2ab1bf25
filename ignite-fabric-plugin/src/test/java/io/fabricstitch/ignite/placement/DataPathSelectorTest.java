package io.fabricstitch.ignite.placement;

import io.fabricstitch.ignite.compute.DataPath;
import io.fabricstitch.ignite.compute.DataPathChoice;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabricstitch.ignite.FabricMapSchema;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.lang.reflect.Proxy;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.apache.ignite.cluster.ClusterNode;
import org.junit.jupiter.api.Test;

/** Every way the data path is chosen, and the reasons recorded for it. */
class DataPathSelectorTest {
    private static final long MIB = 1L << 20;
    private final DataPathSelector selector = new DataPathSelector(MIB);

    /** A node with these attributes; every other method of ClusterNode is unused here. */
    static ClusterNode node(String name, String site, String dataPath, String rdma) {
        Map<String, Object> attrs = new HashMap<>();
        attrs.put(FabricMapSchema.ATTR_SITE, site);
        attrs.put(FabricMapSchema.ATTR_DATA_PATH, dataPath);
        attrs.put(FabricMapSchema.ATTR_RDMA_DEVICES, rdma);
        attrs.put(FabricMapSchema.ATTR_DATA_PATH_TLS_PORT, dataPath.contains("tls") ? 47421 : 0);
        attrs.put(FabricMapSchema.ATTR_RDMA_ENDPOINTS, dataPath.contains("rdma:verbs") ? "verbs=" + name + "-ib:4791" : "");
        return (ClusterNode)Proxy.newProxyInstance(ClusterNode.class.getClassLoader(), new Class<?>[] {ClusterNode.class},
            (proxy, m, args) -> {
                switch (m.getName()) {
                    case "attribute": return attrs.get((String)args[0]);
                    case "consistentId": return name;
                    case "toString": return name;
                    default: throw new UnsupportedOperationException(m.getName());
                }
            });
    }

    static FabricEntry fabric(String site, String address) {
        return FabricEntry.builder().fabricId(UUID.randomUUID()).nodeId(UUID.randomUUID()).agentAddress(address)
            .site(site).fabricType(FabricType.GPU).model("GPU").resourceUnit("MiB").resourceCount(1024)
            .resourceFree(1024).updatedAt(Instant.EPOCH).build();
    }

    @Test
    void smallInputs_rideInTheJob() {
        DataPathChoice c = selector.choose(12_800, node("a", "s1", "direct", ""), node("b", "s1", "direct", ""),
            fabric("s1", "10.0.0.2:47420"));
        assertEquals(DataPath.JOB, c.path());
        assertEquals("input of 12.5 KiB is under the 1 MiB threshold", c.reason());
        assertNull(c.endpoint());
    }

    @Test
    void sameSite_goesDirect_sayingWhyNotRdma() {
        DataPathChoice c = selector.choose(5 * MIB, node("a", "s1", "direct,tls", ""),
            node("b", "s1", "direct,tls", "mlx5_0"), fabric("s1", "10.0.0.2:47420"));
        assertEquals(DataPath.DIRECT, c.path());
        assertEquals("same site 's1'; no RDMA: a has no RDMA device", c.reason());
        assertEquals("10.0.0.2:47420", c.endpoint());
    }

    @Test
    void acrossSites_goesTls_whenBothHaveIt_elseRidesInTheJobSayingWhatIsMissing() {
        DataPathChoice tls = selector.choose(5 * MIB, node("a", "s1", "direct,tls", ""),
            node("b", "s2", "direct,tls", ""), fabric("s2", "10.0.0.2:47420"));
        assertEquals(DataPath.TLS, tls.path());
        assertEquals("10.0.0.2:47421", tls.endpoint(), "the TLS server's port on the agent's host");
        DataPathChoice noTls = selector.choose(5 * MIB, node("a", "s1", "direct,tls", ""),
            node("b", "s2", "direct", ""), fabric("s2", "10.0.0.2:47420"));
        assertEquals(DataPath.JOB, noTls.path());
        assertEquals("sites 's1' and 's2' differ and node b has no TLS (expected: dataPath.tlsCertificateChain, "
            + "dataPath.tlsPrivateKey and dataPath.tlsTrustedCertificates, or dataPath.tlsDevelopmentCertificates, on "
            + "both nodes); the input rides in the Ignite job", noTls.reason());
    }

    @Test
    void rdma_needsDevicesAndATransportOnBothEnds() {
        DataPathChoice none = selector.choose(5 * MIB, node("a", "s1", "direct", "mlx5_0"),
            node("b", "s1", "direct", "mlx5_1"), fabric("s1", "10.0.0.2:47420"));
        assertEquals(DataPath.DIRECT, none.path());
        assertEquals("same site 's1'; no RDMA: both nodes have RDMA devices, but no RDMA transport is installed on "
            + "both", none.reason());
        DataPathChoice rdma = selector.choose(5 * MIB, node("a", "s1", "direct,rdma:verbs", "mlx5_0"),
            node("b", "s2", "direct,rdma:verbs", "mlx5_1"), fabric("s2", "10.0.0.2:47420"));
        assertEquals(DataPath.RDMA, rdma.path());
        assertEquals("both nodes have RDMA devices and transport verbs", rdma.reason());
        assertEquals("b-ib:4791", rdma.endpoint(), "where the transport listens on the fabric's node");
        assertEquals("verbs", rdma.rdmaTransport());
        assertEquals(null, none.rdmaTransport());
    }

    @Test
    void aNodeWithoutDataPath_getsItsInputInTheJob() {
        assertEquals("node b runs no data-path server (dataPath.enabled=false)", selector.choose(5 * MIB,
            node("a", "s1", "direct", ""), node("b", "s1", "", ""), fabric("s1", "10.0.0.2:0")).reason());
    }
}
