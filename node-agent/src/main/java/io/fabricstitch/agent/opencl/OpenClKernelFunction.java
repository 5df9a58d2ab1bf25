package io.fabricstitch.agent.opencl;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.FabricRuntime;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A function whose work is done by OpenCL kernels on the fabric's own device. One instance serves every device of an
 * {@link OpenClRuntime}: a call finds its device by the fabric it runs on. The programs it needs are built for a
 * device when the device is attached, so a call never waits for a compiler.
 */
public abstract class OpenClKernelFunction implements AccelerationFunction {
    private final OpenClRuntime runtime;

    OpenClKernelFunction(OpenClRuntime runtime) {
        this.runtime = runtime;
    }

    @Override
    public final FabricRuntime runtime() {
        return FabricRuntime.OPENCL;
    }

    /** The programs every call on {@code device} needs, built when the device is attached. */
    abstract List<KernelProgram> programs(OpenClDevice device);

    /** The programs as they read in {@link #implementation()}. */
    abstract List<KernelProgram> describedPrograms();

    /**
     * Whether this function can run on {@code device}: by default, any OpenCL device whose driver compiles source
     * (the built-in kernels ship as OpenCL C).
     */
    boolean runsOn(DetectedFabric device) {
        return device.hasOpenCl() && device.features().contains(OpenClProbe.COMPILER_FEATURE);
    }

    /** The work of one call on {@code device}. */
    abstract byte[] run(OpenClDevice device, FunctionContext ctx, byte[] input) throws FunctionException;

    /**
     * Checks, once the device's programs are built, that this function runs there as it should: by default nothing
     * more to check. The built-in kernels compare their output with the Java implementation's on a small input.
     *
     * @return why it must not run on {@code device}, or null when it may
     */
    String verify(OpenClDevice device) throws FunctionException {
        return null;
    }

    /** A context for checking this function on {@code device} before any task runs there. */
    static FunctionContext checkContext(OpenClDevice device) {
        io.fabricstitch.model.FabricEntry e = io.fabricstitch.model.FabricEntry.builder().fabricId(device.fabricId())
            .nodeId(new java.util.UUID(0, 0)).agentAddress("127.0.0.1:0").site("default")
            .fabricType(io.fabricstitch.model.FabricType.GPU).model(device.name()).resourceUnit("devices")
            .resourceCount(1).updatedAt(java.time.Instant.EPOCH).build();
        return FunctionContext.of(e, false, () -> false);
    }

    @Override
    public String implementation() {
        return "OpenCL " + describedPrograms().stream().map(p -> p.name() + " (" + String.join(", ", p.kernels()) + ')')
            .collect(Collectors.joining("; "));
    }

    @Override
    public final byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
        OpenClDevice device = runtime.device(ctx.fabric().getFabricId());
        if (device == null)
            throw new io.fabricstitch.function.FabricUnavailableException(ctx.fabric().getFabricId(), name()
                + ": fabric " + ctx.fabric().getFabricId() + " (" + ctx.fabric().getModel() + ") has no OpenCL device "
                + "attached (its agent stopped, or left the device out)");
        return run(device, ctx, input);
    }
}
