package io.fabricstitch.ignite.compute;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.ignite.internal.FabricPlugin;
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
 * The orchestrator weighs a task's speed, by its size: it holds a task for a busy faster fabric while a slower one is
 * free, for at most {@code orchestrator.holdForFasterMs} from the first hold (a task behind a busy 8x fabric waits for
 * it rather than take the idle 1x one, also after waiting for any room at all, and past the hold it takes the slower
 * one); and once it has timed a function's sized tasks, a long one goes to the free fabric that finishes it sooner, not
 * the nearest.
 */
class HoldForFasterFabricClusterTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static Ignite node;
    static UUID fast;
    static UUID slow;
    static UUID far;

    /** Keep the fabric their tasks run on busy until opened: gate 1 and gate 2. */
    static volatile CountDownLatch gate;
    static volatile CountDownLatch gate2;

    static DeclaredFabric gpu(String name, double speed) {
        return new DeclaredFabric().setName(name).setType(FabricType.GPU).setModel(name).setResourceUnit("slots")
            .setResourceCount(1).setSpeedFactor(speed).setFunctions(List.of("sha256"));
    }

    /** A deflate GPU of {@code speed}, {@code latencyMs} away. */
    static DeclaredFabric deflater(String name, double speed, double latencyMs) {
        return new DeclaredFabric().setName(name).setType(FabricType.GPU).setModel(name).setResourceUnit("slots")
            .setResourceCount(1).setSpeedFactor(speed).setLatencyMs(latencyMs).setFunctions(List.of("deflate"));
    }

    @BeforeAll
    static void startNode() {
        node = CLUSTER.start("hold", p -> {
            p.getAgent().setDeclaredFabrics(List.of(gpu("fast", 8), gpu("slow", 1),
                deflater("near", 1, 1), deflater("far", 8, 4)))
                .setDeviceAllowList(List.of("declared:fast", "declared:slow", "declared:near", "declared:far"))
                .setRealProbesEnabled(false);
            p.getOrchestrator().setHoldForFasterMs(Timing.scaled(1_000)).setPricePerSpeed(true);
        }); // once both are free, the cost prefers the faster (else they tie at 1 slot each)
        fast = FabricPlugin.of(node).agent().declaredFabrics().get("fast");
        slow = FabricPlugin.of(node).agent().declaredFabrics().get("slow");
        far = FabricPlugin.of(node).agent().declaredFabrics().get("far");
        Timing.await("the GPUs in the map and an orchestrator", () -> FabricPlugin.of(node).fabricMap().size() == 5
            && FabricCompute.of(node).orchestrator().queuedTasks() == 0);
    }

    /**
     * Returns the model of the fabric it ran on; waits for {@link #gate} (or {@link #gate2}) first when asked to, or
     * stands for {@code workMs} of work on the device.
     */
    static final class Where implements IgniteCallable<String> {
        private static final long serialVersionUID = 1L;

        private final int gateNo;
        private final long workMs;

        Where(boolean hold) {
            this(hold ? 1 : 0, 0);
        }

        Where(int gateNo, long workMs) {
            this.gateNo = gateNo;
            this.workMs = workMs;
        }

        @Override
        public String call() throws InterruptedException {
            if (gateNo > 0)
                (gateNo == 1 ? gate : gate2).await(30, TimeUnit.SECONDS);
            if (workMs > 0)
                Thread.sleep(workMs); // the simulated device's service time, which the orchestrator times
            return FabricTaskContext.current().fabric().getModel();
        }
    }

    /** Takes both GPUs with tasks that wait, the fast one's for {@link #gate}, the slow one's for {@link #gate2}. */
    /** Waits until the releases of the tasks that returned have reached the orchestrator: they follow the results. */
    static void awaitLedgerEmpty() {
        Timing.await("the ledger empty", () -> FabricCompute.of(node).orchestrator().reservedUnits().isEmpty());
    }

    static List<IgniteFuture<String>> occupyBoth() {
        awaitLedgerEmpty();
        gate = new CountDownLatch(1);
        gate2 = new CountDownLatch(1);
        IgniteFuture<String> onFast = FabricCompute.of(node).callAsync(sha(1).fabric(fast).build(), new Where(1, 0));
        IgniteFuture<String> onSlow = FabricCompute.of(node).callAsync(sha(1).fabric(slow).build(), new Where(2, 0));
        Timing.await("both GPUs taken", () -> FabricCompute.of(node).orchestrator().reservedUnits()
            .getOrDefault(fast, 0L) == 1 && FabricCompute.of(node).orchestrator().reservedUnits()
            .getOrDefault(slow, 0L) == 1);
        return List.of(onFast, onSlow);
    }

    static TaskRequest.Builder sha(long work) {
        return TaskRequest.builder("sha256").require(FabricType.GPU, 1).work(work).timeout(Duration.ofSeconds(30));
    }

    @Test
    void aTaskWaitsForTheBusyFasterFabric_thenTakesTheSlowerOneOnceItsHoldIsOver() throws Exception {
        awaitLedgerEmpty();
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

        awaitLedgerEmpty();
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

    @Test
    void aTaskThatWaitedForAnyRoomIsStillHeldForTheFasterFabricWhenOnlyTheSlowerFrees() throws Exception {
        List<IgniteFuture<String>> both = occupyBoth();
        IgniteFuture<String> onFast = both.get(0);
        IgniteFuture<String> onSlow = both.get(1);
        try {
            long queued = System.nanoTime();
            IgniteFuture<String> waiting = FabricCompute.of(node).callAsync(sha(10).build(), new Where(false));
            Timing.await("the task queued for room", () -> FabricCompute.of(node).orchestrator().queuedTasks() == 1);
            long holdNanos = TimeUnit.MILLISECONDS.toNanos(FabricPlugin.of(node).configuration().getOrchestrator()
                .getHoldForFasterMs());
            // Its queue time, not an event, is what this waits for: past orchestrator.holdForFasterMs in the queue.
            Timing.await("longer than holdForFasterMs in the queue", () -> System.nanoTime() - queued > holdNanos);

            gate2.countDown();
            assertEquals("slow", onSlow.get(Timing.CONDITION.toMillis()));
            Timing.await("the slow GPU released", () -> FabricCompute.of(node).orchestrator().reservedUnits()
                .getOrDefault(slow, 0L) == 0);
            assertEquals(1, FabricCompute.of(node).orchestrator().queuedTasks(),
                "held for the busy 8x GPU although it waited longer than the hold for room");
            assertFalse(waiting.isDone());

            gate.countDown();
            assertEquals("fast", onFast.get(Timing.CONDITION.toMillis()));
            assertEquals("fast", waiting.get(Timing.CONDITION.toMillis()));
        }
        finally {
            gate.countDown();
            gate2.countDown();
        }
    }

    @Test
    void aTaskFirstHeldNearItsDeadlineIsHeldOnlyHalfTheTimeLeft_andPlacedBeforeIt() throws Exception {
        long hold = FabricPlugin.of(node).configuration().getOrchestrator().getHoldForFasterMs();
        List<IgniteFuture<String>> both = occupyBoth();
        IgniteFuture<String> onFast = both.get(0);
        IgniteFuture<String> onSlow = both.get(1);
        try {
            long queued = System.nanoTime();
            // Its queue deadline is 4 holds away; the slower GPU frees 3 holds in, with 1 hold left: held half of it.
            IgniteFuture<String> waiting = FabricCompute.of(node).callAsync(TaskRequest.builder("sha256")
                .require(FabricType.GPU, 1).work(10).timeout(Duration.ofMillis(4 * hold)).build(), new Where(false));
            Timing.await("the task queued for room", () -> FabricCompute.of(node).orchestrator().queuedTasks() == 1);
            Timing.await("3 holds in the queue", () -> System.nanoTime() - queued > TimeUnit.MILLISECONDS
                .toNanos(3 * hold));
            gate2.countDown();
            assertEquals("slow", onSlow.get(Timing.CONDITION.toMillis()));
            assertEquals("slow", waiting.get(Timing.CONDITION.toMillis()),
                "placed on the free slower GPU before its deadline, not held past it");
        }
        finally {
            gate.countDown();
            gate2.countDown();
        }
        assertEquals("fast", onFast.get(Timing.CONDITION.toMillis()));
    }

    @Test
    void onceItsFunctionIsTimedALongTaskGoesToTheFreeFasterFabricRatherThanTheNearestOne() {
        FabricCompute fc = FabricCompute.of(node);
        // Unknown speed: the latency-critical cost goes by distance, 1 ms against 4 ms.
        assertEquals("near", fc.call(deflate(1000).build(), new Where(0, 0)));
        // Three sized tasks teach the orchestrator about 20 ms per 1000 units at speed 8, 160 ms at speed 1.
        for (int i = 0; i < 3; i++)
            assertEquals("far", fc.call(deflate(1000).fabric(far).build(), new Where(0, 20)));
        // Now near costs 1 ms + ~160 ms of expected service, far 4 ms + ~20 ms.
        assertEquals("far", fc.call(deflate(1000).build(), new Where(0, 0)));
        // A tiny task of the same function still goes by distance: 1 ms + ~0.2 ms against 4 ms.
        assertEquals("near", fc.call(deflate(1).build(), new Where(0, 0)));
    }

    static TaskRequest.Builder deflate(long work) {
        return TaskRequest.builder("deflate").require(FabricType.GPU, 1).work(work)
            .priority(PriorityClass.LATENCY_CRITICAL).timeout(Duration.ofSeconds(30));
    }
}
