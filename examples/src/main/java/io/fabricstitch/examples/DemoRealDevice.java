package io.fabricstitch.examples;

import io.fabricstitch.examples.api.DemoImage;
import io.fabricstitch.ignite.FabricStitch;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.compute.TaskResult;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import org.apache.ignite.Ignite;

/**
 * The demo's real-device part: a blur placed on the fabric whose functions run as OpenCL kernels (on a host without a
 * GPU, the CPU's OpenCL device from Debian's pocl), and the same blur on the node's CPU fabric in Java, with the time of
 * each and whether their PNG bytes are equal.
 */
final class DemoRealDevice {
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private DemoRealDevice() {
    }

    /** The first fabric whose functions run as OpenCL kernels, in {@code node}'s copy of the map. */
    static Optional<FabricEntry> openClFabric(Ignite node) {
        return FabricStitch.of(node).fabricMap().stream()
            .filter(f -> f.getFunctions().values().stream().anyMatch(i -> i.runtime() == FabricRuntime.OPENCL))
            .findFirst();
    }

    /** Runs the blur on the OpenCL fabric and on its node's CPU fabric and prints both; false when there is none. */
    static boolean run(Ignite node, PrintStream out) {
        FabricEntry cl = openClFabric(node).orElse(null);
        if (cl == null) {
            out.println("No fabric here runs OpenCL kernels: the opencl probe says why in the log (on Debian, "
                + "pocl-opencl-icd, ocl-icd-libopencl1 and ocl-icd-opencl-dev make the CPU an OpenCL device).");
            return false;
        }
        FabricEntry java = FabricStitch.of(node).fabricMap().stream().filter(f -> f.getNodeId().equals(cl.getNodeId())
            && "cpu".equals(f.getDeviceKey())).findFirst().orElse(null);
        String fn = "image.gaussian-blur";
        byte[] png = DemoImage.png(640, 480);
        FabricCompute compute = FabricCompute.of(node);
        long t0 = System.nanoTime();
        TaskResult onDevice = compute.execute(pinned(fn, cl, png));
        long clMs = (System.nanoTime() - t0) / 1_000_000;
        out.println(String.format(Locale.ROOT, "%s of a 640x480 PNG pinned to %s %s (RUNTIME %s, %s) on %s: ran as %s "
            + "%s, %d ms", fn, cl.getFabricType(), cl.getModel(), cl.getRuntime(), cl.getDeviceKey(),
            onDevice.placement().nodeName(), onDevice.runtime() == FabricRuntime.OPENCL ? "an OpenCL kernel:"
                : onDevice.runtime(), onDevice.ranAs().implementation(), clMs));
        if (java != null) {
            long t1 = System.nanoTime();
            TaskResult onCpu = compute.execute(pinned(fn, java, png));
            long javaMs = (System.nanoTime() - t1) / 1_000_000;
            out.println(String.format(Locale.ROOT, "the same blur on %s %s (RUNTIME %s) ran as %s, %d ms; same PNG "
                + "bytes: %s", java.getFabricType(), java.getModel(), java.getRuntime(), onCpu.runtime(), javaMs,
                Arrays.equals(onDevice.output(), onCpu.output()) ? "yes" : "NO"));
        }
        return true;
    }

    private static TaskRequest pinned(String fn, FabricEntry f, byte[] input) {
        return TaskRequest.builder(fn).require(f.getFabricType(), 1).fabric(f.getFabricId()).input(input)
            .timeout(TIMEOUT).build();
    }
}
