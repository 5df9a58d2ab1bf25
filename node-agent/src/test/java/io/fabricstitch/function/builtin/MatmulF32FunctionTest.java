package io.fabricstitch.function.builtin;

import static io.fabricstitch.function.FunctionFixtures.cancelledAfter;
import static io.fabricstitch.function.FunctionFixtures.context;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MatmulF32FunctionTest {
    private final MatmulF32Function matmul = new MatmulF32Function();

    /** The input format of {@code matmul.f32}. */
    static byte[] encode(int m, int k, int n, float[] a, float[] b) {
        ByteBuffer buf = ByteBuffer.allocate(12 + 4 * (a.length + b.length)).order(ByteOrder.LITTLE_ENDIAN)
            .putInt(m).putInt(k).putInt(n);
        for (float v : a)
            buf.putFloat(v);
        for (float v : b)
            buf.putFloat(v);
        return buf.array();
    }

    private static float[] random(int count, Random r) {
        float[] v = new float[count];
        for (int i = 0; i < count; i++)
            v[i] = r.nextFloat() * 2 - 1;
        return v;
    }

    private String rejection(byte[] input) {
        return assertThrows(FunctionException.class, () -> matmul.execute(context(), input)).getMessage();
    }

    @Test
    void matmul_matchesANaiveDoubleProduct() throws FunctionException {
        int m = 7;
        int k = 13;
        int n = 5;
        Random r = new Random(11);
        float[] a = random(m * k, r);
        float[] b = random(k * n, r);
        ByteBuffer out = ByteBuffer.wrap(matmul.execute(context(), encode(m, k, n, a, b)))
            .order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(8 + 4 * m * n, out.capacity());
        assertEquals(m, out.getInt());
        assertEquals(n, out.getInt());
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double expected = 0;
                double magnitude = 0;
                for (int p = 0; p < k; p++) {
                    expected += (double)a[i * k + p] * b[p * n + j];
                    magnitude += Math.abs((double)a[i * k + p] * b[p * n + j]);
                }
                assertEquals(expected, out.getFloat(), 1e-6 * magnitude + 1e-7, "C[" + i + "][" + j + "]");
            }
        }
    }

    @Test
    void matmul_ofOneByOne_isTheProduct() throws FunctionException {
        ByteBuffer out = ByteBuffer.wrap(matmul.execute(context(),
            encode(1, 1, 1, new float[] {1.5f}, new float[] {-4f}))).order(ByteOrder.LITTLE_ENDIAN);
        assertEquals(1, out.getInt(0));
        assertEquals(1, out.getInt(4));
        assertEquals(-6f, out.getFloat(8));
    }

    @Test
    void matmul_refusesAWrongLength_namingExpectedAndFound() {
        byte[] full = encode(2, 3, 4, new float[6], new float[12]);
        byte[] short1 = Arrays.copyOf(full, full.length - 4);
        assertEquals("input: 80 bytes (expected: 84 = 12 + 4*(m*k + k*n) bytes for m=2, k=3, n=4)",
            rejection(short1));
        byte[] long1 = Arrays.copyOf(full, full.length + 1);
        assertEquals("input: 85 bytes (expected: 84 = 12 + 4*(m*k + k*n) bytes for m=2, k=3, n=4)",
            rejection(long1));
        assertEquals("input: 12 bytes (expected: 2147483660 = 12 + 4*(m*k + k*n) bytes for m=16384, k=16384, "
            + "n=16384)", rejection(encode(16384, 16384, 16384, new float[0], new float[0])));
        assertEquals("input: 5 bytes (expected: at least 12, little-endian int32 m, k, n followed by A and B as "
            + "float32)", rejection(new byte[5]));
    }

    @Test
    void matmul_refusesDimensionsOutOfRange_namingThem() {
        assertEquals("m: 0 (expected: 1..16384)", rejection(encode(0, 1, 1, new float[0], new float[1])));
        assertEquals("k: -3 (expected: 1..16384)", rejection(encode(1, -3, 1, new float[0], new float[0])));
        assertEquals("n: 16385 (expected: 1..16384)", rejection(encode(1, 1, 16385, new float[1], new float[0])));
    }

    @Test
    void matmul_checksCancellationEveryRow() {
        byte[] input = encode(4, 2, 2, new float[8], new float[4]);
        assertThrows(FunctionCancelledException.class, () -> matmul.execute(cancelledAfter(2), input));
    }
}
