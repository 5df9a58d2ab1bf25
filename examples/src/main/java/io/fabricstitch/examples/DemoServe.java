package io.fabricstitch.examples;

import io.fabricstitch.ignite.FabricStitch;
import io.fabricstitch.ignite.compute.FabricCompute;
import java.io.PrintStream;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;

/**
 * {@code bin/fabric demo --serve}: keeps the demo cluster up with its web console open, and routes one of the demo's
 * tasks every {@link #TRAFFIC_INTERVAL} so the console's assignments keep moving, until stopped (Ctrl-C).
 */
final class DemoServe {
    /** Time between two demo tasks while serving. */
    static final Duration TRAFFIC_INTERVAL = Duration.ofSeconds(2);

    private DemoServe() {
    }

    /**
     * Prints the console's address and serves until {@code stop} opens.
     *
     * @return the exit code: 0 when stopped, 1 when the node has no console
     */
    static int serve(Ignite node, PrintStream out, PrintStream err, CountDownLatch stop) throws InterruptedException {
        URI console = FabricStitch.of(node).consoleAddress().orElse(null);
        if (console == null) {
            err.println("fabric: demo --serve: node " + node.name() + " has no web console (see its log: the console "
                + "is off, or no port of console.host:console.port..+console.portRange was free)");
            return 1;
        }
        out.println();
        out.println("Web console: " + console);
        out.println("The demo keeps running and routes one task every " + TRAFFIC_INTERVAL.toSeconds() + " s; inject "
            + "a fault with jconsole (io.fabricstitch:type=FabricFaults) and watch it in the console. Ctrl-C stops it.");
        out.flush();
        FabricCompute compute = FabricCompute.of(node);
        List<DemoRouting.DemoTask> tasks = DemoRouting.tasks();
        int i = 0;
        while (!stop.await(TRAFFIC_INTERVAL.toMillis(), TimeUnit.MILLISECONDS)) {
            DemoRouting.DemoTask t = tasks.get(i++ % (tasks.size() - 1)); // the last one never fits
            try {
                compute.execute(t.request());
            }
            catch (IgniteException e) {
                err.println("fabric: demo task " + t.function + " failed: " + e.getMessage());
            }
        }
        out.println("Stopping the demo.");
        return 0;
    }
}
