package io.fabricstitch.agent.opencl;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.InvalidInputException;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/** A user's OpenCL kernel ({@link OpenClFunction}) run with its declared argument layout. */
final class UserKernel extends OpenClKernelFunction {
    private final String name;
    private final Set<FabricType> types;
    private final KernelProgram program;
    private final String kernel;
    private final KernelArguments args;
    private final Pattern deviceName;
    private final String description;
    private final boolean singleWorkItem;

    UserKernel(OpenClRuntime runtime, String name, Set<FabricType> types, KernelProgram program, String kernel,
        KernelArguments args, Pattern deviceName, String description, boolean singleWorkItem) {
        super(runtime);
        this.singleWorkItem = singleWorkItem;
        this.name = name;
        this.types = Set.copyOf(types);
        this.program = program;
        this.kernel = kernel;
        this.args = args;
        this.deviceName = deviceName;
        this.description = description;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public Set<FabricType> fabricTypes() {
        return types;
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    List<KernelProgram> programs(OpenClDevice device) {
        return List.of(program);
    }

    @Override
    List<KernelProgram> describedPrograms() {
        return List.of(program);
    }

    @Override
    boolean runsOn(DetectedFabric device) {
        if (!device.hasOpenCl() || !types.contains(device.fabricType()))
            return false;
        if (!program.isBinary() && !device.features().contains(OpenClProbe.COMPILER_FEATURE))
            return false;
        String clName = device.handles().getOrDefault(DeviceBinding.OPENCL_DEVICE, device.model());
        return deviceName == null || deviceName.matcher(clName).matches();
    }

    /** The kernel must take exactly the arguments the layout declares. */
    @Override
    String verify(OpenClDevice device) throws FunctionException {
        int declared = args.args().size();
        int takes = device.call(s -> s.argumentCount(s.kernel(program, kernel)));
        return takes == declared ? null : "kernel " + kernel + " takes " + takes + " argument(s) but arguments declares "
            + declared + " (" + args + ")";
    }

    @Override
    byte[] run(OpenClDevice device, FunctionContext ctx, byte[] input) throws FunctionException {
        int per = args.inBytesPerElement();
        if (input.length == 0 || input.length % per != 0)
            throw new InvalidInputException("input: " + input.length + " bytes (expected: a positive multiple of "
                + per + " bytes: n elements of each input array (" + args.inputs() + ") one after another, "
                + "little-endian)");
        long n = input.length / per;
        long outBytes = n * args.out().size();
        if (outBytes > Integer.MAX_VALUE - 8)
            throw new InvalidInputException("input: " + n + " elements give " + outBytes + " output bytes (expected: "
                + "at most " + (Integer.MAX_VALUE - 8) + ")");
        byte[] out = new byte[(int)outBytes];
        if (args.countSize() == 4 && n > Integer.MAX_VALUE)
            throw new InvalidInputException("input: " + n + " elements (expected: at most " + Integer.MAX_VALUE
                + " for a 32-bit n)");
        ctx.checkCancelled();
        device.call(s -> {
            cl_kernel k = s.kernel(program, kernel);
            cl_mem output = null;
            long offset = 0;
            for (int i = 0; i < args.args().size(); i++) {
                KernelArguments.Arg a = args.args().get(i);
                if (a.kind == KernelArguments.Kind.IN) {
                    long bytes = n * a.size();
                    cl_mem m = s.buffer(CL.CL_MEM_READ_ONLY, bytes, Pointer.to(input).withByteOffset(offset));
                    offset += bytes;
                    CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(m));
                }
                else if (a.kind == KernelArguments.Kind.OUT) {
                    output = s.buffer(CL.CL_MEM_WRITE_ONLY, outBytes, null);
                    CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to(output));
                }
                else {
                    byte[] v = a.kind == KernelArguments.Kind.COUNT ? count(n, a.size()) : a.constant;
                    CL.clSetKernelArg(k, i, v.length, Pointer.to(v));
                }
            }
            s.run(k, new long[] {singleWorkItem ? 1 : n}, null);
            s.read(output, outBytes, Pointer.to(out));
            return null;
        });
        return out;
    }

    /** {@code n} as a little-endian integer of {@code size} bytes. */
    private static byte[] count(long n, int size) {
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        if (size == 8)
            b.putLong(n);
        else
            b.putInt((int)n);
        return b.array();
    }
}
