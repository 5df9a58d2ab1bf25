package io.fabricstitch.agent.opencl;

import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.builtin.GaussianBlurFunction;
import io.fabricstitch.function.builtin.PngHeader;
import io.fabricstitch.model.FabricType;
import java.awt.image.BufferedImage;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * {@code image.gaussian-blur} as two OpenCL kernels (a horizontal and a vertical pass) on the fabric's device: the
 * PNG is decoded and encoded on the host by the same code as the Java implementation, the pixels are blurred on the
 * device in strips of rows (each with its 4-row halo), and the output bytes are the Java implementation's (see
 * {@code gaussian_blur.cl}). Device memory is bounded by the strip: 24 bytes a pixel, at most {@value #STRIP_BYTES}
 * bytes a strip.
 */
final class OpenClGaussianBlur extends OpenClKernelFunction {
    static final String NAME_ = GaussianBlurFunction.NAME;

    /** Device memory one strip may take, bytes. */
    static final long STRIP_BYTES = 64L << 20;

    private static final int RADIUS = GaussianBlurFunction.RADIUS;

    static final KernelProgram PROGRAM = KernelProgram.source("gaussian_blur.cl", ClSources.text("gaussian_blur.cl"),
        "-cl-std=CL1.2", List.of("blur_rows", "blur_cols"));

    private static final float[] WEIGHTS = GaussianBlurFunction.kernelWeights();

    private final long stripBytes;

    OpenClGaussianBlur(OpenClRuntime runtime) {
        this(runtime, STRIP_BYTES);
    }

    /** A blur whose strips take at most {@code stripBytes} of device memory (tests cut small images in strips). */
    OpenClGaussianBlur(OpenClRuntime runtime, long stripBytes) {
        super(runtime);
        this.stripBytes = stripBytes;
    }

    @Override
    public String name() {
        return NAME_;
    }

    @Override
    public Set<FabricType> fabricTypes() {
        return EnumSet.allOf(FabricType.class);
    }

    @Override
    public String description() {
        return "Gaussian blur (sigma 1.5, 9 taps, edges clamped) of a PNG as OpenCL kernels, PNG out";
    }

    @Override
    List<KernelProgram> programs(OpenClDevice device) {
        return List.of(PROGRAM);
    }

    @Override
    List<KernelProgram> describedPrograms() {
        return List.of(PROGRAM);
    }

    /**
     * Blurs a small image with edges, noise and transparency on the device and compares the PNG with the Java blur's:
     * a driver that fuses the multiply-adds despite {@code FP_CONTRACT OFF} would give other bytes.
     */
    @Override
    String verify(OpenClDevice device) throws FunctionException {
        BufferedImage img = new BufferedImage(37, 23, BufferedImage.TYPE_INT_ARGB);
        java.util.Random rnd = new java.util.Random(37);
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++)
                img.setRGB(x, y, rnd.nextInt());
        }
        byte[] png = GaussianBlurFunction.encode(img);
        FunctionContext ctx = checkContext(device);
        if (java.util.Arrays.equals(new GaussianBlurFunction().execute(ctx, png), run(device, ctx, png)))
            return null;
        return "its blur of a test image differs from the Java blur's bytes (expected: identical; the driver may fuse "
            + "multiply-adds despite FP_CONTRACT OFF)";
    }

    /** Output rows per strip of at most {@code stripBytes} for an image {@code width} wide, {@code height} high. */
    static int stripRows(int width, int height, long stripBytes) {
        long perRow = 24L * width;
        long rows = stripBytes / perRow - 2L * RADIUS;
        return (int)Math.max(1, Math.min(height, rows));
    }

    /**
     * Decodes on the host what the node's decode budget allows (as the Java blur does, counting the strip buffers
     * besides), blurs on the device, encodes on the host.
     */
    @Override
    byte[] run(OpenClDevice device, FunctionContext ctx, byte[] input) throws FunctionException {
        PngHeader png = PngHeader.read(input);
        int strip = stripRows(png.width(), png.height(), stripBytes);
        int maxIn = Math.min(png.height(), strip + 2 * RADIUS);
        long hostBuffers = 4L * png.width() * (maxIn + strip);
        try (DecodeBudget.Reservation memory = GaussianBlurFunction.reserve(ctx, png, hostBuffers)) {
            BufferedImage src = GaussianBlurFunction.decode(png, input);
            ctx.checkCancelled();
            return GaussianBlurFunction.encode(blur(device, ctx, src, strip, maxIn));
        }
    }

    private BufferedImage blur(OpenClDevice device, FunctionContext ctx, BufferedImage src, int strip, int maxIn)
        throws FunctionException {
        int width = src.getWidth();
        int height = src.getHeight();
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        device.call(s -> {
            cl_mem weights = s.buffer(CL.CL_MEM_READ_ONLY, 4L * WEIGHTS.length, Pointer.to(WEIGHTS));
            cl_mem in = s.buffer(CL.CL_MEM_READ_ONLY, 4L * width * maxIn, null);
            cl_mem tmp = s.buffer(CL.CL_MEM_READ_WRITE, 16L * width * maxIn, null);
            cl_mem out = s.buffer(CL.CL_MEM_WRITE_ONLY, 4L * width * strip, null);
            cl_kernel rows = s.kernel(PROGRAM, "blur_rows");
            cl_kernel cols = s.kernel(PROGRAM, "blur_cols");
            int[] pixels = new int[width * maxIn];
            int[] result = new int[width * strip];
            for (int y0 = 0; y0 < height; y0 += strip) {
                ctx.checkCancelled();
                int n = Math.min(strip, height - y0);
                int first = Math.max(0, y0 - RADIUS);
                int halo = Math.min(height, y0 + n + RADIUS) - first;
                src.getRGB(0, first, width, halo, pixels, 0, width);
                s.write(in, 4L * width * halo, Pointer.to(pixels));
                ClSources.args(rows, in, tmp, weights, width, halo);
                s.run(rows, new long[] {width, halo}, null);
                ClSources.args(cols, tmp, out, weights, width, height, first, y0, n);
                s.run(cols, new long[] {width, n}, null);
                s.read(out, 4L * width * n, Pointer.to(result));
                dst.setRGB(0, y0, width, n, result, 0, width);
            }
            return null;
        });
        return dst;
    }
}
