package io.fabricstitch.function.builtin;

import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionContext;
import java.awt.image.BufferedImage;

/**
 * The blur of {@link GaussianBlurFunction}, exactly as its Javadoc defines it. Horizontal results are kept for the
 * last {@code 2 * RADIUS + 1} rows only (a ring), which holds the same float values a whole-image intermediate would.
 */
final class SeparableBlur {
    private static final int RADIUS = GaussianBlurFunction.RADIUS;
    private static final int TAPS = 2 * RADIUS + 1;

    /** The kernel weights {@code w[-4..4]} at indices {@code 0..8}. */
    static final float[] WEIGHTS = weights(GaussianBlurFunction.SIGMA);

    private static final int[] SHIFTS = {24, 16, 8, 0};

    private SeparableBlur() {
    }

    static float[] weights(double sigma) {
        double[] g = new double[TAPS];
        double sum = 0;
        for (int i = -RADIUS; i <= RADIUS; i++) {
            g[i + RADIUS] = Math.exp(-(i * i) / (2 * sigma * sigma));
            sum += g[i + RADIUS];
        }
        float[] w = new float[TAPS];
        for (int t = 0; t < TAPS; t++)
            w[t] = (float)(g[t] / sum);
        return w;
    }

    /** The blurred image, {@link BufferedImage#TYPE_INT_ARGB}; checks cancellation once per row. */
    static BufferedImage blur(BufferedImage src, FunctionContext ctx) throws FunctionCancelledException {
        int width = src.getWidth();
        int height = src.getHeight();
        BufferedImage dst = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        float[][] ring = new float[TAPS][width * 4];
        float[] px = new float[width * 4];
        int[] argb = new int[width];
        int next = 0;
        for (int y = 0; y < height; y++) {
            ctx.checkCancelled();
            for (int last = Math.min(y + RADIUS, height - 1); next <= last; next++) {
                src.getRGB(0, next, width, 1, argb, 0, width);
                horizontal(argb, px, ring[next % TAPS]);
            }
            vertical(ring, y, height, argb);
            dst.setRGB(0, y, width, 1, argb, 0, width);
        }
        return dst;
    }

    private static void horizontal(int[] argb, float[] px, float[] out) {
        int width = argb.length;
        for (int x = 0; x < width; x++) {
            for (int c = 0; c < 4; c++)
                px[x * 4 + c] = (float)((argb[x] >>> SHIFTS[c]) & 0xFF);
        }
        for (int x = 0; x < width; x++) {
            for (int c = 0; c < 4; c++) {
                float acc = 0.0f;
                for (int i = -RADIUS; i <= RADIUS; i++)
                    acc += WEIGHTS[i + RADIUS] * px[clamp(x + i, width - 1) * 4 + c];
                out[x * 4 + c] = acc;
            }
        }
    }

    private static void vertical(float[][] ring, int y, int height, int[] out) {
        int width = out.length;
        float[][] rows = new float[TAPS][];
        for (int i = -RADIUS; i <= RADIUS; i++)
            rows[i + RADIUS] = ring[clamp(y + i, height - 1) % TAPS];
        for (int x = 0; x < width; x++) {
            int pixel = 0;
            for (int c = 0; c < 4; c++) {
                float acc = 0.0f;
                for (int t = 0; t < TAPS; t++)
                    acc += WEIGHTS[t] * rows[t][x * 4 + c];
                int v = (int)Math.floor(acc + 0.5f);
                pixel |= Math.min(255, Math.max(0, v)) << SHIFTS[c];
            }
            out[x] = pixel;
        }
    }

    private static int clamp(int v, int max) {
        return v < 0 ? 0 : Math.min(v, max);
    }
}
