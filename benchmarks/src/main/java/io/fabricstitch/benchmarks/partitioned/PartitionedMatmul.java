package io.fabricstitch.benchmarks.partitioned;

import io.fabricstitch.function.builtin.MatmulF32Function;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * {@link PartitionedBenchmark}'s matrix product: {@code matmul.f32} of two generated {@code --matrix} square matrices,
 * by row blocks of A.
 */
final class PartitionedMatmul extends PartitionedWorkload {
    /** Bytes of {@code matmul.f32}'s input header (int32 m, k, n) and of its output header (int32 m, n). */
    private static final int MATMUL_IN_HEADER = 12;
    private static final int MATMUL_OUT_HEADER = 8;

    private final int matrix;

    PartitionedMatmul(int matrix) {
        super("matmul", MatmulF32Function.NAME, "Partitioned matrix product against one fabric", "copying rows of "
            + "A, all of B and rows of C between byte arrays");
        this.matrix = matrix;
    }

    @Override
    byte[] generate() {
        return matrices(matrix);
    }

    @Override
    String generated(byte[] input) {
        return String.format(Locale.ROOT, "A and B, %dx%d float32 each, %d bytes of input", matrix, matrix,
            input.length);
    }

    @Override
    PartitionCutter cutter() {
        return new RowBlocks();
    }

    @Override
    String inputText(byte[] input, int outputBytes) {
        return String.format(Locale.ROOT, "C = A×B of two generated %dx%d float32 matrices (seeded, uniform in "
            + "[-1, 1)), %,d bytes in (m, k, n, A, B); output %,d bytes (m, n, C)", matrix, matrix, input.length,
            outputBytes);
    }

    @Override
    String cutText() {
        return "a splitter that gives each part its block of rows of A and all of B, in the function's input "
            + "format, and a reducer that concatenates the parts' rows of C in order under one (m, n) header";
    }

    @Override
    String where(byte[] a, byte[] b, int at) {
        if (at < MATMUL_OUT_HEADER || at >= Math.min(a.length, b.length))
            return " (in the header or past the end of the shorter)";
        int n = ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getInt(4);
        int e = (at - MATMUL_OUT_HEADER) / 4;
        int off = MATMUL_OUT_HEADER + 4 * e;
        return String.format(Locale.ROOT, " (C[%d][%d]: %s vs %s)", e / n, e % n,
            Float.toString(ByteBuffer.wrap(a).order(ByteOrder.LITTLE_ENDIAN).getFloat(off)),
            Float.toString(ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getFloat(off)));
    }

    /**
     * Cuts a {@code matmul.f32} input by row blocks of A, in proportion to the shares: each part's input is
     * {@code (rows, k, n)}, its rows of A and all of B, so that it computes its rows of C exactly as the whole product
     * does (each row of C depends only on its row of A and on B, accumulated in the same order). Concatenates the
     * parts' rows of C, in order, under one {@code (m, n)} header: the whole product's output. One instance per task.
     */
    private static final class RowBlocks extends PartitionCutter {
        private int m;
        private int n;

        @Override
        public List<byte[]> split(byte[] input, List<Double> shares) {
            long t0 = System.nanoTime();
            ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
            m = in.getInt(0);
            int k = in.getInt(4);
            n = in.getInt(8);
            long expected = MATMUL_IN_HEADER + 4L * ((long)m * k + (long)k * n);
            if (m < 1 || k < 1 || n < 1 || input.length != expected)
                throw new IllegalArgumentException("input: " + input.length + " bytes for m=" + m + ", k=" + k + ", n="
                    + n + " (expected: " + expected + " = 12 + 4*(m*k + k*n))");
            int[] b = blocks(m, shares, "matrix A");
            int bBytes = 4 * k * n;
            int bAt = MATMUL_IN_HEADER + 4 * m * k;
            List<byte[]> inputs = new ArrayList<>(shares.size());
            for (int i = 0; i < shares.size(); i++) {
                int rowsOfA = b[i + 1] - b[i];
                int aBytes = 4 * rowsOfA * k;
                byte[] part = new byte[MATMUL_IN_HEADER + aBytes + bBytes];
                ByteBuffer.wrap(part).order(ByteOrder.LITTLE_ENDIAN).putInt(rowsOfA).putInt(k).putInt(n);
                System.arraycopy(input, MATMUL_IN_HEADER + 4 * b[i] * k, part, MATMUL_IN_HEADER, aBytes);
                System.arraycopy(input, bAt, part, MATMUL_IN_HEADER + aBytes, bBytes);
                inputs.add(part);
                rows.add(new int[] {b[i], b[i + 1], b[i]});
                inputBytes.add(part.length);
            }
            splitNanos = System.nanoTime() - t0;
            return inputs;
        }

        @Override
        public byte[] reduce(List<byte[]> outputs) {
            long t0 = System.nanoTime();
            if (outputs.size() != rows.size())
                throw new IllegalArgumentException("outputs: " + outputs.size() + " (expected: " + rows.size()
                    + ", one per row block)");
            byte[] c = new byte[MATMUL_OUT_HEADER + 4 * m * n];
            ByteBuffer.wrap(c).order(ByteOrder.LITTLE_ENDIAN).putInt(m).putInt(n);
            for (int i = 0; i < outputs.size(); i++) {
                byte[] o = outputs.get(i);
                int[] r = rows.get(i);
                int want = r[1] - r[0];
                ByteBuffer ob = ByteBuffer.wrap(o).order(ByteOrder.LITTLE_ENDIAN);
                if (o.length != MATMUL_OUT_HEADER + 4L * want * n || ob.getInt(0) != want || ob.getInt(4) != n)
                    throw new IllegalStateException("output of part " + (i + 1) + ": " + o.length + " bytes"
                        + (o.length >= MATMUL_OUT_HEADER ? ", m=" + ob.getInt(0) + ", n=" + ob.getInt(4) : "")
                        + " (expected: m=" + want + ", n=" + n + ", " + (MATMUL_OUT_HEADER + 4L * want * n)
                        + " bytes)");
                System.arraycopy(o, MATMUL_OUT_HEADER, c, MATMUL_OUT_HEADER + 4 * r[0] * n, 4 * want * n);
            }
            reduceNanos = System.nanoTime() - t0;
            return c;
        }
    }

    /**
     * A {@code matmul.f32} input for A and B of {@code n x n}, the same every run: seeded floats uniform in
     * {@code [-1, 1)}, A then B.
     */
    static byte[] matrices(int n) {
        ByteBuffer b = ByteBuffer.allocate(MATMUL_IN_HEADER + 8 * n * n).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(n).putInt(n).putInt(n);
        Random rnd = new Random(5);
        for (int i = 0; i < 2 * n * n; i++)
            b.putFloat(rnd.nextFloat() * 2 - 1);
        return b.array();
    }
}
