package io.fabricstitch.examples.api;

import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.PartPlan;
import io.fabricstitch.ignite.compute.PartitionedResult;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.ignite.compute.PriorityClass;
import io.fabricstitch.ignite.compute.ProgressListener;
import io.fabricstitch.ignite.compute.TaskRequest;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.apache.ignite.Ignite;

/**
 * A partitioned task that writes a PNG: {@link FabricCompute#map} cuts an image into strips ({@link TiledBlur}) in
 * proportion to each fabric's speed and cost, blurs the strips in parallel on their fabrics, stitches them and writes
 * the result; a progress bar (plain lines when not on a terminal) shows the strips done. {@code bin/fabric tiles}
 * runs the same blur and also checks it byte for byte against one fabric.
 * <pre>{@code
 * TiledBlur tiles = new TiledBlur();
 * PartitionedResult<byte[]> r = FabricCompute.of(ignite).map(TaskRequest.builder("image.gaussian-blur")
 *     .priority("batch").build(), png, tiles, tiles, FabricCompute.DFLT_MAX_PARTS, progress);
 * }</pre>
 */
public final class PartitionedBlurExample implements Example {
    /** The image the example makes when given none. */
    public static final int WIDTH = 1600;
    public static final int HEIGHT = 1200;

    /** Where the PNG goes without {@code --output}. */
    public static final String DFLT_OUTPUT = "target/blurred.png";

    /** Smallest and largest side of a generated image, pixels. */
    static final int MIN_SIDE = 16;
    static final int MAX_SIDE = 8000;

    private static final Pattern SIZE = Pattern.compile("(\\d{1,5})x(\\d{1,5})");

    @Override
    public String name() {
        return "blur";
    }

    @Override
    public String summary() {
        return "a partitioned blur across several fabrics, with progress; writes the PNG";
    }

    @Override
    public List<String> options() {
        return List.of("output", "input", "size");
    }

    @Override
    public String optionsHelp() {
        return "--output FILE (default " + DFLT_OUTPUT + "), --input PNG or --size WxH (default " + WIDTH + "x" + HEIGHT
            + ")";
    }

    @Override
    public void check(Map<String, String> options) {
        if (options.containsKey("input") && options.containsKey("size"))
            throw new IllegalArgumentException("--size: given with --input (expected: one of them; --size is for the "
                + "generated image)");
        if (options.containsKey("input")) {
            Path in = Path.of(options.get("input"));
            if (!Files.isRegularFile(in) || !Files.isReadable(in))
                throw new IllegalArgumentException("--input: " + in + " is not a readable file (expected: a PNG image)");
            try {
                decode(Files.readAllBytes(in), "--input: " + in);
            }
            catch (IOException | UncheckedIOException e) {
                throw new IllegalArgumentException("--input: " + in + " cannot be read: " + e.getMessage()
                    + " (expected: a PNG image)");
            }
        }
        if (options.containsKey("size"))
            size(options.get("size"));
        if (Files.isDirectory(Path.of(options.getOrDefault("output", DFLT_OUTPUT))))
            throw new IllegalArgumentException("--output: " + options.get("output") + " is a folder (expected: the "
                + "path of the PNG file to write, e.g. " + DFLT_OUTPUT + ")");
    }

    /**
     * Parses {@code --size WIDTHxHEIGHT}.
     *
     * @throws IllegalArgumentException naming the value and the accepted form
     */
    static int[] size(String text) {
        Matcher m = SIZE.matcher(text.trim());
        if (m.matches()) {
            int w = Integer.parseInt(m.group(1));
            int h = Integer.parseInt(m.group(2));
            if (w >= MIN_SIDE && w <= MAX_SIDE && h >= MIN_SIDE && h <= MAX_SIDE)
                return new int[] {w, h};
        }
        throw new IllegalArgumentException("--size: '" + text + "' (expected: WIDTHxHEIGHT, each " + MIN_SIDE + ".."
            + MAX_SIDE + " pixels, e.g. 640x480)");
    }

