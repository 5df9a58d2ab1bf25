package io.fabricstitch.agent.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.HostilePngs;
import io.fabricstitch.function.InvalidInputException;
import io.fabricstitch.function.builtin.GaussianBlurFunction;
import io.fabricstitch.function.builtin.MatmulF32Function;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The built-in kernels on this host's real OpenCL device against the Java implementations. */
class OpenClBuiltinKernelsTest {
    private static final UUID FABRIC = UUID.randomUUID();
    private static OpenClRuntime runtime;
    private static Map<String, AccelerationFunction> functions;
    private static FunctionContext ctx;

    @BeforeAll
    static void attach() {
        DetectedFabric d = OpenClHost.device();
        runtime = new OpenClRuntime(List.of());
        functions = runtime.attach(FABRIC, d);
        ctx = OpenClHost.context(FABRIC, d);
    }

    @AfterAll
    static void close() {
        if (runtime != null)
            runtime.close();
    }

    @Test
    void attachBuildsBothBuiltInProgramsOnce() throws Exception {
        assertEquals(List.of("image.gaussian-blur", "matmul.f32"), List.copyOf(functions.keySet()));
        int before = runtime.builds().size();
        functions.get("matmul.f32").execute(ctx, matmul(3, 4, 5, new Random(1)));
        assertEquals(before, runtime.builds().size(), "a call reuses the program built at attach");
        assertTrue(functions.get("image.gaussian-blur").implementation().contains("blur_rows"));
    }

    @Test
    void blurOutputIsByteIdenticalToTheJavaBlur_forOddSizesAndEdges() throws Exception {
        GaussianBlurFunction java = new GaussianBlurFunction();
        for (int[] size : new int[][] {{1, 1}, {3, 7}, {9, 2}, {131, 67}, {640, 480}}) {
            byte[] png = png(size[0], size[1], new Random(size[0] * 31L + size[1]));
            byte[] expected = java.execute(ctx, png);
            byte[] actual = functions.get("image.gaussian-blur").execute(ctx, png);
            assertArrayEquals(expected, actual, "blur of a " + size[0] + "x" + size[1] + " image");
        }
    }

    @Test
    void blurInStripsEqualsTheWholeImage() throws Exception {
        long budget = 24L * 100 * 20; // 20 rows of a 100-pixel-wide image: 12 rows a strip beside their 8-row halo
        assertEquals(12, OpenClGaussianBlur.stripRows(100, 59, budget));
        assertEquals(59, OpenClGaussianBlur.stripRows(100, 59, OpenClGaussianBlur.STRIP_BYTES));
        OpenClGaussianBlur strips = new OpenClGaussianBlur(runtime, budget);
        byte[] png = png(100, 59, new Random(5));
        assertArrayEquals(new GaussianBlurFunction().execute(ctx, png), strips.execute(ctx, png));
    }

    @Test
    void blurRefusesWhatTheJavaBlurRefuses() {
        InvalidInputException e = assertThrows(InvalidInputException.class,
            () -> functions.get("image.gaussian-blur").execute(ctx, new byte[] {1, 2, 3}));
        assertTrue(e.getMessage().startsWith("input: 3 bytes starting 01 02 03 (expected: a PNG image"), e.getMessage());
    }

    @Test
    void blurRefusesAPngClaiming60000x60000_andTakesWhatItDecodesFromTheNodesBudget() throws Exception {
        AccelerationFunction blur = functions.get("image.gaussian-blur");
        assertEquals("input: a 60000x60000 PNG, 3600000000 pixels (expected: at most 64000000 pixels, the node's "
            + "agent.maxDecodePixels)", assertThrows(InvalidInputException.class,
            () -> blur.execute(ctx, HostilePngs.claiming(60_000, 60_000))).getMessage());
        DecodeBudget budget = DecodeBudget.of(4L << 20, Duration.ofSeconds(30), DecodeBudget.DFLT_MAX_PIXELS);
        // 307 200 pixels x 12 bytes, plus the host's strip buffers of 480 + 480 rows of 640 ints
        assertEquals("input: a 640x480 PNG needs 5.9 MiB to decode (expected: at most the node's decode budget, "
            + "4.0 MiB; see agent.decodeBudgetBytes)", assertThrows(InvalidInputException.class,
            () -> blur.execute(ctx.withDecodeBudget(budget), png(640, 480, new Random(3)))).getMessage());
        assertEquals(0, budget.inUseBytes());
    }

