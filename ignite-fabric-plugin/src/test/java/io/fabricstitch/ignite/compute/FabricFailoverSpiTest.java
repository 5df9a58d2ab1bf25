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
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.compute.ComputeJobFailoverException;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.resources.JobContextResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Plain Ignite compute with {@link FabricLoadBalancingSpi} and {@link FabricFailoverSpi}: a failed job goes to the
 * next-best fabric by cost, never back to the node it failed on, nor to the fabric that went OFFLINE under it (other
 * fabrics of that node stay eligible), and gives up after the configured number of failovers. f0 holds GPUs 1 ms and
 * 3 ms away, f1 a GPU 2 ms away, f2 a GPU 6 ms away; the caller c0 only its CPU.
 */
class FabricFailoverSpiTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    /** Where each job ran, in order (jobs run in this JVM: the nodes share it). */
    static final List<String> RUNS = Collections.synchronizedList(new ArrayList<>());

    static Ignite c0;

    static DeclaredFabric gpu(String name, double latencyMs) {
        return new DeclaredFabric().setName(name).setType(FabricType.GPU).setModel(name + " (declared)")
            .setResourceUnit("MiB").setResourceCount(1024).setLatencyMs(latencyMs).setFunctions(List.of("sha256"));
    }

    static Ignite start(String name, String... allowed) {
        FabricPluginConfiguration p = new FabricPluginConfiguration()
            .setAgent(new FabricAgentConfiguration()
                .setDeclaredFabrics(List.of(gpu("g1", 1), gpu("g2", 3), gpu("g3", 2), gpu("g4", 6)))
                .setDeviceAllowList(List.of(allowed)))
            // routing by declared LATENCY_MS alone, 1 ms apart: no measured latencies
            .setNetwork(new FabricNetworkConfiguration().setBeaconsEnabled(false));
        IgniteConfiguration cfg = CLUSTER.configuration(name, p)
            .setLoadBalancingSpi(new FabricLoadBalancingSpi())
            .setFailoverSpi(new FabricFailoverSpi().setMaximumFailoverAttempts(2));
        return CLUSTER.start(cfg);
    }

    @BeforeAll
    static void startCluster() {
        start("f0", "declared:g1", "declared:g2");
        start("f1", "declared:g3");
        start("f2", "declared:g4");
        c0 = start("c0", "declared:none");
        Timing.await("8 fabrics in the caller's map", () -> FabricPlugin.of(c0).fabricMap().size() == 8);
    }

    @BeforeEach
    void clearRuns() {
        RUNS.clear();
    }

    /** A GPU job that fails its first {@code failures} runs as told, then answers where it ran. */
    static final class Failing implements IgniteCallable<String>, FabricJob {
        private static final long serialVersionUID = 1L;

        private final int failures;
        private final boolean fabricLost;

        @IgniteInstanceResource
        private transient Ignite ignite;

        @JobContextResource
        private transient org.apache.ignite.compute.ComputeJobContext jobCtx;

        Failing(int failures, boolean fabricLost) {
            this.failures = failures;
            this.fabricLost = fabricLost;
        }

        @Override
        public TaskRequest fabricRequest() {
            return TaskRequest.builder("sha256").require(FabricType.GPU, 100).priority("latency-critical").build();
        }

        @Override
        public String call() {
            UUID chosen = jobCtx.getAttribute(FabricFailoverSpi.FABRIC_ATTR);
            String fabric = chosen == null ? "first" : modelOf(chosen);
            RUNS.add(ignite.name() + ":" + fabric);
            if (RUNS.size() <= failures) {
                if (fabricLost) {
                    UUID lost = chosen != null ? chosen : FabricPlugin.of(ignite).agent().declaredFabrics().get("g1");
                    throw new FabricFailoverException(lost, "GPU went OFFLINE (test)");
                }
                throw new ComputeJobFailoverException("node trouble (test)");
            }
            return ignite.name() + ":" + fabric;
        }

        private String modelOf(UUID fabricId) {
            return FabricPlugin.of(ignite).agent().fabric(fabricId).map(f -> f.getModel().replace(" (declared)", ""))
                .orElse("elsewhere");
        }
    }

    @Test
    void failedJob_goesToTheNextCheapestNode_neverBackToTheFailedOne() {
        assertEquals("f1:g3", c0.compute().call(new Failing(1, false)));
        assertEquals(List.of("f0:first", "f1:g3"), RUNS);
    }

    @Test
    void jobWhoseFabricWentOffline_mayStayOnItsNode_onItsNextBestFabric() {
        // g1 (1 ms) lost: g3 on f1 (2 ms) is next; when g3 is lost too, g2 on f0 (3 ms) is allowed, f0 did not fail
        assertEquals("f0:g2", c0.compute().call(new Failing(2, true)));
        assertEquals(List.of("f0:first", "f1:g3", "f0:g2"), RUNS);
    }

    @Test
    void job_failsAfterMaximumFailoverAttempts() {
        IgniteException e = assertThrows(IgniteException.class, () -> c0.compute().call(new Failing(10, false)));
        assertEquals(3, RUNS.size(), RUNS::toString);
        assertEquals(List.of("f0:first", "f1:g3", "f2:g4"), RUNS);
        assertTrue(e.getMessage().contains("failover"), e.getMessage());
    }
}
