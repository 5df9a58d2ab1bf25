package io.fabricstitch.agent.opencl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.InvalidInputException;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_program;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User OpenCL functions from source and from a device binary, with their declared argument layouts. */
class OpenClUserFunctionTest {
    private static final String SAXPY = "__kernel void saxpy(__global const float* x, __global const float* y,"
        + " __global float* r, const int n, const float a) {\n"
        + "  int i = get_global_id(0); if (i < n) r[i] = a * x[i] + y[i];\n}\n";

    @TempDir
    Path dir;

    private OpenClFunction saxpy(Path source) {
        return new OpenClFunction().setName("vector.saxpy").setFabricTypes(List.of(FabricType.CPU, FabricType.GPU))
            .setSource(source.toString()).setKernel("saxpy")
            .setArguments("in float[] x, in float[] y, out float[] r, int n, float a = 2.5");
    }

    private static byte[] floats(float... v) {
        ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
        for (float f : v)
            b.putFloat(f);
        return b.array();
    }

    private static Map<String, AccelerationFunction> attach(OpenClRuntime rt, UUID id, DetectedFabric d) {
        return rt.attach(id, d);
    }

    @Test
    void sourceKernelRunsWithItsLayout_inputArraysInOutputArrayOut() throws Exception {
        DetectedFabric d = OpenClHost.device();
        Path src = Files.writeString(dir.resolve("saxpy.cl"), SAXPY);
        try (OpenClRuntime rt = new OpenClRuntime(List.of(saxpy(src)))) {
            UUID id = UUID.randomUUID();
            AccelerationFunction f = attach(rt, id, d).get("vector.saxpy");
            assertEquals(FabricRuntime.OPENCL, f.runtime());
            assertEquals("OpenCL saxpy.cl (saxpy)", f.implementation());
            byte[] out = f.execute(OpenClHost.context(id, d), floats(1, 2, 3, 10, 20, 30));
            assertArrayEquals(floats(12.5f, 25, 37.5f), out);
            InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> f.execute(OpenClHost.context(id, d), new byte[10]));
            assertEquals("input: 10 bytes (expected: a positive multiple of 8 bytes: n elements of each input array "
                + "(x float, y float) one after another, little-endian)", e.getMessage());
        }
    }

    @Test
    void deviceBinaryLoadsThroughCreateProgramWithBinary_asAnFpgaBitstreamWould() throws Exception {
        DetectedFabric d = OpenClHost.device();
        Path bin = Files.write(dir.resolve("saxpy.bin"), binaryOf(d, SAXPY));
        OpenClFunction def = saxpy(dir.resolve("unused.cl")).setSource(null).setBinary(bin.toString());
        try (OpenClRuntime rt = new OpenClRuntime(List.of(def))) {
            UUID id = UUID.randomUUID();
            AccelerationFunction f = attach(rt, id, d).get("vector.saxpy");
            assertArrayEquals(floats(3.5f), f.execute(OpenClHost.context(id, d), floats(1, 1)));
            assertTrue(rt.builds().stream().anyMatch(b -> b.binary() && b.program().equals("saxpy.bin")),
                rt.builds().toString());
        }
    }

    @Test
    void kernelThatDoesNotBuild_stopsTheAttachWithTheBuildLog() throws Exception {
        DetectedFabric d = OpenClHost.device();
        Path src = Files.writeString(dir.resolve("broken.cl"), "__kernel void saxpy(__global float* x) { oops; }");
        try (OpenClRuntime rt = new OpenClRuntime(List.of(saxpy(src).setArguments("in float[] x, out float[] y")))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> rt.attach(UUID.randomUUID(), d));
            assertTrue(e.getMessage().startsWith("openClFunctions element 'vector.saxpy': OpenCL program broken.cl did "
                + "not build for " + d.handles().get(DeviceBinding.OPENCL_DEVICE)), e.getMessage());
            assertTrue(e.getMessage().contains("oops"), e.getMessage());
        }
    }

    @Test
    void deviceNameGlobAndTypesDecideWhereItRuns() throws Exception {
        DetectedFabric d = OpenClHost.device();
        Path src = Files.writeString(dir.resolve("saxpy.cl"), SAXPY);
        try (OpenClRuntime other = new OpenClRuntime(List.of(saxpy(src).setDeviceName("xilinx_u250*")));
             OpenClRuntime gpuOnly = new OpenClRuntime(List.of(saxpy(src).setFabricTypes(List.of(FabricType.FPGA))))) {
            assertFalse(other.attach(UUID.randomUUID(), d).containsKey("vector.saxpy"));
            assertFalse(gpuOnly.attach(UUID.randomUUID(), d).containsKey("vector.saxpy"));
        }
    }

    @Test
    void badDeclarationsAreRefusedNamingWhatIsWrong() throws Exception {
        Path src = Files.writeString(dir.resolve("saxpy.cl"), SAXPY);
        assertEquals("openClFunctions element 'vector.saxpy': arguments: 'in float x' (expected: "
            + KernelArguments.FORMAT + ")", refusal(saxpy(src).setArguments("in float x, out float[] r")));
        assertEquals("openClFunctions element 'vector.saxpy': arguments: 'in float[] x, in float[] y' has 2 input "
            + "array(s), 0 output array(s) and 0 element count(s) (expected: at least one 'in', exactly one 'out', at "
            + "most one 'n')", refusal(saxpy(src).setArguments("in float[] x, in float[] y")));
        assertEquals("openClFunctions element 'vector.saxpy': arguments: 'in half[] x': type half (expected one of: "
            + "char, double, float, int, long, short, uchar, uint, ulong, ushort)",
            refusal(saxpy(src).setArguments("in half[] x, out float[] r")));
        assertEquals("openClFunctions element 'vector.saxpy': arguments: 'float a = x': value 'x' (expected: a float "
            + "literal)", refusal(saxpy(src).setArguments("in float[] x, out float[] r, float a = x")));
        assertTrue(refusal(saxpy(src).setBinary("/x.xclbin")).startsWith("openClFunctions element 'vector.saxpy': "
            + "source: "), "both source and binary");
        assertTrue(refusal(saxpy(dir.resolve("missing.cl"))).contains("cannot be read"));
        assertTrue(refusal(saxpy(src).setKernel("not a name")).contains("kernel: 'not a name'"));
        assertEquals("openClFunctions element 'image.gaussian-blur': name given twice or the name of a built-in OpenCL "
            + "function (expected: a unique name; built in: image.gaussian-blur, matmul.f32)",
            assertThrows(IllegalArgumentException.class, () -> new OpenClRuntime(List.of(saxpy(src)
                .setName("image.gaussian-blur")))).getMessage());
    }

    private static String refusal(OpenClFunction f) {
        return assertThrows(IllegalArgumentException.class, () -> new OpenClRuntime(List.of(f))).getMessage();
    }

    /** The program binary this host's driver makes of {@code source}: what an FPGA vendor's compiler ships. */
    private static byte[] binaryOf(DetectedFabric d, String source) {
        cl_device_id dev = ClLibrary.devices(ClLibrary.platforms().get(Integer.parseInt(
            d.handles().get(DeviceBinding.OPENCL_PLATFORM_INDEX)))).get(Integer.parseInt(
            d.handles().get(DeviceBinding.OPENCL_DEVICE_INDEX)));
        cl_context ctx = CL.clCreateContext(null, 1, new cl_device_id[] {dev}, null, null, null);
        try {
            cl_program p = CL.clCreateProgramWithSource(ctx, 1, new String[] {source}, null, null);
            try {
                CL.clBuildProgram(p, 0, null, "", null, null);
                long[] size = new long[1];
                CL.clGetProgramInfo(p, CL.CL_PROGRAM_BINARY_SIZES, 8, Pointer.to(size), null);
                byte[] bin = new byte[(int)size[0]];
                CL.clGetProgramInfo(p, CL.CL_PROGRAM_BINARIES, org.jocl.Sizeof.POINTER, Pointer.to(Pointer.to(bin)),
                    null);
                return bin;
            }
            finally {
                CL.clReleaseProgram(p);
            }
        }
        finally {
            CL.clReleaseContext(ctx);
        }
    }
}
