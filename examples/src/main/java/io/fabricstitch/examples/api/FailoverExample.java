package io.fabricstitch.examples.api;

import io.fabricstitch.ignite.FabricStitch;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricTaskContext;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.model.FabricType;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteAtomicLong;
import org.apache.ignite.IgniteAtomicReference;
import org.apache.ignite.Ignition;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * Failover: a long task (a 40-frame "video" blurred frame by frame, latency-critical, on a GPU or FPGA) starts on the
 * cheapest fabric; after a few frames the example injects a fault into that fabric (it turns OFFLINE), the running
 * attempt stops, and {@link FabricCompute} places the task again on the next-best fabric, where it completes. The
 * caller gets exactly one result. Prints both attempts from {@code FABRIC.TASK_ASSIGNMENT}, then restores the fabric.
 * The fault needs a declared fabric (as in config/fabric-demo.xml): real devices cannot be failed on purpose.
 */
public final class FailoverExample implements Example {
    static final int FRAMES = 40;

    /** Frames the first attempt blurs before the fault. */
    static final int FRAMES_BEFORE_FAULT = 3;

    static final String FAULT = "GPU fell off the bus (example)";

    /** Longest wait for the first frames, and for the task. */
    static final Duration WAIT = Duration.ofSeconds(30);

    @Override
    public String name() {
        return "failover";
    }

    @Override
    public String summary() {
        return "a fault injected under a running task: it completes on another fabric, with one result";
    }

    @Override
    public boolean run(ExampleContext ctx) throws SQLException, InterruptedException {
        Ignite node = ctx.node();
        PrintStream out = ctx.out();
        String run = "fabric-example-failover-" + UUID.randomUUID();
        IgniteAtomicLong frames = node.atomicLong(run + "-frames", 0, true);
        IgniteAtomicLong finished = node.atomicLong(run + "-finished", 0, true);
        IgniteAtomicReference<String> first = node.atomicReference(run + "-first", "", true);
        try {
            TaskRequest req = TaskRequest.builder("image.gaussian-blur").fabricTypes(FabricType.GPU, FabricType.FPGA)
                .amount(1024).priority(PriorityClass.LATENCY_CRITICAL).timeout(WAIT.multipliedBy(2)).build();
            out.println("A " + FRAMES + "-frame blur (latency-critical, GPU|FPGA:1024) starts on the cheapest fabric;"
                + " after frame " + FRAMES_BEFORE_FAULT + " the example injects a fault into that fabric.");
            IgniteFuture<String[]> result = FabricCompute.of(node).callAsync(req, new BlurFrames(run,
                DemoImage.png(320, 200)));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (frames.get() < FRAMES_BEFORE_FAULT && !result.isDone() && System.nanoTime() < deadline)
                Thread.sleep(10);
            if (first.get().isEmpty() || result.isDone()) {
                out.println("The task ended (or never started) before the fault: " + (result.isDone() ? "done"
                    : "no frame within " + WAIT.toSeconds() + " s"));
                return false;
            }
            String[] started = first.get().split(" ", 3);
            UUID fabricId = UUID.fromString(started[0]);
            UUID nodeId = UUID.fromString(started[1]);
            out.println("  attempt 1 runs on " + started[2] + "; after frame " + frames.get() + ":");
            out.println("  " + faults(node, nodeId, fabricId, FAULT));
            String[] r = result.get(WAIT.toMillis() * 2, TimeUnit.MILLISECONDS);
            boolean moved = !r[0].equals(fabricId.toString());
            out.println("  result: " + r[2] + " frames on " + r[1]);
            out.println("  completed on another fabric: " + (moved ? "yes" : "NO") + "; results delivered to the "
                + "caller: 1; attempts that blurred every frame: " + finished.get());
            FabricCompute.of(node).awaitReleases(java.time.Duration.ofSeconds(10)); // the rows follow the result
            int attempts = printAttempts(ctx.jdbcUrl(), fabricId, out);
            out.println("  " + faults(node, nodeId, fabricId, null) + " (restored)");
            return moved && finished.get() == 1 && attempts == 2;
        }
        finally {
            frames.close();
            finished.close();
            first.close();
        }
    }

    /** Injects ({@code reason} set) or clears the fault of a declared fabric on its node; returns its state. */
    private static String faults(Ignite node, UUID nodeId, UUID fabricId, String reason) {
        return node.compute(node.cluster().forNodeId(nodeId)).call(new FaultSwitch(fabricId, reason));
    }

    /** Prints the task's attempts (found by its LOST attempt on the failed fabric); returns how many. */
    private static int printAttempts(String url, UUID failed, PrintStream out) throws SQLException {
        out.println();
        out.println("Its attempts (" + url + "): SELECT ... FROM FABRIC.TASK_ASSIGNMENT WHERE TASK_ID = ...");
        return FabricMapPrinter.print(url, "SELECT a.ATTEMPT, a.FABRIC_TYPE, e.MODEL, a.NODE_NAME, a.STATE, a.DETAIL "
            + "FROM FABRIC.TASK_ASSIGNMENT a LEFT JOIN FABRIC.FABRIC_ENTRY e ON e.FABRIC_ID = a.FABRIC_ID "
            + "WHERE a.TASK_ID = (SELECT TASK_ID FROM FABRIC.TASK_ASSIGNMENT WHERE FABRIC_ID = '" + failed + "' "
            + "AND STATE = 'LOST' ORDER BY STARTED_AT DESC LIMIT 1) ORDER BY a.ATTEMPT", out);
    }

    /**
     * Blurs {@link #FRAMES} frames on its fabric, one after the other, counting them in cluster-wide atomics; stops
     * when its fabric fails. Returns {@code {fabricId, fabric, frames}}.
     */
    static final class BlurFrames implements IgniteCallable<String[]> {
        private static final long serialVersionUID = 1L;

        private final String run;
        private final byte[] frame;

        BlurFrames(String run, byte[] frame) {
            this.run = run;
            this.frame = frame;
        }

        @Override
        public String[] call() {
            FabricTaskContext ctx = FabricTaskContext.current();
            Ignite ignite = Ignition.localIgnite();
            String fabric = ctx.fabric().getFabricType() + " " + ctx.fabric().getModel();
            ignite.atomicReference(run + "-first", "", false).compareAndSet("", ctx.fabric().getFabricId() + " "
                + ctx.fabric().getNodeId() + " " + fabric);
            IgniteAtomicLong frames = ignite.atomicLong(run + "-frames", 0, false);
            for (int i = 0; i < FRAMES; i++) {
                if (ctx.isCancelled())
                    throw new IllegalStateException("stopped at frame " + i + " on " + fabric);
                ctx.execute("image.gaussian-blur", frame);
                frames.incrementAndGet();
            }
            ignite.atomicLong(run + "-finished", 0, false).incrementAndGet();
            return new String[] {ctx.fabric().getFabricId().toString(), fabric, String.valueOf(FRAMES)};
        }
    }

    /** Fails ({@code reason} set) or restores a declared fabric of the node it runs on; returns its state. */
    static final class FaultSwitch implements IgniteCallable<String> {
        private static final long serialVersionUID = 1L;

        private final UUID fabricId;
        private final String reason;

        @IgniteInstanceResource
        private transient Ignite ignite;

        FaultSwitch(UUID fabricId, String reason) {
            this.fabricId = fabricId;
            this.reason = reason;
        }

        @Override
        public String call() {
            String id = fabricId.toString();
            return reason == null ? FabricStitch.of(ignite).faults().restore(id)
                : FabricStitch.of(ignite).faults().fail(id, reason);
        }
    }
}
