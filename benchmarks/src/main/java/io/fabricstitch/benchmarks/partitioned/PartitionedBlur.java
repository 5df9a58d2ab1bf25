package io.fabricstitch.benchmarks.partitioned;

import io.fabricstitch.function.builtin.GaussianBlurFunction;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * {@link PartitionedBenchmark}'s blur: {@code image.gaussian-blur} of a generated {@code --size} PNG, in strips with
 * halos.
 */
final class PartitionedBlur extends PartitionedWorkload {
    private final int size;

    PartitionedBlur(int size) {
        super("blur", GaussianBlurFunction.NAME, "Partitioned blur against one fabric", "decoding and encoding "
            + "PNGs");
        this.size = size;
    }

    @Override
    byte[] generate() {
        return image(size);
    }

    @Override
    String generated(byte[] input) {
        return String.format(Locale.ROOT, "a %dx%d PNG of %d bytes", size, size, input.length);
    }

    @Override
    PartitionCutter cutter() {
        return new Strips();
    }

    @Override
    String inputText(byte[] input, int outputBytes) {
        return String.format(Locale.ROOT, "a generated %dx%d PNG of %,d bytes; output %,d bytes of PNG", size, size,
            input.length, outputBytes);
    }

    @Override
    String cutText() {
        return "a splitter and reducer that cut the PNG into strips with a " + GaussianBlurFunction.RADIUS
            + "-row halo and stitch them";
    }

    /**
     * Cuts a PNG into horizontal strips in proportion to the shares, each with a halo of the blur's radius above and
     * below so that its own rows blur as in the whole image; stitches the blurred strips without their halos and
     * encodes the result as the function encodes its output. One instance per task.
     */
    private static final class Strips extends PartitionCutter {
        private static final int HALO = GaussianBlurFunction.RADIUS;

        private int width;
        private int height;

        @Override
        public List<byte[]> split(byte[] png, List<Double> shares) {
            long t0 = System.nanoTime();
            BufferedImage src = decode(png, "input");
            width = src.getWidth();
            height = src.getHeight();
            int[] b = blocks(height, shares, "image");
            List<byte[]> inputs = new ArrayList<>(shares.size());
            for (int i = 0; i < shares.size(); i++) {
                int from = b[i];
                int to = b[i + 1];
                int top = Math.max(0, from - HALO);
                int bottom = Math.min(height, to + HALO);
                int[] argb = src.getRGB(0, top, width, bottom - top, null, 0, width);
                BufferedImage strip = new BufferedImage(width, bottom - top, BufferedImage.TYPE_INT_ARGB);
                strip.setRGB(0, 0, width, bottom - top, argb, 0, width);
                byte[] in = encode(strip);
                inputs.add(in);
                rows.add(new int[] {from, to, top});
                inputBytes.add(in.length);
            }
            splitNanos = System.nanoTime() - t0;
            return inputs;
        }

        @Override
        public byte[] reduce(List<byte[]> outputs) {
            long t0 = System.nanoTime();
            if (outputs.size() != rows.size())
                throw new IllegalArgumentException("outputs: " + outputs.size() + " (expected: " + rows.size()
                    + ", one per strip)");
            BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
            for (int i = 0; i < outputs.size(); i++) {
                BufferedImage part = decode(outputs.get(i), "output of part " + (i + 1));
                int[] r = rows.get(i);
                int[] argb = part.getRGB(0, r[0] - r[2], width, r[1] - r[0], null, 0, width);
                dst.setRGB(0, r[0], width, r[1] - r[0], argb, 0, width);
            }
            byte[] png = encode(dst);
            reduceNanos = System.nanoTime() - t0;
            return png;
        }
    }

    private static BufferedImage decode(byte[] png, String what) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            if (img == null)
                throw new IllegalArgumentException(what + ": not a PNG (expected: PNG bytes)");
            return img;
        }
        catch (IOException e) {
            throw new UncheckedIOException(what + ": unreadable PNG", e);
        }
    }

    /** PNG bytes as {@code image.gaussian-blur} writes them: the JDK's writer with its defaults. */
    private static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(img, "png", out))
                throw new IllegalStateException("no PNG writer in this JVM");
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * A {@code size x size} test image, the same every run: colour gradients, a few shapes and seeded noise of a few
     * levels, so that the PNG does not compress to nothing.
     */
    static byte[] image(int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Random rnd = new Random(5);
        int[] row = new int[size];
        for (int y = 0; y < size; y++) {
            for (int x = 0; x < size; x++) {
                int n = rnd.nextInt(9) - 4;
                int r = clamp(x * 255 / size + n);
                int g = clamp(y * 255 / size - n);
                int b = clamp(128 + (int)(60 * Math.sin((x + 2 * y) / 37.0)) + n);
                row[x] = r << 16 | g << 8 | b;
            }
            img.setRGB(0, y, size, 1, row, 0, size);
        }
        Graphics2D g = img.createGraphics();
        try {
            g.setColor(Color.WHITE);
            g.fillOval(size / 4, size / 4, size / 2, size / 2);
            g.setColor(Color.BLACK);
            g.fillRect(size / 3, size / 2 - size / 64, size / 3, size / 32);
        }
        finally {
            g.dispose();
        }
        return encode(img);
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
