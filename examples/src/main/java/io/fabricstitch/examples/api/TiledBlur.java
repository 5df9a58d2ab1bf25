package io.fabricstitch.examples.api;

import io.fabricstitch.ignite.compute.Reducer;
import io.fabricstitch.ignite.compute.Splitter;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * Cuts a PNG into horizontal strips for {@code image.gaussian-blur} run as a partitioned task, and puts the blurred
 * strips back together. Each strip carries a halo of {@link #HALO} rows above and below (the blur's radius), so each
 * part blurs its own rows exactly as the whole image would; the reducer drops the halos and encodes the stitched image
 * the way the function encodes its output, so the result is byte-identical to blurring the whole image on one fabric.
 * Strips get rows in proportion to their parts' shares (at least one row each).
 */
public final class TiledBlur implements Splitter<byte[]>, Reducer<byte[]> {
    /** Rows of context a strip needs on each side: the blur kernel's radius. */
    public static final int HALO = 4;

    private int width;
    private int height;
    private final List<int[]> strips = new ArrayList<>();

    /** A splitter and reducer for one image (not thread-safe; use one per task). */
    public TiledBlur() {
    }

    @Override
    public List<byte[]> split(byte[] png, List<Double> shares) {
        BufferedImage src = read(png, "input");
        width = src.getWidth();
        height = src.getHeight();
        if (height < shares.size())
            throw new IllegalArgumentException("image: " + height + " rows for " + shares.size() + " parts (expected: "
                + "at least one row per part)");
        strips.clear();
        List<byte[]> inputs = new ArrayList<>(shares.size());
        int y0 = 0;
        double cumulative = 0;
        for (int i = 0; i < shares.size(); i++) {
            cumulative += shares.get(i);
            int left = shares.size() - 1 - i;
            int y1 = i == shares.size() - 1 ? height
                : Math.max(y0 + 1, Math.min(height - left, (int)Math.round(cumulative * height)));
            int top = Math.max(0, y0 - HALO);
            int bottom = Math.min(height, y1 + HALO);
            BufferedImage tile = new BufferedImage(width, bottom - top, BufferedImage.TYPE_INT_ARGB);
            int[] row = new int[width];
            for (int y = top; y < bottom; y++) {
                src.getRGB(0, y, width, 1, row, 0, width);
                tile.setRGB(0, y - top, width, 1, row, 0, width);
            }
            inputs.add(encode(tile));
            strips.add(new int[] {y0, y1, top});
            y0 = y1;
        }
        return inputs;
    }

    @Override
    public byte[] reduce(List<byte[]> outputs) {
        if (outputs.size() != strips.size())
            throw new IllegalArgumentException("outputs: " + outputs.size() + " (expected: " + strips.size()
                + ", one per strip)");
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        int[] row = new int[width];
        for (int i = 0; i < outputs.size(); i++) {
            BufferedImage part = read(outputs.get(i), "output of part " + (i + 1));
            int[] s = strips.get(i);
            for (int y = s[0]; y < s[1]; y++) {
                part.getRGB(0, y - s[2], width, 1, row, 0, width);
                dst.setRGB(0, y, width, 1, row, 0, width);
            }
        }
        return encode(dst);
    }

    /** The rows {@code [from, to)} of each strip, in order (after {@link #split}). */
    public List<int[]> strips() {
        List<int[]> out = new ArrayList<>();
        strips.forEach(s -> out.add(new int[] {s[0], s[1]}));
        return out;
    }

    private static BufferedImage read(byte[] png, String what) {
        try {
            BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
            if (img == null)
                throw new IllegalArgumentException(what + ": not a PNG image (expected: PNG bytes)");
            return img;
        }
        catch (IOException e) {
            throw new IllegalArgumentException(what + ": unreadable PNG (" + e.getMessage() + ")", e);
        }
    }

    /** Encodes as {@code image.gaussian-blur} encodes its output, so equal pixels give equal bytes. */
    static byte[] encode(BufferedImage img) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            ImageIO.write(img, "png", out);
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
