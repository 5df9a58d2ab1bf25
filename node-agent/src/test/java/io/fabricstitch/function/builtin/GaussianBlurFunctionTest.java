package io.fabricstitch.function.builtin;

import static io.fabricstitch.function.FunctionFixtures.cancelledAfter;
import static io.fabricstitch.function.FunctionFixtures.context;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionException;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class GaussianBlurFunctionTest {
    private final GaussianBlurFunction blur = new GaussianBlurFunction();

    private static BufferedImage randomImage(int width, int height, long seed) {
        Random r = new Random(seed);
        BufferedImage img = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++)
                img.setRGB(x, y, r.nextInt());
        }
        return img;
    }

    private static byte[] png(BufferedImage img) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, "png", out));
        return out.toByteArray();
    }

    private static BufferedImage decode(byte[] png) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
        assertTrue(img != null, "output is a PNG");
        return img;
    }

    private static int channel(int argb, int c) {
        return (argb >>> (24 - 8 * c)) & 0xFF;
    }

    private static int clamp(int v, int max) {
        return Math.max(0, Math.min(v, max));
    }

    /** Direct 2-D convolution in double with the Gaussian of sigma 1.5, radius 4, edges clamped. */
    private static int[][][] directConvolution(BufferedImage img) {
        double[] g = new double[9];
        double sum = 0;
        for (int i = 0; i < 9; i++) {
            g[i] = Math.exp(-((i - 4) * (i - 4)) / 4.5);
            sum += g[i];
        }
        int w = img.getWidth();
        int h = img.getHeight();
        int[][][] out = new int[h][w][4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 4; c++) {
                    double v = 0;
                    for (int dy = -4; dy <= 4; dy++) {
                        for (int dx = -4; dx <= 4; dx++) {
                            int p = channel(img.getRGB(clamp(x + dx, w - 1), clamp(y + dy, h - 1)), c);
                            v += g[dx + 4] / sum * g[dy + 4] / sum * p;
                        }
                    }
                    out[y][x][c] = (int)Math.round(v);
                }
            }
        }
        return out;
    }

    /** The algorithm exactly as the Javadoc states it, with a whole-image float intermediate. */
    private static int[] documentedAlgorithm(BufferedImage img) {
        double[] g = new double[9];
        double sum = 0;
        for (int i = -4; i <= 4; i++) {
            g[i + 4] = Math.exp(-(i * i) / (2 * 1.5 * 1.5));
            sum += g[i + 4];
        }
        float[] wt = new float[9];
        for (int t = 0; t < 9; t++)
            wt[t] = (float)(g[t] / sum);
        int w = img.getWidth();
        int h = img.getHeight();
        float[][][] hp = new float[h][w][4];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                for (int c = 0; c < 4; c++) {
                    float acc = 0.0f;
                    for (int i = -4; i <= 4; i++)
                        acc += wt[i + 4] * (float)channel(img.getRGB(clamp(x + i, w - 1), y), c);
                    hp[y][x][c] = acc;
                }
            }
        }
        int[] out = new int[w * h];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int pixel = 0;
                for (int c = 0; c < 4; c++) {
                    float acc = 0.0f;
                    for (int i = -4; i <= 4; i++)
                        acc += wt[i + 4] * hp[clamp(y + i, h - 1)][x][c];
                    pixel |= Math.min(255, Math.max(0, (int)Math.floor(acc + 0.5f))) << (24 - 8 * c);
                }
                out[y * w + x] = pixel;
            }
        }
        return out;
    }

    @Test
    void blur_isWithinOneOfADirect2dConvolutionInDouble() throws Exception {
        BufferedImage src = randomImage(37, 23, 1);
        BufferedImage out = decode(blur.execute(context(), png(src)));
        assertEquals(37, out.getWidth());
        assertEquals(23, out.getHeight());
        assertTrue(out.getColorModel().hasAlpha(), "ARGB kept");
        int[][][] expected = directConvolution(src);
        int changed = 0;
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                int argb = out.getRGB(x, y);
                changed += argb != src.getRGB(x, y) ? 1 : 0;
                for (int c = 0; c < 4; c++) {
                    int diff = Math.abs(channel(argb, c) - expected[y][x][c]);
                    assertTrue(diff <= 1, "pixel (" + x + ", " + y + ") channel " + c + ": " + channel(argb, c)
                        + " vs " + expected[y][x][c]);
                }
            }
        }
        assertTrue(changed > 37 * 23 / 2, "a random image is blurred: " + changed);
    }

    @Test
    void blur_isByteIdenticalToTheDocumentedFloatAlgorithm_onATallImage() throws Exception {
        BufferedImage src = randomImage(11, 60, 2);
        BufferedImage out = decode(blur.execute(context(), png(src)));
        assertArrayEquals(documentedAlgorithm(src), out.getRGB(0, 0, 11, 60, null, 0, 11));
    }

    @Test
    void blur_keepsAUniformImageUniform_andASinglePixelAsItIs() throws Exception {
        BufferedImage uniform = new BufferedImage(20, 15, BufferedImage.TYPE_INT_ARGB);
        for (int y = 0; y < 15; y++) {
            for (int x = 0; x < 20; x++)
                uniform.setRGB(x, y, 0x80C86432);
        }
        BufferedImage out = decode(blur.execute(context(), png(uniform)));
        for (int y = 0; y < 15; y++) {
            for (int x = 0; x < 20; x++)
                assertEquals(0x80C86432, out.getRGB(x, y), "pixel (" + x + ", " + y + ")");
        }
        BufferedImage one = randomImage(1, 1, 3);
        assertEquals(one.getRGB(0, 0), decode(blur.execute(context(), png(one))).getRGB(0, 0));
    }

    @Test
    void blur_refusesNonPng_namingWhatItFound() {
        FunctionException e = assertThrows(FunctionException.class,
            () -> blur.execute(context(), "hello".getBytes(StandardCharsets.US_ASCII)));
        assertEquals("input: 5 bytes starting 68 65 6C 6C 6F (expected: a PNG image, starting with the PNG signature "
            + "89 50 4E 47 0D 0A 1A 0A)", e.getMessage());
        assertEquals("input: 0 bytes (expected: a PNG image, starting with the PNG signature 89 50 4E 47 0D 0A 1A 0A)",
            assertThrows(FunctionException.class, () -> blur.execute(context(), new byte[0])).getMessage());
    }

    @Test
    void blur_refusesAnUndecodablePng() throws Exception {
        byte[] valid = png(randomImage(8, 8, 4));
        byte[] truncated = Arrays.copyOf(valid, valid.length / 2);
        FunctionException e = assertThrows(FunctionException.class, () -> blur.execute(context(), truncated));
        assertTrue(e.getMessage().startsWith("input: a PNG that cannot be decoded (")
            && e.getMessage().endsWith(") (expected: a valid PNG image)"), e.getMessage());
    }

    @Test
    void blur_refusesAnImageClaimingMoreThan64Megapixels_beforeDecoding() {
        FunctionException e = assertThrows(FunctionException.class,
            () -> blur.execute(context(), pngHeaderOnly(10_000, 10_000)));
        assertEquals("input: a 10000x10000 PNG, 100000000 pixels (expected: at most 64000000 pixels, the node's "
            + "agent.maxDecodePixels)", e.getMessage());
    }

    @Test
    void blur_checksCancellationEveryRow() throws Exception {
        byte[] input = png(randomImage(16, 16, 5));
        assertThrows(FunctionCancelledException.class, () -> blur.execute(cancelledAfter(2), input));
    }

    /** The PNG signature and an IHDR chunk (8-bit RGBA) with a valid CRC; no image data. */
    private static byte[] pngHeaderOnly(int width, int height) {
        ByteBuffer ihdr = ByteBuffer.allocate(17).put("IHDR".getBytes(StandardCharsets.US_ASCII)).putInt(width)
            .putInt(height).put((byte)8).put((byte)6).put((byte)0).put((byte)0).put((byte)0);
        CRC32 crc = new CRC32();
        crc.update(ihdr.array());
        return ByteBuffer.allocate(8 + 4 + 17 + 4)
            .put(new byte[] {(byte)0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'})
            .putInt(13).put(ihdr.array()).putInt((int)crc.getValue()).array();
    }
}
