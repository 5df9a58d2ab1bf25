package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeLoadBalancer;
import org.apache.ignite.compute.ComputeTaskAdapter;
import org.apache.ignite.compute.ComputeTaskSession;
import org.apache.ignite.compute.ComputeTaskSessionFullSupport;
import org.apache.ignite.compute.ComputeTaskSplitAdapter;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.resources.LoadBalancerResource;
import org.apache.ignite.resources.TaskSessionResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plain Ignite compute with {@link FabricLoadBalancingSpi} configured: closures and split tasks land on the node of
 * the cheapest capable fabric, by the live load of the Fabric Map. s0 has a GPU 5 ms away and an FPGA 2 ms away, s1
 * an FPGA 1 ms away, s2 only its CPU.
 */
class FabricLoadBalancingSpiTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite s1;
    static Ignite s2;

    static List<DeclaredFabric> declared() {
        return List.of(
            new DeclaredFabric().setName("l-gpu").setType(FabricType.GPU).setModel("LB GPU (declared)")
                .setResourceUnit("MiB").setResourceCount(16384).setLatencyMs(5).setFunctions(List.of("matmul.f32")),
            new DeclaredFabric().setName("l-fpga").setType(FabricType.FPGA).setModel("LB FPGA (declared)")
                .setResourceUnit("slices").setResourceCount(1024).setLatencyMs(1)
                .setFunctions(List.of("image.gaussian-blur")),
            new DeclaredFabric().setName("l-fpga2").setType(FabricType.FPGA).setModel("LB FPGA 2 (declared)")
                .setResourceUnit("slices").setResourceCount(1024).setLatencyMs(2)
                .setFunctions(List.of("image.gaussian-blur")));
    }

    static Ignite start(String name, String... allowed) {
        FabricPluginConfiguration p = new FabricPluginConfiguration()
            .setAgent(new FabricAgentConfiguration().setDeclaredFabrics(declared())
                .setDeviceAllowList(List.of(allowed)))
            // routing by declared LATENCY_MS alone: no measured latencies
            .setNetwork(new FabricNetworkConfiguration().setBeaconsEnabled(false));
        IgniteConfiguration cfg = CLUSTER.configuration(name, p)
            .setLoadBalancingSpi(new FabricLoadBalancingSpi().setDefaultPriority("balanced"));
        return CLUSTER.start(cfg);
    }

    @BeforeAll
    static void startCluster() {
        start("s0", "declared:l-gpu", "declared:l-fpga2");
        s1 = start("s1", "declared:l-fpga");
        s2 = start("s2", "declared:none");
        Timing.await("6 fabrics in the map", () -> FabricPlugin.of(s2).fabricMap().size() == 6);
    }

    /** Returns the name of the node it runs on; needs {@code request}'s fabric. */
    static final class WhereAmI implements IgniteCallable<String>, FabricJob {
        private static final long serialVersionUID = 1L;

        private final TaskRequest request;

        @IgniteInstanceResource
        private transient Ignite ignite;

        WhereAmI(TaskRequest request) {
            this.request = request;
        }

        @Override
        public TaskRequest fabricRequest() {
            return request;
        }

        @Override
        public String call() {
            return ignite.name();
        }
    }

    @Test
    void aClosureThatNeedsAnFpga_landsOnTheFpgasNode() {
        String where = s2.compute().call(new WhereAmI(TaskRequest.builder("image.gaussian-blur")
            .require(FabricType.FPGA, 10).build()));
        assertEquals("s1", where);
    }

    @Test
    void aPlainClosure_goesToTheCheapestFabricOfAnyType() {
        // balanced: FPGA 0.1*1 + 1/1024 beats every idle CPU (0 ms but 1 of its few cores) and the GPU (0.5 + ...)
        IgniteCallable<String> plain = new NamedCallable();
        assertEquals("s1", s2.compute().call(plain));
    }

    @Test
    void everyJobOfASplitTask_goesToTheGpuNode_throughTheInjectedBalancer() {
        List<String> nodes = s2.compute().execute(new GpuSplitTask(), 4);
        assertEquals(List.of("s0", "s0", "s0", "s0"), nodes);
    }

    @Test
    void aTaskSessionRequest_routesJobsThatCarryNone() {
        assertEquals("s1", s2.compute().execute(new SessionRequestTask(), null));
    }

    @Test
    void aChangeInLoadAlone_movesTheNextJob_andBackOnceTheLoadIsGone() throws Exception {
        TaskRequest fpga10 = TaskRequest.builder("image.gaussian-blur").require(FabricType.FPGA, 10).build();
        assertEquals("s1", s2.compute().call(new WhereAmI(fpga10)), "idle: the FPGA 1 ms away");
        UUID near = FabricPlugin.of(s1).agent().declaredFabrics().get("l-fpga");
        Probes.gate = new CountDownLatch(1);
        IgniteFuture<String> load = FabricCompute.of(s2).callAsync(TaskRequest.builder("image.gaussian-blur")
            .require(FabricType.FPGA, 1000).fabric(near).build(), Probes.heldUntilOpened());
        try {
            Timing.await("1000 of the near FPGA's slices reserved, as s2's map shows", () -> free(near) == 24);
            // near: 0.1 * 1 + (1000 + 10) / 1024 = 1.09; the other: 0.1 * 2 + 10 / 1024 = 0.21
            assertEquals("s0", s2.compute().call(new WhereAmI(fpga10)));
        }
        finally {
            Probes.gate.countDown();
        }
        assertEquals("LB FPGA (declared)", load.get(Timing.CONDITION.toMillis()), "the load ran on the near FPGA");
        Timing.await("the near FPGA free again, as s2's map shows", () -> free(near) == 1024);
        assertEquals("s1", s2.compute().call(new WhereAmI(fpga10)));
    }

    private static long free(UUID fabric) {
        return FabricPlugin.of(s2).fabricMap().stream().filter(f -> f.getFabricId().equals(fabric))
            .mapToLong(f -> f.getResourceFree()).findFirst().orElse(-1);
    }

    @Test
    void aJobNoFabricCanTake_failsWithTheSelectorsReason() {
        IgniteException e = assertThrows(IgniteException.class, () -> s2.compute().call(new WhereAmI(
            TaskRequest.builder("sha256").require(FabricType.ASIC, 1).build())));
        assertTrue(e.getMessage().contains("no fabric for sha256 needing 1 ASIC"), e.getMessage());
    }

    static final class NamedCallable implements IgniteCallable<String> {
        private static final long serialVersionUID = 1L;

        @IgniteInstanceResource
        private transient Ignite ignite;

        @Override
        public String call() {
            return ignite.name();
        }
    }

    /** A job that reports its node. */
    static final class NodeNameJob extends ComputeJobAdapter implements FabricJob {
        private static final long serialVersionUID = 1L;

        private final TaskRequest request;

        @IgniteInstanceResource
        private transient Ignite ignite;

        NodeNameJob(TaskRequest request) {
            this.request = request;
        }

        @Override
        public TaskRequest fabricRequest() {
            return request;
        }

        @Override
        public Object execute() {
            return ignite.name();
        }
    }

    static final class GpuSplitTask extends ComputeTaskSplitAdapter<Integer, List<String>> {
        private static final long serialVersionUID = 1L;

        @Override
        protected Collection<? extends ComputeJob> split(int gridSize, Integer jobs) {
            List<ComputeJob> list = new ArrayList<>();
            for (int i = 0; i < jobs; i++)
                list.add(new NodeNameJob(TaskRequest.builder("matmul.f32").require(FabricType.GPU, 1024).build()));
            return list;
        }

        @Override
        public List<String> reduce(List<ComputeJobResult> results) {
            List<String> nodes = new ArrayList<>();
            for (ComputeJobResult r : results)
                nodes.add(r.getData());
            return nodes;
        }
    }

    /** Puts the request in the session; its job implements nothing. */
    @ComputeTaskSessionFullSupport
    static final class SessionRequestTask extends ComputeTaskAdapter<Object, String> {
        private static final long serialVersionUID = 1L;

        @LoadBalancerResource
        private transient ComputeLoadBalancer balancer;

        @TaskSessionResource
        private transient ComputeTaskSession ses;

        @Override
        public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Object arg) {
            ses.setAttribute(FabricLoadBalancingSpi.REQUEST_ATTR, TaskRequest.builder("image.gaussian-blur")
                .require(FabricType.FPGA, 1).build());
            ComputeJob job = new PlainJob();
            Map<ComputeJob, ClusterNode> map = new HashMap<>();
            map.put(job, balancer.getBalancedNode(job, null));
            return map;
        }

        @Override
        public String reduce(List<ComputeJobResult> results) {
            return results.get(0).getData();
        }
    }

    static final class PlainJob extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        @IgniteInstanceResource
        private transient Ignite ignite;

        @Override
        public Object execute() {
            return ignite.name();
        }
    }
}
