package io.fabricstitch.examples;

import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.PartPlan;
import io.fabricstitch.ignite.compute.PartitionedResult;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.TaskRequest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.ignite.Ignite;

/**
 * A partitioned task, end to end: {@code bin/fabric tiles --output blurred.png [--input image.png]} starts the demo
 * cluster, blurs the image in strips across the demo's fabrics (the GPUs, the FPGA and the CPUs that run
 * {@code image.gaussian-blur}), in shares proportional to each fabric's speed and cost, stitches the strips, writes
 * the PNG, and checks it byte for byte against the same blur on one fabric.
 */
final class PartitionedBlurExample {
    /** The image the example makes when given none. */
    static final int WIDTH = 1600;
    static final int HEIGHT = 1200;

    private PartitionedBlurExample() {
    }

    /**
     * Runs the example on a started cluster from {@code node}.
     *
     * @return whether the tiled result equals the single-fabric one
     */
    static boolean run(Ignite node, byte[] png, Path output, PrintStream out) throws IOException {
        TaskRequest perPart = TaskRequest.builder("image.gaussian-blur").amount(1).priority(PriorityClass.BATCH)
            .timeout(Duration.ofMinutes(2)).build();
        TiledBlur tiles = new TiledBlur();
        long t0 = System.nanoTime();
        PartitionedResult<byte[]> r = FabricCompute.of(node).map(perPart, png, tiles, tiles);
        long tiledMs = (System.nanoTime() - t0) / 1_000_000;
        Files.write(output, r.value());
        out.println("Blurred " + png.length + " bytes of PNG in " + r.plan().size() + " strips in " + tiledMs
            + " ms; wrote " + r.value().length + " bytes to " + output);
        List<int[]> strips = tiles.strips();
        for (int i = 0; i < r.plan().size(); i++) {
            PartPlan plan = r.plan().get(i);
            Placement p = r.placements().get(i);
            out.println(String.format(Locale.ROOT, "  strip %d: rows %4d..%4d  %-44s share %.3f (speed %.1f, "
                + "cost %.4f)  ran on %s %s (%s)", i + 1, strips.get(i)[0], strips.get(i)[1] - 1,
                plan.fabric().getFabricType() + " " + plan.fabric().getModel(), plan.share(),
                plan.fabric().getSpeedFactor(), plan.cost(), p.fabricType(), p.model(), p.nodeName()));
        }
        byte[] whole = FabricCompute.of(node).execute(TaskRequest.builder("image.gaussian-blur").input(png)
            .priority(PriorityClass.BATCH).timeout(Duration.ofMinutes(2)).build()).output();
        boolean same = Arrays.equals(whole, r.value());
        out.println(same ? "Byte-identical to the whole image blurred on one fabric (" + whole.length + " bytes)."
            : "DIFFERENT from the whole image blurred on one fabric: " + whole.length + " vs " + r.value().length
            + " bytes");
        return same;
    }

    /** The input: the PNG at {@code input}, or a generated test image when null. */
    static byte[] image(Path input) throws IOException {
        return input == null ? DemoRouting.demoPng(WIDTH, HEIGHT) : Files.readAllBytes(input);
    }
}
