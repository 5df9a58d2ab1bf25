package io.fabricstitch.agent.opencl;

import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.builtin.MatmulF32Function;
import io.fabricstitch.model.FabricType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/**
 * {@code matmul.f32} as a tiled OpenCL kernel on the fabric's device, in blocks of rows of C (the call can be
 * cancelled between blocks). The input's little-endian floats go to the device as they are; each element of C sums
 * in the Java implementation's order with contraction off, so on a device that honours {@code FP_CONTRACT OFF} the
 * output equals the Java one bit for bit, and elsewhere (a driver that fuses multiply-adds) each element is within
 * {@code k * 2^-23 * sum_p |a[i][p] * b[p][j]|} of it.
 */
final class OpenClMatmul extends OpenClKernelFunction {
    static final String NAME_ = MatmulF32Function.NAME;

    /** Multiply-adds per block of rows: about 0.1 s on a slow device, so cancellation is seen soon. */
    static final long BLOCK_FLOPS = 1L << 27;

    private static final String SOURCE = ClSources.text("matmul_f32.cl");
    static final KernelProgram TILE_16 = KernelProgram.source("matmul_f32.cl", SOURCE, "-cl-std=CL1.2 -DTILE=16",
        List.of("matmul"));
    static final KernelProgram TILE_8 = KernelProgram.source("matmul_f32.cl", SOURCE, "-cl-std=CL1.2 -DTILE=8",
        List.of("matmul"));

    OpenClMatmul(OpenClRuntime runtime) {
        super(runtime);
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
        return "float32 matrix product C = A*B as a tiled OpenCL kernel";
    }

    /** The program {@link #verify} chose for each device, by fabric id. */
    private final java.util.Map<java.util.UUID, KernelProgram> chosen = new java.util.concurrent.ConcurrentHashMap<>();

    /** 16x16 tiles where the device runs work groups of 256, else 8x8, until {@link #verify} chose for it. */
    private KernelProgram program(OpenClDevice device) {
        KernelProgram p = chosen.get(device.fabricId());
        return p != null ? p : device.maxWorkGroupSize() >= 256 ? TILE_16 : TILE_8;
    }

    private static int tile(KernelProgram p) {
        return p == TILE_16 ? 16 : 8;
    }

    @Override
    List<KernelProgram> programs(OpenClDevice device) {
        return List.of(program(device));
    }

    /**
     * Chooses the tile the built kernel runs with on the device ({@code CL_KERNEL_WORK_GROUP_SIZE}, which may be less
     * than the device's limit), 16x16 else 8x8, and checks a small product against the Java one within the stated
     * tolerance.
     */
    @Override
    String verify(OpenClDevice device) throws FunctionException {
        List<KernelProgram> candidates = device.maxWorkGroupSize() >= 256 ? List.of(TILE_16, TILE_8) : List.of(TILE_8);
        for (KernelProgram p : candidates) {
            int t = tile(p);
            long fits = device.call(s -> s.workGroupSize(s.kernel(p, "matmul")));
            if (fits < (long)t * t)
                continue;
            chosen.put(device.fabricId(), p);
            byte[] in = checkInput();
            FunctionContext ctx = checkContext(device);
            String bad = outOfTolerance(in, new MatmulF32Function().execute(ctx, in), run(device, ctx, in));
            if (bad == null)
                return null;
            chosen.remove(device.fabricId());
            return "its product of a test matrix is out of tolerance: " + bad;
        }
        return "the kernel runs in work groups of fewer than 64 work items on it (expected: at least 8x8)";
    }

    private static byte[] checkInput() {
        int m = 19;
        int k = 33;
        int n = 21;
        ByteBuffer b = ByteBuffer.allocate(12 + 4 * (m * k + k * n)).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(m).putInt(k).putInt(n);
        java.util.Random rnd = new java.util.Random(19);
        for (int i = 0; i < m * k + k * n; i++)
            b.putFloat(rnd.nextFloat() * 200 - 100);
        return b.array();
    }

    /**
     * The first element of {@code actual} further than {@code k * 2^-23 * sum_p |a[i][p] * b[p][j]|} from
     * {@code expected}, described; null when every one is within.
     */
    static String outOfTolerance(byte[] input, byte[] expected, byte[] actual) {
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int m = in.getInt(0);
        int k = in.getInt(4);
        int n = in.getInt(8);
        ByteBuffer e = ByteBuffer.wrap(expected).order(ByteOrder.LITTLE_ENDIAN);
        ByteBuffer a = ByteBuffer.wrap(actual).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++)
                    sum += Math.abs((double)in.getFloat(12 + 4 * (i * k + p)) * in.getFloat(12 + 4 * (m * k + p * n + j)));
                float want = e.getFloat(8 + 4 * (i * n + j));
                float got = a.getFloat(8 + 4 * (i * n + j));
                if (!(Math.abs(want - got) <= k * Math.ulp(1.0f) * sum + Float.MIN_NORMAL))
                    return "C[" + i + "][" + j + "] = " + got + " (Java: " + want + ")";
            }
        }
        return null;
    }

    @Override
    List<KernelProgram> describedPrograms() {
        return List.of(TILE_16);
    }

    @Override
    byte[] run(OpenClDevice device, FunctionContext ctx, byte[] input) throws FunctionException {
        int[] dims = MatmulF32Function.dimensions(input);
        try (DecodeBudget.Reservation memory = ctx.decodeBudget().reserve(MatmulF32Function.describe(dims),
            MatmulF32Function.outputBytes(dims))) {
            return multiply(device, ctx, input, dims);
        }
    }

    private byte[] multiply(OpenClDevice device, FunctionContext ctx, byte[] input, int[] dims)
        throws FunctionException {
        int m = dims[0];
        int k = dims[1];
        int n = dims[2];
        byte[] out = new byte[8 + 4 * m * n];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(m).putInt(n);
        KernelProgram program = program(device);
        int tile = tile(program);
        int block = (int)Math.max(1, Math.min(m, BLOCK_FLOPS / Math.max(1L, (long)k * n)));
        ctx.checkCancelled();
        device.call(s -> {
            long aOffset = 12;
            long bOffset = 12 + 4L * m * k;
            cl_mem b = s.buffer(CL.CL_MEM_READ_ONLY, 4L * k * n, Pointer.to(input).withByteOffset(bOffset));
            cl_mem a = s.buffer(CL.CL_MEM_READ_ONLY, 4L * block * k, null);
            cl_mem c = s.buffer(CL.CL_MEM_WRITE_ONLY, 4L * block * n, null);
            cl_kernel kernel = s.kernel(program, "matmul");
            for (int i0 = 0; i0 < m; i0 += block) {
                ctx.checkCancelled();
                int rows = Math.min(block, m - i0);
                s.write(a, 4L * rows * k, Pointer.to(input).withByteOffset(aOffset + 4L * i0 * k));
                ClSources.args(kernel, a, b, c, rows, k, n);
                s.run(kernel, new long[] {ClSources.roundUp(n, tile), ClSources.roundUp(rows, tile)},
                    new long[] {tile, tile});
                s.read(c, 4L * rows * n, Pointer.to(out).withByteOffset(8 + 4L * i0 * n));
            }
            return null;
        });
        return out;
    }
}
