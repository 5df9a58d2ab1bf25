package io.fabricstitch.agent.opencl;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An agent's OpenCL runtime: the devices of its OpenCL fabrics, opened once each, and the kernel functions that run
 * on them: the built-in {@code image.gaussian-blur} and {@code matmul.f32} kernels, and the user's
 * {@link OpenClFunction}s. {@link #attach} opens a fabric's device and builds every program its functions need, so
 * that calls never wait for a compiler and a kernel is compiled once per device. Thread-safe.
 */
public final class OpenClRuntime implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OpenClRuntime.class.getName());

    /** Names of the built-in OpenCL functions. */
    public static final java.util.Set<String> BUILT_IN_FUNCTIONS = java.util.Set.of(
        io.fabricstitch.function.builtin.GaussianBlurFunction.NAME, io.fabricstitch.function.builtin.MatmulF32Function.NAME);

    private final Map<String, OpenClKernelFunction> functions;
    private final Map<String, OpenClFunction> userDefinitions;
    private final Map<UUID, OpenClDevice> devices = new ConcurrentHashMap<>();

    /**
     * Checks user OpenCL functions as a node's start would (their layouts, files, names), without touching OpenCL.
     *
     * @throws IllegalArgumentException naming the first invalid function
     */
    public static void validate(List<OpenClFunction> userFunctions) {
        new OpenClRuntime(userFunctions);
    }

    /**
     * A runtime with the built-in kernels and {@code userFunctions}.
     *
     * @throws IllegalArgumentException naming an invalid user function, or one whose name is given twice
     */
    public OpenClRuntime(List<OpenClFunction> userFunctions) {
        Map<String, OpenClKernelFunction> fns = new LinkedHashMap<>();
        Map<String, OpenClFunction> defs = new LinkedHashMap<>();
        fns.put(OpenClGaussianBlur.NAME_, new OpenClGaussianBlur(this));
        fns.put(OpenClMatmul.NAME_, new OpenClMatmul(this));
        for (OpenClFunction def : userFunctions) {
            OpenClKernelFunction f = def.toFunction(this);
            if (fns.containsKey(f.name()))
                throw new IllegalArgumentException("openClFunctions element '" + f.name() + "': name given twice or "
                    + "the name of a built-in OpenCL function (expected: a unique name; built in: "
                    + OpenClGaussianBlur.NAME_ + ", " + OpenClMatmul.NAME_ + ')');
            fns.put(f.name(), f);
            defs.put(f.name(), def);
        }
        this.functions = Collections.unmodifiableMap(fns);
        this.userDefinitions = Collections.unmodifiableMap(defs);
    }

    /** Every OpenCL function this runtime offers, by name: built-ins first, then the user's. */
    public Map<String, OpenClKernelFunction> functions() {
        return functions;
    }

    /**
     * Opens the OpenCL device of {@code device} for fabric {@code fabricId} and builds the programs of every function
     * that runs on it.
     *
     * @return the functions that run on it, by name; a built-in whose program does not build is left out with a
     *     warning
     * @throws IllegalStateException when the device cannot be opened
     * @throws IllegalArgumentException when a user function's program does not build for it, naming the function,
     *     the device and the build log
     */
    public Map<String, AccelerationFunction> attach(UUID fabricId, DetectedFabric device) {
        OpenClDevice dev = OpenClDevice.open(fabricId, device);
        Map<String, AccelerationFunction> ready = new LinkedHashMap<>();
        try {
            if (!dev.littleEndian()) {
                LOG.log(Level.WARNING, "OpenCL device " + dev.name() + " is big-endian; no OpenCL function runs on it "
                    + "(expected: a little-endian device, as the functions' formats are)");
            }
            else {
                for (OpenClKernelFunction f : functions.values()) {
                    if (f.runsOn(device) && built(dev, f))
                        ready.put(f.name(), f);
                }
            }
        }
        catch (RuntimeException e) {
            dev.close();
            throw e;
        }
        OpenClDevice earlier = devices.put(fabricId, dev);
        if (earlier != null)
            earlier.close();
        return ready;
    }

    /**
     * Builds {@code f}'s programs for {@code dev} and checks it runs there; true when it does. A built-in that does
     * not is left out with a warning; a user's stops the attach.
     */
    private boolean built(OpenClDevice dev, OpenClKernelFunction f) {
        boolean user = userDefinitions.containsKey(f.name());
        String problem;
        try {
            for (KernelProgram p : f.programs(dev))
                dev.build(p);
            problem = f.verify(dev);
        }
        catch (FunctionException | RuntimeException e) {
            if (user)
                throw new IllegalArgumentException("openClFunctions element '" + f.name() + "': " + e.getMessage()
                    + " (expected: a program that builds for every device of its fabricTypes; narrow them with "
                    + "deviceName)", e);
            problem = e.getMessage();
        }
        if (problem == null)
            return true;
        if (user)
            throw new IllegalArgumentException("openClFunctions element '" + f.name() + "' on OpenCL device "
                + dev.name() + ": " + problem);
        LOG.log(Level.WARNING, "OpenCL device " + dev.name() + " does not run " + f.name() + ": " + problem);
        return false;
    }

    /** Why the device of {@code fabricId} is unusable (it reported itself gone), or null. */
    public String failure(UUID fabricId) {
        OpenClDevice d = devices.get(fabricId);
        return d == null ? null : d.failure();
    }

    /** Closes the device attached for {@code fabricId}, if any (its fabric is not reported after all). */
    public void detach(UUID fabricId) {
        OpenClDevice d = devices.remove(fabricId);
        if (d != null)
            d.close();
    }

    /** The device attached for {@code fabricId}, or null. */
    OpenClDevice device(UUID fabricId) {
        return devices.get(fabricId);
    }

    /** Whether a device is attached for {@code fabricId}. */
    public boolean attached(UUID fabricId) {
        return devices.containsKey(fabricId);
    }

    /** Whether the device of {@code fabricId} runs on a sub-device (a share of a CPU device's compute units). */
    public boolean onSubDevice(UUID fabricId) {
        OpenClDevice d = devices.get(fabricId);
        return d != null && d.isSubDevice();
    }

    /** Every program build of every attached device, in order: what compiling the kernels cost. */
    public List<BuildRecord> builds() {
        List<BuildRecord> all = new ArrayList<>();
        devices.values().forEach(d -> all.addAll(d.builds()));
        return all;
    }

    /** Closes every device (after the calls under way on it end). Idempotent. */
    @Override
    public void close() {
        for (UUID id : List.copyOf(devices.keySet())) {
            OpenClDevice d = devices.remove(id);
            if (d != null)
                d.close();
        }
    }
}