    @Override
    public boolean run(ExampleContext ctx) throws IOException {
        PrintStream out = ctx.out();
        int[] wh = size(ctx.option("size", WIDTH + "x" + HEIGHT));
        String inputOption = ctx.option("input", null);
        byte[] png = inputOption != null ? Files.readAllBytes(Path.of(inputOption)) : DemoImage.png(wh[0], wh[1]);
        BufferedImage before = decode(png, "--input: " + inputOption);
        Path output = Path.of(ctx.option("output", DFLT_OUTPUT)).toAbsolutePath();
        out.println("Blurring a " + before.getWidth() + "x" + before.getHeight() + " PNG ("
            + (inputOption != null ? inputOption : "generated") + ") in strips across the fabrics that run "
            + "image.gaussian-blur");
        PartitionedResult<byte[]> r;
        try (ProgressPrinter progress = ctx.progress("strips: ")) {
            r = blurInStrips(ctx.node(), png, output, progress, out);
        }
        BufferedImage after = decode(r.value(), "the blurred result");
        long changed = changedPixels(before, after);
        out.println("Wrote " + after.getWidth() + "x" + after.getHeight() + " PNG, " + r.value().length + " bytes: "
            + output);
        out.println("Pixels changed by the blur: " + changed + " of " + (long)after.getWidth() * after.getHeight());
        return after.getWidth() == before.getWidth() && after.getHeight() == before.getHeight() && changed > 0;
    }

    /**
     * What {@code bin/fabric tiles} runs: the partitioned blur, then the same blur of the whole image on one fabric.
     *
     * @return whether the tiled result equals the single-fabric one
     */
    public static boolean run(Ignite node, byte[] png, Path output, PrintStream out) throws IOException {
        PartitionedResult<byte[]> r = blurInStrips(node, png, output, ProgressListener.NONE, out);
        byte[] whole = FabricCompute.of(node).execute(TaskRequest.builder("image.gaussian-blur").input(png)
            .priority(PriorityClass.BATCH).timeout(Duration.ofMinutes(2)).build()).output();
        boolean same = Arrays.equals(whole, r.value());
        out.println(same ? "Byte-identical to the whole image blurred on one fabric (" + whole.length + " bytes)."
            : "DIFFERENT from the whole image blurred on one fabric: " + whole.length + " vs " + r.value().length
            + " bytes");
        return same;
    }

    /** The input of {@code bin/fabric tiles}: the PNG at {@code input}, or a generated test image when null. */
    public static byte[] image(Path input) throws IOException {
        return input == null ? DemoImage.png(WIDTH, HEIGHT) : Files.readAllBytes(input);
    }

    /** Blurs {@code png} in strips, writes the stitched PNG to {@code output} and prints where each strip ran. */
    static PartitionedResult<byte[]> blurInStrips(Ignite node, byte[] png, Path output, ProgressListener progress,
        PrintStream out) throws IOException {
        TaskRequest perPart = TaskRequest.builder("image.gaussian-blur").amount(1).priority(PriorityClass.BATCH)
            .timeout(Duration.ofMinutes(2)).build();
        TiledBlur tiles = new TiledBlur();
        long t0 = System.nanoTime();
        PartitionedResult<byte[]> r = FabricCompute.of(node).map(perPart, png, tiles, tiles,
            FabricCompute.DFLT_MAX_PARTS, progress);
        long tiledMs = (System.nanoTime() - t0) / 1_000_000;
        if (output.getParent() != null)
            Files.createDirectories(output.getParent());
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
        return r;
    }

    private static BufferedImage decode(byte[] png, String what) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            if (img == null)
                throw new IllegalArgumentException(what + " is not a PNG image (expected: PNG bytes)");
            return img;
        }
        catch (IOException e) {
            throw new UncheckedIOException(what + ": unreadable image: " + e.getMessage(), e);
        }
    }

    private static long changedPixels(BufferedImage a, BufferedImage b) {
        long n = 0;
        for (int y = 0; y < Math.min(a.getHeight(), b.getHeight()); y++) {
            for (int x = 0; x < Math.min(a.getWidth(), b.getWidth()); x++) {
                if ((a.getRGB(x, y) & 0xFFFFFF) != (b.getRGB(x, y) & 0xFFFFFF))
                    n++;
            }
        }
        return n;
    }
}
