package io.fabricstitch.agent.opencl;

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

    /** 16x16 tiles where the device runs work groups of 256, else 8x8. */
    private static KernelProgram program(OpenClDevice device) {
        return device.maxWorkGroupSize() >= 256 ? TILE_16 : TILE_8;
    }

    private static int tile(OpenClDevice device) {
        return program(device) == TILE_16 ? 16 : 8;
    }

    @Override
    List<KernelProgram> programs(OpenClDevice device) {
        return List.of(program(device));
    }

    @Override
    List<KernelProgram> describedPrograms() {
        return List.of(TILE_16);
    }

    @Override
    byte[] run(OpenClDevice device, FunctionContext ctx, byte[] input) throws FunctionException {
        int[] dims = MatmulF32Function.dimensions(input);
        int m = dims[0];
        int k = dims[1];
        int n = dims[2];
        byte[] out = new byte[8 + 4 * m * n];
        ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN).putInt(m).putInt(n);
        KernelProgram program = program(device);
        int tile = tile(device);
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