    @Test
    void matmulIsWithinTheStatedToleranceOfTheJavaProduct() throws Exception {
        MatmulF32Function java = new MatmulF32Function();
        Random rnd = new Random(11);
        for (int[] mkn : new int[][] {{1, 1, 1}, {17, 33, 5}, {64, 64, 64}, {100, 37, 129}}) {
            byte[] in = matmul(mkn[0], mkn[1], mkn[2], rnd);
            float[] expected = floats(java.execute(ctx, in));
            float[] actual = floats(functions.get("matmul.f32").execute(ctx, in));
            float[] bound = bound(in, mkn[0], mkn[1], mkn[2]);
            for (int i = 0; i < expected.length; i++)
                assertTrue(Math.abs(expected[i] - actual[i]) <= bound[i], "C[" + i + "] of " + mkn[0] + "x" + mkn[1]
                    + "x" + mkn[2] + ": " + actual[i] + " vs " + expected[i]);
        }
    }

    @Test
    void matmulInSeveralBlocksOfRowsEqualsTheJavaProduct() throws Exception {
        int m = 700;
        int k = 513;
        int n = 401; // m*k*n > 2^27 multiply-adds: two blocks, the second read from an offset into the input
        assertTrue((long)m * k * n > OpenClMatmul.BLOCK_FLOPS);
        byte[] in = matmul(m, k, n, new Random(23));
        assertEquals(null, OpenClMatmul.outOfTolerance(in, new MatmulF32Function().execute(ctx, in),
            functions.get("matmul.f32").execute(ctx, in)));
    }

    @Test
    void matmulRefusesBadInputWithTheJavaMessage() {
        byte[] in = ByteBuffer.allocate(12).order(ByteOrder.LITTLE_ENDIAN).putInt(0).putInt(2).putInt(2).array();
        assertEquals("m: 0 (expected: 1..16384)", assertThrows(InvalidInputException.class,
            () -> functions.get("matmul.f32").execute(ctx, in)).getMessage());
    }

    @Test
    void cancelledCallStopsBeforeTheDevice() {
        FunctionContext cancelled = FunctionContext.of(ctx.fabric(), false, () -> true);
        assertThrows(FunctionCancelledException.class,
            () -> functions.get("matmul.f32").execute(cancelled, matmul(8, 8, 8, new Random(2))));
    }

    /** {@code k * 2^-23 * sum_p |a[i][p] * b[p][j]|} per element of C. */
    private static float[] bound(byte[] in, int m, int k, int n) {
        ByteBuffer b = ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN);
        float[] out = new float[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += Math.abs((double)b.getFloat(12 + 4 * (i * k + p)) * b.getFloat(12 + 4 * (m * k + p * n + j)));
                out[i * n + j] = (float)(k * Math.ulp(1.0f) * sum) + Float.MIN_NORMAL;
            }
        }
        return out;
    }

    static byte[] matmul(int m, int k, int n, Random rnd) {
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * (m * k + k * n)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(m).putInt(k).putInt(n);
        for (int i = 0; i < m * k + k * n; i++)
            b.putFloat(rnd.nextFloat() * 200 - 100);
        return b.array();
    }

    private static float[] floats(byte[] out) {
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int m = b.getInt();
        int n = b.getInt();
        float[] f = new float[m * n];
        b.asFloatBuffer().get(f);
        return f;
    }

    static byte[] png(int w, int h, Random rnd) throws Exception {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++)
                img.setRGB(x, y, rnd.nextInt());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }
}
