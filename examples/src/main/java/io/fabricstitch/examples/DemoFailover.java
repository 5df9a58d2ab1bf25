package io.fabricstitch.examples;

import io.fabricstitch.examples.api.FabricMapPrinter;
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
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.lang.IgniteFuture;

/**
 * The demo's failover part: a long task (a 40-frame "video" blurred frame by frame) starts on the nearest GPU, the L4;
 * after a few frames the demo injects a fault into the L4 (it turns OFFLINE), the running task notices, and the
 * orchestrator places it again on the next-best fabric, where it completes. The demo prints where it ran, the two
 * attempts from {@code FABRIC.TASK_ASSIGNMENT}, and the failed fabric's row in the Fabric Map, OFFLINE with its reason;
 * then it restores the fabric.
 */
final class DemoFailover {
    /** The declared fabric the demo fails (config/fabric-demo.xml). */
    static final String FAILED_FABRIC = "demo-gpu-1";

    /** The fault's reason. */
    static final String FAULT = "GPU fell off the bus (demo)";

    static final int FRAMES = 40;

    private static final String PROGRESS = "fabric-demo-frames";

    private DemoFailover() {
    }

    /** Blurs {@link #FRAMES} frames on its fabric, one after the other, counting them; stops if the fabric fails. */
    static final class BlurVideo implements IgniteCallable<String> {
        private static final long serialVersionUID = 1L;

        private final byte[] frame;

        BlurVideo(byte[] frame) {
            this.frame = frame;
        }

        @Override
        public String call() {
            FabricTaskContext ctx = FabricTaskContext.current();
            IgniteAtomicLong progress = org.apache.ignite.Ignition.localIgnite().atomicLong(PROGRESS, 0, true);
            long bytes = 0;
            for (int i = 0; i < FRAMES; i++) {
                if (ctx.isCancelled())
                    throw new IllegalStateException("stopped at frame " + i + " on " + ctx.fabric().getModel());
                bytes += ctx.execute("image.gaussian-blur", frame).length;
                progress.incrementAndGet();
            }
            return FRAMES + " frames, " + bytes + " bytes of PNG, on " + ctx.fabric().getFabricType() + ' '
                + ctx.fabric().getModel();
        }
    }

    /** Runs the failover demo from {@code node} (the one hosting the fabric to fail) and prints it. */
    static void run(Ignite node, String url, PrintStream out) throws SQLException {
        FabricStitch plugin = FabricStitch.of(node);
        IgniteAtomicLong progress = node.atomicLong(PROGRESS, 0, true);
        progress.getAndSet(0);
        TaskRequest req = TaskRequest.builder("image.gaussian-blur").fabricTypes(FabricType.GPU, FabricType.FPGA)
            .amount(1024).priority(PriorityClass.LATENCY_CRITICAL).timeout(Duration.ofSeconds(60)).build();
        IgniteFuture<String> result = FabricCompute.of(node).callAsync(req, new BlurVideo(DemoRouting.demoPng(320,
            200)));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (progress.get() < 3 && !result.isDone() && System.nanoTime() < deadline)
            pause();
        long frames = progress.get();
        String failed = plugin.faults().fail(FAILED_FABRIC, FAULT);
        out.println("A " + FRAMES + "-frame blur (latency-critical, GPU|FPGA:1024) runs on the nearest GPU; after frame "
            + frames + " the demo injects a fault into it:");
        out.println("  " + failed);
        out.println("  result: " + result.get(TimeUnit.SECONDS.toMillis(60)));
        UUID fabricId = plugin.agent().declaredFabrics().get(FAILED_FABRIC);
        FabricCompute.of(node).awaitReleases(Duration.ofSeconds(10)); // the attempts' rows follow the result
        out.println();
        out.println("Its attempts (" + url + "): SELECT ... FROM FABRIC.TASK_ASSIGNMENT WHERE TASK_ID = ...");
        FabricMapPrinter.print(url, "SELECT a.ATTEMPT, a.FABRIC_TYPE, e.MODEL, a.NODE_NAME, a.STATE, a.DETAIL "
            + "FROM FABRIC.TASK_ASSIGNMENT a LEFT JOIN FABRIC.FABRIC_ENTRY e ON e.FABRIC_ID = a.FABRIC_ID "
            + "WHERE a.TASK_ID = (SELECT TASK_ID FROM FABRIC.TASK_ASSIGNMENT WHERE FABRIC_ID = '" + fabricId + "' "
            + "AND STATE = 'LOST' ORDER BY STARTED_AT DESC LIMIT 1) ORDER BY a.ATTEMPT", out);
        out.println();
        out.println("The failed fabric in the Fabric Map:");
        awaitStatus(url, fabricId, "OFFLINE");
        FabricMapPrinter.print(url, "SELECT NODE_NAME, FABRIC_TYPE, MODEL, STATUS, STATUS_REASON FROM "
            + "FABRIC.FABRIC_ENTRY WHERE FABRIC_ID = '" + fabricId + "'", out);
        out.println("  " + plugin.faults().restore(FAILED_FABRIC) + " (restored)");
    }

    /** Waits (at most 10 s) until the map's row of {@code fabricId} shows {@code status}. */
    private static void awaitStatus(String url, UUID fabricId, String status) throws SQLException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            try (var c = java.sql.DriverManager.getConnection(url);
                 var rs = c.createStatement().executeQuery("SELECT STATUS FROM FABRIC.FABRIC_ENTRY WHERE FABRIC_ID = '"
                     + fabricId + "'")) {
                if (rs.next() && status.equals(rs.getString(1)))
                    return;
            }
            pause();
        }
    }

    private static void pause() {
        try {
            Thread.sleep(20);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
