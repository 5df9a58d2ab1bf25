package io.fabricstitch.benchmarks.device;

import io.fabricstitch.benchmarks.suite.HeterogeneousCluster;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.ignite.FabricConsoleConfiguration;
import io.fabricstitch.agent.datapath.FabricDataPathConfiguration;
import io.fabricstitch.agent.net.FabricNetworkConfiguration;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.ignite.FabricPluginConfiguration;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.model.FabricType;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.apache.ignite.Ignite;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.apache.ignite.lang.IgniteFuture;

/**
 * A placement run in which one fabric is real: two server nodes in this JVM, {@code real-0} with this host's OpenCL
 * device beside its CPU fabric and {@code real-1} with its CPU only; a batch of blurs (CPU type, one core each,
 * balanced) sent at once through {@link FabricCompute#executeAsync} from {@code real-1}; the makespan, and where the
 * tasks went and as what they ran. The same batch on the same two nodes without OpenCL is the baseline.
 */
final class RealFabricPlacement {
    /** First port the clusters of this run try. */
    static final int FIRST_PORT = 52600;

    private RealFabricPlacement() {
    }

    /** The outcome of one batch. */
    static final class Outcome {
        final long makespanNanos;
        final Map<String, Integer> byFabric;
        final String openClSpeeds;

        Outcome(long makespanNanos, Map<String, Integer> byFabric, String openClSpeeds) {
            this.makespanNanos = makespanNanos;
            this.byFabric = byFabric;
            this.openClSpeeds = openClSpeeds;
        }
    }

    /** Runs {@code tasks} blurs of {@code png} on a fresh cluster, with or without the OpenCL device. */
    static Outcome run(boolean openCl, int tasks, byte[] png, PrintStream progress) throws Exception {
        FabricTestCluster nodes = new FabricTestCluster();
        HeterogeneousCluster.PortBlock ports = HeterogeneousCluster.PortBlock.find(FIRST_PORT);
        try {
            Ignite real = nodes.start(config(nodes, ports, "real-0", new FabricPluginConfiguration()
                .setAgent(new FabricAgentConfiguration().setRealProbesEnabled(true).setOpenClEnabled(openCl)
                    .setDeviceAllowList(List.of("opencl:*")))
                .setNetwork(new FabricNetworkConfiguration().setBeaconsEnabled(false))
                .setDataPath(new FabricDataPathConfiguration().setEnabled(false))
                .setConsole(new FabricConsoleConfiguration().setEnabled(false))));
            Ignite caller = nodes.start(config(nodes, ports, "real-1", new FabricPluginConfiguration()
                .setAgent(new FabricAgentConfiguration().setRealProbesEnabled(false))
                .setNetwork(new FabricNetworkConfiguration().setBeaconsEnabled(false))
                .setDataPath(new FabricDataPathConfiguration().setEnabled(false))
                .setConsole(new FabricConsoleConfiguration().setEnabled(false))));
            if (!FabricPlugin.of(real).agent().awaitCalibration(Duration.ofMinutes(2)))
                throw new IllegalStateException("calibration of real-0 still running after 2 minutes");
            HeterogeneousCluster.awaitOnline(caller, openCl ? 3 : 2);
            progress.printf("placement cluster (%s OpenCL) up on ports %s%n", openCl ? "with" : "without", ports);
            FabricCompute fc = FabricCompute.of(caller);
            for (int i = 0; i < 4; i++)
                fc.execute(request(png));
            List<IgniteFuture<TaskResult>> futures = new ArrayList<>(tasks);
            long start = System.nanoTime();
            for (int i = 0; i < tasks; i++)
                futures.add(fc.executeAsync(request(png)));
            Map<String, Integer> by = new TreeMap<>();
            for (IgniteFuture<TaskResult> f : futures) {
                TaskResult r = f.get(10, TimeUnit.MINUTES);
                by.merge(r.placement().nodeName() + " " + r.placement().model() + " (" + r.runtime() + ')', 1,
                    Integer::sum);
            }
            long makespan = System.nanoTime() - start;
            String speeds = FabricPlugin.of(caller).fabricMap().stream()
                .filter(f -> f.getRuntime().contains("OPENCL")).findFirst()
                .map(f -> "image.gaussian-blur " + f.speedFor("image.gaussian-blur") + " "
                    + f.getFunctions().get("image.gaussian-blur").speedSource()).orElse("");
            return new Outcome(makespan, by, speeds);
        }
        finally {
            nodes.afterAll(null);
        }
    }

    private static IgniteConfiguration config(FabricTestCluster nodes, HeterogeneousCluster.PortBlock ports,
        String name, FabricPluginConfiguration plugin) {
        plugin.getOrchestrator().setQueueTimeoutMs(TimeUnit.MINUTES.toMillis(10));
        IgniteConfiguration cfg = nodes.configuration(name, plugin);
        ports.apply(cfg);
        return cfg;
    }

    private static TaskRequest request(byte[] png) {
        return TaskRequest.builder("image.gaussian-blur").require(FabricType.CPU, 1).input(png)
            .timeout(Duration.ofMinutes(10)).build();
    }
}
