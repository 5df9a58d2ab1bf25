package io.fabricstitch.function.builtin;

import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.InvalidInputException;
import io.fabricstitch.model.FabricType;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Iterator;
import java.util.Set;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

/**
 * {@code image.gaussian-blur}: a PNG in, the blurred image as a PNG out (same width and height, 8-bit ARGB).
 * <p>
 * The result is defined exactly, so that an image cut into tiles (each with a 4-pixel halo) gives byte-identical
 * pixels to the whole image:
 * <ol>
 * <li>Pixels are read as {@link BufferedImage#getRGB} returns them: 8-bit sRGB, non-premultiplied ARGB. The four
 *     channels A, R, G, B are blurred independently.</li>
 * <li>Kernel: sigma 1.5, radius 4 (9 taps). {@code g[i] = Math.exp(-(i * i) / (2 * 1.5 * 1.5))} in double for
 *     {@code i = -4..4}; {@code sum} = their double sum in that order; weight {@code w[i] = (float)(g[i] / sum)}.</li>
 * <li>Horizontal pass, per row, column {@code x} and channel: {@code h = 0.0f}, then for {@code i = -4..4} in that
 *     order {@code h += w[i] * (float)p[clamp(x + i, 0, width - 1)]} (float arithmetic). Kept as float.</li>
 * <li>Vertical pass over the horizontal results, per column, row {@code y} and channel: {@code v = 0.0f}, then for
 *     {@code i = -4..4} {@code v += w[i] * h[clamp(y + i, 0, height - 1)]} (float arithmetic).</li>
 * <li>Output channel: {@code min(255, max(0, (int)Math.floor(v + 0.5f)))} (round half up).</li>
 * </ol>
 * The output is written by the JDK's PNG writer as 8-bit RGBA. Input that is not a PNG (by its signature), or that the
 * JDK cannot decode, is refused.
 * <p>
 * Before decoding, the function reads the image's size from its header and refuses an image with more pixels than the
 * node's {@link DecodeBudget#maxPixels() maxDecodePixels}; then it takes the memory the call needs (see
 * {@link #reserve}) from the node's {@link DecodeBudget}, waiting for it if others hold it, and gives it back when the
 * call ends.
 */
public final class GaussianBlurFunction implements AccelerationFunction {
    /** The registered name. */
    public static final String NAME = "image.gaussian-blur";

    /**
     * Heap a pixel takes beside the decoded input, bytes: the blurred 8-bit ARGB image (4) and its PNG encoding,
     * counted at its uncompressed size (4).
     */
    public static final long OUTPUT_BYTES_PER_PIXEL = 8;

    /** Kernel radius in pixels; the kernel has {@code 2 * RADIUS + 1} taps. */
    public static final int RADIUS = 4;

    /** Kernel standard deviation in pixels. */
    public static final double SIGMA = 1.5;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Set<FabricType> fabricTypes() {
        return Set.of(FabricType.CPU);
    }

    @Override
    public String description() {
        return "Gaussian blur (sigma 1.5, 9 taps, edges clamped) of a PNG, PNG out";
    }

