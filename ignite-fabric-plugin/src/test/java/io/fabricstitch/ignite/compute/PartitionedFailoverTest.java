package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** A part of a partitioned task whose fabric fails mid-run is placed again alone; the other part runs once. */
class PartitionedFailoverTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite start(String name) {
        DeclaredFabric asic = new DeclaredFabric().setName("gx-" + name).setType(FabricType.ASIC)
            .setModel("ASIC " + name + " (declared)").setResourceUnit("lanes").setResourceCount(4)
            .setFunctions(List.of(GatedEchoFunction.NAME));
        return CLUSTER.start(name, p -> {
            p.getAgent().setDeclaredFabrics(List.of(asic)).setDeviceAllowList(List.of("declared:gx-"
            + name)).setFunctionClasses(List.of(GatedEchoFunction.class.getName()));
            p.getNetwork().setBeaconsEnabled(false);
        });
    }

    /** Cuts the bytes by the shares, in order. */
    static final Splitter<byte[]> BY_SHARES = (data, shares) -> {
        List<byte[]> parts = new ArrayList<>();
        int from = 0;
        for (int i = 0; i < shares.size(); i++) {
            int to = i == shares.size() - 1 ? data.length : from + (int)Math.round(data.length * shares.get(i));
            parts.add(Arrays.copyOfRange(data, from, to));
            from = to;
        }
        return parts;
    };

    static final Reducer<byte[]> CONCAT = outputs -> {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        outputs.forEach(out::writeBytes);
        return out.toByteArray();
    };

    @Test
    void aPartWhoseFabricFailsMidRun_isPlacedAgainAlone_andTheResultIsWhole() throws Exception {
        Ignite n0 = start("n0");
        Ignite n1 = start("n1");
        Timing.await("both ASICs in n0's map and an orchestrator deployed", () ->
            FabricPlugin.of(n0).fabricMap().stream().filter(f -> f.getFabricType() == FabricType.ASIC).count() == 2
                && FabricCompute.of(n0).orchestrator().queuedTasks() == 0);
        byte[] data = new byte[100_000];
        new Random(3).nextBytes(data);
        GatedEchoFunction.gate = new CountDownLatch(1);
        GatedEchoFunction.STARTED.set(0);
        TaskRequest request = TaskRequest.builder(GatedEchoFunction.NAME).require(FabricType.ASIC, 1).build();

        CompletableFuture<PartitionedResult<byte[]>> running = CompletableFuture.supplyAsync(() ->
            FabricCompute.of(n0).map(request, data, BY_SHARES, CONCAT));
        Timing.await("both parts to run", () -> GatedEchoFunction.STARTED.get() == 2);
        FabricPlugin.of(n1).faults().fail("gx-n1", "part failover test");
        Timing.await("the lost part to run again", () -> GatedEchoFunction.STARTED.get() == 3,
            () -> "started " + GatedEchoFunction.STARTED.get());
        GatedEchoFunction.gate.countDown();
        PartitionedResult<byte[]> r = running.get(30, TimeUnit.SECONDS);

        assertArrayEquals(data, r.value(), "every part's output, in order");
        assertEquals(2, r.plan().size());
        int lost = r.plan().get(0).fabric().getModel().equals("ASIC n1 (declared)") ? 0 : 1;
        assertEquals(2, r.placements().get(lost).attempt(), "the part planned on n1 ran again");
        assertEquals("ASIC n0 (declared)", r.placements().get(lost).model());
        assertEquals(1, r.placements().get(1 - lost).attempt(), "the other part ran once");
        assertEquals(3, GatedEchoFunction.STARTED.get(), "three calls in all: the lost part's second is the only rerun");
        FabricPlugin.of(n1).faults().restore("gx-n1");
    }
}
