package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The RDMA plug-in point, end to end, with {@link SocketRdmaTestTransport} (a test fixture over TCP, not RDMA): r0
 * and r1 see an RDMA device in their (fake) sysfs and run the transport; p0 sees none. All on one site.
 */
class RdmaTransportClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite r0;

    static Ignite start(String name, boolean rdmaDevice) throws Exception {
        Path sys = Files.createDirectories(CLUSTER.workDirectory().resolve("sys-" + name));
        if (rdmaDevice)
            Files.createDirectories(sys.resolve("class/infiniband/mlx5_0"));
        DeclaredFabric asic = new DeclaredFabric().setName("rd-" + name).setType(FabricType.ASIC)
            .setModel("ASIC " + name + " (declared)").setResourceUnit("lanes").setResourceCount(4)
            .setFunctions(List.of("sha256", "deflate"));
        return CLUSTER.start(name, p -> {
            p.getAgent().setDeclaredFabrics(List.of(asic)).setDeviceAllowList(List.of("declared:rd-" + name))
                .setRealProbesEnabled(false).setSysfsRoot(sys.toString());
            p.getNetwork().setBeaconsEnabled(false);
            p.getDataPath().setRdmaTransportClasses(List.of(SocketRdmaTestTransport.class.getName()));
        });
    }

    @BeforeAll
    static void startCluster() throws Exception {
        r0 = start("r0", true);
        start("r1", true);
        start("p0", false);
        Timing.await("every fabric in r0's map and an orchestrator deployed", () ->
            FabricPlugin.of(r0).fabricMap().size() == 6 && FabricCompute.of(r0).orchestrator().queuedTasks() == 0);
    }

    static TaskRequest.Builder on(String function, String node) {
        UUID id = FabricPlugin.of(r0).fabricMap().stream()
            .filter(f -> f.getModel().equals("ASIC " + node + " (declared)")).map(FabricEntry::getFabricId)
            .findFirst().orElseThrow();
        return TaskRequest.builder(function).require(FabricType.ASIC, 1).fabric(id);
    }

    static byte[] random(int bytes, long seed) {
        byte[] b = new byte[bytes];
        new Random(seed).nextBytes(b);
        return b;
    }

    @Test
    void bothEndsWithDevicesAndTheTransport_sendTheInputOverIt() throws Exception {
        byte[] data = random(3 << 20, 11);
        long sent = SocketRdmaTestTransport.SENT.get();

        TaskResult r = FabricCompute.of(r0).execute(on("sha256", "r1").input(data).build());

        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), r.output());
        assertEquals(DataPath.RDMA, r.placement().dataPath().path(), r.placement().dataPath()::toString);
        assertEquals("both nodes have RDMA devices and transport test-socket", r.placement().dataPath().reason());
        assertEquals(sent + 1, SocketRdmaTestTransport.SENT.get(), "the input went through the transport");
        assertEquals("RDMA", DataPathClusterTest.assignment(r.placement().taskId(), 1).get(0));
    }

    @Test
    void aLargeOutputAfterRdma_comesBackOverDirect() throws Exception {
        byte[] data = random(3 << 20, 12);

        TaskResult r = FabricCompute.of(r0).execute(on("deflate", "r1").input(data).build());

        assertEquals(DataPath.RDMA, r.placement().dataPath().path());
        assertArrayEquals(data, DataPathClusterTest.inflate(r.output()));
    }

    @Test
    void aFabricNodeWithoutDevices_getsDirect_withTheReason() throws Exception {
        byte[] data = random(2 << 20, 13);

        TaskResult r = FabricCompute.of(r0).execute(on("sha256", "p0").input(data).build());

        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data), r.output());
        assertEquals(DataPath.DIRECT, r.placement().dataPath().path());
        assertEquals("same site 'default'; no RDMA: p0 has no RDMA device", r.placement().dataPath().reason());
    }
}
