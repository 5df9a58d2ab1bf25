package io.fabricstitch.function.builtin;

import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.InvalidInputException;
import io.fabricstitch.model.FabricType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.Set;

/**
 * {@code matmul.f32}: {@code C = A * B} in float32.
 * <p>
 * Input, little-endian: {@code int32 m, int32 k, int32 n} (each {@code 1..}{@value #MAX_DIMENSION}), then
 * {@code m*k} float32 of A row-major, then {@code k*n} float32 of B row-major; exactly
 * {@code 12 + 4*(m*k + k*n)} bytes. Output, little-endian: {@code int32 m, int32 n}, then {@code m*n} float32 of C
 * row-major. Each row of C accumulates in float over {@code p = 0..k-1} in order ({@code c[i][j] += a[i][p] * b[p][j]},
 * the cache-friendly i-p-j loop). Cancellation is checked once per row.
 * <p>
 * The output can be thousands of times the input ({@code m = n = 16384, k = 1}: 128 KiB in, 1 GiB out), so a call
 * takes its output and its copy of B from the node's {@link DecodeBudget} before it allocates them.
 */
public final class MatmulF32Function implements AccelerationFunction {
    /** The registered name. */
    public static final String NAME = "matmul.f32";

    /** Largest m, k or n; with it every matrix (at most 2^28 floats, 1 GiB) fits in one array. */
    public static final int MAX_DIMENSION = 16384;

    /** Bytes of the {@code m, k, n} header. */
    static final int HEADER = 12;

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
        return "float32 matrix product C = A*B (little-endian m, k, n, A, B in; m, n, C out)";
    }

    /** Two seeded 256x256 matrices: the input the agent times matrix products on. */
    @Override
    public byte[] calibrationInput() {
        int d = 256;
        ByteBuffer b = ByteBuffer.allocate(HEADER + 4 * 2 * d * d).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(d).putInt(d).putInt(d);
        java.util.Random rnd = new java.util.Random(7);
        for (int i = 0; i < 2 * d * d; i++)
            b.putFloat(rnd.nextFloat() * 2 - 1);
        return b.array();
    }

    /**
     * The {@code m, k, n} of an input, checked as this function defines it: each {@code 1..16384}, and exactly
     * {@code 12 + 4*(m*k + k*n)} bytes.
     *
     * @throws InvalidInputException naming what is wrong and what is accepted
     */
    public static int[] dimensions(byte[] input) throws FunctionException {
        if (input.length < HEADER)
            throw new InvalidInputException("input: " + input.length + " bytes (expected: at least 12, little-endian "
                + "int32 m, k, n followed by A and B as float32)");
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int m = dimension(in.getInt(0), "m");
        int k = dimension(in.getInt(4), "k");
        int n = dimension(in.getInt(8), "n");
        long expected = HEADER + 4L * ((long)m * k + (long)k * n);
        if (input.length != expected)
            throw new InvalidInputException("input: " + input.length + " bytes (expected: " + expected
                + " = 12 + 4*(m*k + k*n) bytes for m=" + m + ", k=" + k + ", n=" + n + ')');
        return new int[] {m, k, n};
    }

    @Override
    public byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
        int[] dims = dimensions(input);
        int m = dims[0];
        int k = dims[1];
        int n = dims[2];
        try (DecodeBudget.Reservation memory = ctx.decodeBudget().reserve(describe(dims),
            outputBytes(dims) + 4L * k * n)) {
            FloatBuffer a = floats(input, HEADER);
            float[] b = new float[k * n];
            floats(input, HEADER + 4 * m * k).get(b);
            ByteBuffer out = ByteBuffer.allocate(8 + 4 * m * n).order(ByteOrder.LITTLE_ENDIAN).putInt(m).putInt(n);
            FloatBuffer c = floats(out.array(), 8);
            multiply(ctx, a, b, m, k, n, c);
            return out.array();
        }
    }

    /** Bytes of the output for {@link #dimensions} {@code m, k, n}: {@code 8 + 4*m*n}. */
    public static long outputBytes(int[] dims) {
        return 8 + 4L * dims[0] * dims[2];
    }

    /** For messages: {@code a 16384x1 by 1x16384 matrix product}. */
    public static String describe(int[] dims) {
        return "a " + dims[0] + 'x' + dims[1] + " by " + dims[1] + 'x' + dims[2] + " matrix product";
    }

    private static void multiply(FunctionContext ctx, FloatBuffer a, float[] b, int m, int k, int n, FloatBuffer c)
        throws FunctionException {
        float[] aRow = new float[k];
        float[] cRow = new float[n];
        for (int i = 0; i < m; i++) {
            ctx.checkCancelled();
            a.get(i * k, aRow);
            Arrays.fill(cRow, 0.0f);
            for (int p = 0; p < k; p++) {
                float aip = aRow[p];
                int base = p * n;
                for (int j = 0; j < n; j++)
                    cRow[j] += aip * b[base + j];
            }
            c.put(i * n, cRow);
        }
    }

    private static int dimension(int v, String name) throws FunctionException {
        if (v < 1 || v > MAX_DIMENSION)
            throw new InvalidInputException(name + ": " + v + " (expected: 1.." + MAX_DIMENSION + ")");
        return v;
    }

    /** A little-endian float view of {@code bytes} from {@code offset} on. */
    private static FloatBuffer floats(byte[] bytes, int offset) {
        return ByteBuffer.wrap(bytes, offset, bytes.length - offset).slice().order(ByteOrder.LITTLE_ENDIAN)
            .asFloatBuffer();
    }
}