    @Override
    public byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
        PngHeader png = PngHeader.read(input);
        try (DecodeBudget.Reservation memory = reserve(ctx, png, 0)) {
            BufferedImage src = decode(png, input);
            ctx.checkCancelled();
            return encode(SeparableBlur.blur(src, ctx));
        }
    }

    /**
     * Refuses {@code png} when it has more pixels than the node allows, then reserves from the node's decode budget
     * what blurring it takes: its decoded pixels ({@link PngHeader#decodedBytes()}), {@value #OUTPUT_BYTES_PER_PIXEL}
     * bytes a pixel for the output, and {@code extraBytes} an implementation needs besides (e.g. its row buffers).
     * The input bytes themselves are not counted: they are in the heap already.
     *
     * @throws InvalidInputException when the image is larger than the node allows
     * @throws io.fabricstitch.function.DecodeBudgetExceededException when the budget stayed too full for it
     */
    public static DecodeBudget.Reservation reserve(FunctionContext ctx, PngHeader png, long extraBytes)
        throws FunctionException {
        return ctx.decodeBudget().reserveImage(png.toString(), png.width(), png.height(),
            png.decodedBytes() + OUTPUT_BYTES_PER_PIXEL * png.pixels() + extraBytes);
    }

    /**
     * The kernel weights {@code w[-4..4]} at indices {@code 0..8}, exactly as step 2 defines them: what every
     * implementation of this function (the OpenCL kernel among them) multiplies by.
     */
    public static float[] kernelWeights() {
        return SeparableBlur.WEIGHTS.clone();
    }

    /** A 512x384 test card (gradients, edges and seeded noise): the input the agent times blurs on. */
    @Override
    public byte[] calibrationInput() {
        int w = 512;
        int h = 384;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        java.util.Random rnd = new java.util.Random(42);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int edge = ((x / 32) + (y / 32)) % 2 == 0 ? 40 : 0;
                int r = Math.min(255, x * 255 / w + edge);
                int g = Math.min(255, y * 255 / h + rnd.nextInt(16));
                int b = (x * y) & 0xFF;
                img.setRGB(x, y, 0xFF000000 | r << 16 | g << 8 | b);
            }
        }
        try {
            return encode(img);
        }
        catch (FunctionException e) {
            throw new IllegalStateException("the JDK's PNG writer failed on a generated image", e);
        }
    }

    /**
     * Checks and decodes a PNG input as this function defines it, outside any node: by its signature first, then the
     * pixel count from its header (at most {@value DecodeBudget#DFLT_MAX_PIXELS}), then the image. Takes no decode
     * budget.
     *
     * @throws InvalidInputException when it is not a PNG, is too large, or cannot be decoded, naming why
     */
    public static BufferedImage decode(byte[] input) throws FunctionException {
        PngHeader png = PngHeader.read(input);
        DecodeBudget.jvmDefault().checkPixels(png.toString(), png.width(), png.height());
        return decode(png, input);
    }

    /**
     * Decodes {@code input}, whose header is {@code png}, once its size was checked (see {@link #reserve}). The JDK's
     * reader is told to ignore metadata, so it skips compressed text chunks ({@code zTXt}, {@code iTXt}) without
     * inflating them.
     *
     * @throws InvalidInputException when the JDK cannot decode it, naming why
     */
    public static BufferedImage decode(PngHeader png, byte[] input) throws FunctionException {
        Iterator<ImageReader> readers = ImageIO.getImageReadersByFormatName("png");
        if (!readers.hasNext())
            throw new FunctionException("PNG reader: none in this JVM (expected: the JDK's javax.imageio PNG reader)");
        ImageReader reader = readers.next();
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(input))) {
            reader.setInput(in, true, true);
            if (reader.getWidth(0) != png.width() || reader.getHeight(0) != png.height())
                throw new IllegalStateException("the reader sees " + reader.getWidth(0) + 'x' + reader.getHeight(0)
                    + ", the header says " + png.width() + 'x' + png.height());
            return reader.read(0);
        }
        catch (IOException | RuntimeException e) {
            throw new InvalidInputException("input: a PNG that cannot be decoded (" + e.getMessage()
                + ") (expected: a valid PNG image)", e);
        }
        finally {
            reader.dispose();
        }
    }

    /** Encodes the output with the JDK's PNG writer, as this function defines it. */
    public static byte[] encode(BufferedImage img) throws FunctionException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            if (!ImageIO.write(img, "png", out))
                throw new FunctionException("PNG writer: none in this JVM (expected: the JDK's javax.imageio PNG "
                    + "writer)");
        }
        catch (IOException e) {
            throw new FunctionException("PNG output: could not be written (" + e + ')', e);
        }
        return bytes.toByteArray();
    }
}
