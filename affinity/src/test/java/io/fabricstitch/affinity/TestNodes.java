package io.fabricstitch.affinity;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.configuration.CacheConfiguration;

/**
 * The test clusters' three nodes: n0 with its CPU only, n1 with a fast GPU (speed factor 8), n2 with a slow FPGA
 * (speed factor 0.5); both accelerators declared 5 ms away and running {@value #FN}. No beacons: no measured latency
 * or bandwidth, so every cost is exact arithmetic on the declared values.
 */
final class TestNodes {
    static final String FN = "matmul.f32";
    static final String GPU_MODEL = "Fast GPU (declared)";
    static final String FPGA_MODEL = "Slow FPGA (declared)";

    private TestNodes() {
    }

    static List<DeclaredFabric> declared() {
        return List.of(
            new DeclaredFabric().setName("fast-gpu").setType(FabricType.GPU).setModel(GPU_MODEL).setResourceUnit("MiB")
                .setResourceCount(1024).setLatencyMs(5).setSpeedFactor(8).setFunctions(List.of(FN)),
            new DeclaredFabric().setName("slow-fpga").setType(FabricType.FPGA).setModel(FPGA_MODEL)
                .setResourceUnit("slices").setResourceCount(1024).setLatencyMs(5).setSpeedFactor(0.5)
                .setFunctions(List.of(FN)));
    }

    /** Starts n0, n1, n2 and waits until n0 sees all five fabrics and the orchestrator is deployed. */
    static Ignite start(FabricTestCluster cluster) {
        Ignite n0 = node(cluster, "n0", "declared:none");
        node(cluster, "n1", "declared:fast-gpu");
        node(cluster, "n2", "declared:slow-fpga");
        Timing.await("five fabrics in n0's map and an orchestrator deployed", () ->
            FabricPlugin.of(n0).fabricMap().size() == 5 && FabricCompute.of(n0).orchestrator().queuedTasks() == 0);
        return n0;
    }

    private static Ignite node(FabricTestCluster cluster, String name, String allowed) {
        return cluster.start(name, p -> {
            p.getAgent().setDeclaredFabrics(declared()).setDeviceAllowList(List.of(allowed));
            p.getNetwork().setBeaconsEnabled(false);
        });
    }

    /** A cache configuration of {@code accelerated-caches.xml}, loaded by Spring. */
    static <K, V> CacheConfiguration<K, V> xmlCache(String beanName) {
        try (InputStream in = TestNodes.class.getResourceAsStream("/accelerated-caches.xml")) {
            return Ignition.loadSpringBean(in, beanName);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The node's consistent id: n0, n1 or n2. */
    static String name(ClusterNode node) {
        return String.valueOf(node.consistentId());
    }
}
