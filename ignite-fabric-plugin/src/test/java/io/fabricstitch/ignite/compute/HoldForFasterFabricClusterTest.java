package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.FabricPlugin;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The orchestrator holds a task for a busy faster fabric while a slower one is free, for at most
 * {@code holdForFasterMs}: a task behind a busy 8x fabric waits for it rather than take the idle 1x one, and past the
 * hold it takes the slower one.
 */
class HoldForFasterFabricClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite node;
    static UUID fast;
    static UUID slow;

    /** Keeps the fabric it runs on busy until opened. */
    static volatile CountDownLatch gate;

    static DeclaredFabric gpu(String name, double speed) {
        return new DeclaredFabric().setName(name).setType(FabricType.GPU).setModel(name).setResourceUnit("slots")
            .setResourceCount(1).setSpeedFactor(speed).setFunctions(List.of("sha256"));
    }

    @BeforeAll
    static void startNode() {
        node = CLUSTER.start("hold", p -> p.setDeclaredFabrics(List.of(gpu("fast", 8), gpu("slow", 1)))
            .setDeviceAllowList(List.of("declared:fast", "declared:slow")).setRealProbesEnabled(false)
            .setHoldForFasterMs(Timing.scaled(1_000))
            .setPricePerSpeed(true)); // once both are free, the cost prefers the faster (else they tie at 1 slot each)
        fast = FabricPlugin.of(node).agent().declaredFabrics().get("fast");
        slow = FabricPlugin.of(node).agent().declaredFabrics().get("slow");
        Timing.await("both GPUs in the map and an orchestrator", () -> FabricPlugin.of(node).fabricMap().size() == 3
            && FabricCompute.of(node).orchestrator().queuedTasks() == 0);
    }

    /** Returns the model of the fabric it ran on; waits for {@link #gate} first when asked to. */
    static final class Where implements IgniteCallable<String> {
        private static final long serialVersionUID = 1L;

        private final boolean hold;

        Where(boolean hold) {
            this.hold = hold;
        }

        @Override
        public String call() throws InterruptedException {
            if (hold)
                gate.await(30, TimeUnit.SECONDS);
            return FabricTaskContext.current().fabric().getModel();
        }
    }

    static TaskRequest.Builder sha(long work) {
        return TaskRequest.builder("sha256").require(FabricType.GPU, 1).work(work).timeout(Duration.ofSeconds(30));
    }

    @Test
    void aTaskWaitsForTheBusyFasterFabric_thenTakesTheSlowerOneOnceItsHoldIsOver() throws Exception {
        gate = new CountDownLatch(1);
        IgniteFuture<String> occupant = FabricCompute.of(node).callAsync(sha(1).fabric(fast).build(), new Where(true));
        Timing.await("the fast GPU taken", () -> FabricCompute.of(node).orchestrator().reservedUnits()
            .getOrDefault(fast, 0L) == 1);

        IgniteFuture<String> waiting = FabricCompute.of(node).callAsync(sha(10).build(), new Where(false));
        Timing.await("the task held in the queue", () -> FabricCompute.of(node).orchestrator().queuedTasks() == 1);
        assertFalse(waiting.isDone());
        gate.countDown();
        assertEquals("fast", occupant.get(Timing.CONDITION.toMillis()));
        assertEquals("fast", waiting.get(Timing.CONDITION.toMillis()), "held for the 8x GPU, not run on the idle 1x");

        gate = new CountDownLatch(1);
        IgniteFuture<String> longOccupant = FabricCompute.of(node).callAsync(sha(1).fabric(fast).build(),
            new Where(true));
        Timing.await("the fast GPU taken again", () -> FabricCompute.of(node).orchestrator().reservedUnits()
            .getOrDefault(fast, 0L) == 1);
        try {
            assertEquals("slow", FabricCompute.of(node).call(sha(10).build(), new Where(false)),
                "past holdForFasterMs the task takes the free slower GPU");
        }
        finally {
            gate.countDown();
        }
        assertEquals("fast", longOccupant.get(Timing.CONDITION.toMillis()));
    }
}
