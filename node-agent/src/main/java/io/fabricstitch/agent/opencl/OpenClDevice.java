package io.fabricstitch.agent.opencl;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.function.FabricUnavailableException;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.InvalidInputException;
import io.fabricstitch.model.DeviceBinding;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_platform_id;
import org.jocl.cl_program;

/**
 * One fabric's OpenCL device, opened once: its context, in-order command queues (one per call under way, pooled, so
 * a long call does not hold up a short one), and every program built for it (built once, then reused: a kernel
 * object per concurrent call, pooled). A CPU device runs on a sub-device of the compute units its fabric was given, so
 * its kernels never use the cores the CPU fabric counts.
 * <p>
 * Thread-safe. {@link #close()} refuses new calls, then waits for those under way before it releases anything, so no
 * native object is freed while a kernel uses it. An error that says the device itself is gone
 * ({@code CL_DEVICE_NOT_AVAILABLE}, an invalid context or queue) marks it {@link #failure() failed}: later calls end
 * with {@link FabricUnavailableException} and the agent reports the fabric OFFLINE.
 */
final class OpenClDevice implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OpenClDevice.class.getName());

    /** Longest wait of {@link #close()} for calls under way. */
    private static final long CLOSE_WAIT_MS = 10_000;

    /** Errors that mean the device or its context is gone, not that one call went wrong. */
    private static final Set<Integer> FATAL = Set.of(CL.CL_DEVICE_NOT_AVAILABLE, CL.CL_INVALID_CONTEXT,
        CL.CL_INVALID_COMMAND_QUEUE, CL.CL_INVALID_DEVICE);

    private final UUID fabricId;
    private final String name;
    private final cl_device_id device;
    private final boolean subDevice;
    private final cl_context context;
    private final ConcurrentLinkedDeque<cl_command_queue> queues = new ConcurrentLinkedDeque<>();
    private final List<cl_command_queue> allQueues = new CopyOnWriteArrayList<>();
    private final long maxAllocBytes;
    private final long maxWorkGroupSize;
    private final boolean littleEndian;
    private final Map<String, Built> programs = new ConcurrentHashMap<>();
    private final List<BuildRecord> builds = new CopyOnWriteArrayList<>();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closing;
    private volatile String failure;

    private OpenClDevice(UUID fabricId, String name, cl_device_id device, boolean subDevice, cl_context context) {
        this.fabricId = fabricId;
        this.name = name;
        this.device = device;
        this.subDevice = subDevice;
        this.context = context;
        this.maxAllocBytes = ClInfo.longValue(device, CL.CL_DEVICE_MAX_MEM_ALLOC_SIZE);
        this.maxWorkGroupSize = ClInfo.longValue(device, CL.CL_DEVICE_MAX_WORK_GROUP_SIZE);
        this.littleEndian = ClInfo.intValue(device, CL.CL_DEVICE_ENDIAN_LITTLE) != 0;
    }

    /** A built program and its pooled kernel objects. */
    private static final class Built {
        final cl_program program;
        final Map<String, ConcurrentLinkedDeque<cl_kernel>> kernels = new ConcurrentHashMap<>();

        Built(cl_program program) {
            this.program = program;
        }
    }

    /**
     * Opens the device a probe reported (its platform and device index, checked against the names it saw), on a
     * sub-device of the compute units it was given when that is fewer than the device has, with one command queue.
     *
     * @throws IllegalStateException naming the device when it is gone or cannot be opened; nothing is left open
     */
    static OpenClDevice open(UUID fabricId, DetectedFabric d) {
        Map<String, String> h = d.handles();
        String wantedPlatform = h.get(DeviceBinding.OPENCL_PLATFORM);
        String wantedDevice = h.get(DeviceBinding.OPENCL_DEVICE);
        String what = "OpenCL device " + wantedDevice + " (" + wantedPlatform + ")";
        cl_device_id dev = null;
        boolean sub = false;
        cl_context ctx = null;
        try {
            cl_device_id root = find(h, wantedPlatform, wantedDevice, what);
            int units = ClInfo.intValue(root, CL.CL_DEVICE_MAX_COMPUTE_UNITS);
            int wanted = Integer.parseInt(h.getOrDefault(DeviceBinding.OPENCL_COMPUTE_UNITS, String.valueOf(units)));
            sub = wanted < units;
            dev = sub ? subDevice(root, wanted) : root;
            ctx = CL.clCreateContext(null, 1, new cl_device_id[] {dev}, null, null, null);
            OpenClDevice opened = new OpenClDevice(fabricId, wantedDevice, dev, sub, ctx);
            opened.returnQueue(opened.newQueue());
            return opened;
        }
        catch (CLException | NumberFormatException | UnsupportedOperationException | UnsatisfiedLinkError e) {
            if (ctx != null)
                CL.clReleaseContext(ctx);
            if (sub && dev != null)
                CL.clReleaseDevice(dev);
            throw new IllegalStateException(what + " cannot be opened: " + e.getMessage(), e);
        }
    }

    private static cl_device_id find(Map<String, String> h, String platform, String device, String what) {
        int pi = Integer.parseInt(h.get(DeviceBinding.OPENCL_PLATFORM_INDEX));
        int di = Integer.parseInt(h.get(DeviceBinding.OPENCL_DEVICE_INDEX));
        List<cl_platform_id> platforms = ClLibrary.platforms();
        if (pi >= platforms.size() || !platform.equals(ClInfo.platformString(platforms.get(pi), CL.CL_PLATFORM_NAME)))
            throw new IllegalStateException(what + " not found: this host has no platform " + pi + " named "
                + platform + " (it has " + platforms.size() + " OpenCL platform(s))");
        List<cl_device_id> devices = ClLibrary.devices(platforms.get(pi));
        if (di >= devices.size() || !device.equals(ClInfo.string(devices.get(di), CL.CL_DEVICE_NAME)))
            throw new IllegalStateException(what + " not found: the platform has no device " + di + " named "
                + device);
        return devices.get(di);
    }

    /** The first of the sub-devices of {@code units} compute units each; the others are released. */
    private static cl_device_id subDevice(cl_device_id root, int units) {
        org.jocl.cl_device_partition_property props = new org.jocl.cl_device_partition_property();
        props.addProperty(CL.CL_DEVICE_PARTITION_EQUALLY, units);
        int[] count = new int[1];
        CL.clCreateSubDevices(root, props, 0, null, count);
        cl_device_id[] subs = new cl_device_id[count[0]];
        CL.clCreateSubDevices(root, props, count[0], subs, null);
        for (int i = 1; i < subs.length; i++)
            CL.clReleaseDevice(subs[i]);
        return subs[0];
    }

    @SuppressWarnings("deprecation")
    private cl_command_queue newQueue() {
        cl_command_queue q;
        try {
            q = CL.clCreateCommandQueueWithProperties(context, device, null, null);
        }
        catch (CLException | UnsupportedOperationException | UnsatisfiedLinkError e) {
            q = CL.clCreateCommandQueue(context, device, 0, null); // an OpenCL 1.x platform
        }
        allQueues.add(q);
        return q;
    }

    private cl_command_queue takeQueue() {
        cl_command_queue q = queues.pollFirst();
        return q != null ? q : newQueue();
    }

    private void returnQueue(cl_command_queue q) {
        queues.addFirst(q);
    }

    /** The device's name. */
    String name() {
        return name;
    }

    UUID fabricId() {
        return fabricId;
    }

    /** Whether kernels run on a sub-device of the compute units the fabric was given. */
    boolean isSubDevice() {
        return subDevice;
    }

    /** Largest single buffer the device allocates, bytes. */
    long maxAllocBytes() {
        return maxAllocBytes;
    }

    /** Largest work group the device runs. */
    long maxWorkGroupSize() {
        return maxWorkGroupSize;
    }

    boolean littleEndian() {
        return littleEndian;
    }

    /** Why the device is unusable (it reported itself gone), or null while it works. */
    String failure() {
        return failure;
    }

    /** Every build this device did, in order. */
    List<BuildRecord> builds() {
        return List.copyOf(builds);
    }

    /**
     * Builds {@code p} for this device unless it is built already.
     *
     * @throws FunctionException naming the program, the device and the driver's build log when it does not build
     */
    void build(KernelProgram p) throws FunctionException {
        built(p);
    }

    private Built built(KernelProgram p) throws FunctionException {
        Built b = programs.get(p.id());
        if (b != null)
            return b;
        synchronized (programs) {
            b = programs.get(p.id());
            if (b != null)
                return b;
            long start = System.nanoTime();
            cl_program prog = null;
            try {
                if (p.isBinary()) {
                    byte[] bin = p.binaryBytes();
                    prog = CL.clCreateProgramWithBinary(context, 1, new cl_device_id[] {device},
                        new long[] {bin.length}, new byte[][] {bin}, new int[1], null);
                }
                else
                    prog = CL.clCreateProgramWithSource(context, 1, new String[] {p.sourceText()}, null, null);
                CL.clBuildProgram(prog, 1, new cl_device_id[] {device}, p.options(), null, null);
            }
            catch (CLException e) {
                if (prog != null)
                    CL.clReleaseProgram(prog);
                throw new FunctionException("OpenCL program " + p + " did not build for " + name + ": "
                    + buildLog(e.getMessage()));
            }
            BuildRecord r = new BuildRecord(p.name(), name, (System.nanoTime() - start) / 1e6, p.isBinary());
            builds.add(r);
            LOG.log(Level.INFO, "OpenCL program " + r);
            b = new Built(prog);
            programs.put(p.id(), b);
            return b;
        }
    }

    /** The first 20 lines of a build failure, which JOCL puts in its exception's message. */
    private static String buildLog(String message) {
        String[] lines = String.valueOf(message).split("\n");
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(20, lines.length); i++) {
            if (!lines[i].isBlank())
                sb.append(sb.length() == 0 ? "" : " | ").append(lines[i].strip());
        }
        return sb.toString();
    }

    /** Work done on the device inside {@link #call}: builds, buffers, kernels. */
    @FunctionalInterface
    interface Work<T> {
        T run(Session s) throws FunctionException;
    }

    /**
     * Runs {@code work} with the device held open, on a command queue of its own; every buffer, kernel and queue it
     * takes through the session is given back when it ends, however it ends.
     *
     * @throws FabricUnavailableException when the device is closing or closed (its agent stops) or has failed
     * @throws FunctionException for an OpenCL error, naming the device and the error
     */
    <T> T call(Work<T> work) throws FunctionException {
        if (closing || failure != null || !lifecycle.readLock().tryLock())
            throw unavailable();
        try (Session s = new Session()) {
            if (closing)
                throw unavailable();
            return work.run(s);
        }
        catch (CLException e) {
            if (FATAL.contains(e.getStatus())) {
                failure = "OpenCL device " + name + " failed: " + CL.stringFor_errorCode(e.getStatus());
                LOG.log(Level.WARNING, failure + "; its fabric is reported OFFLINE until the node restarts");
                throw new FabricUnavailableException(fabricId, failure);
            }
            throw new FunctionException("OpenCL on " + name + " failed: " + e.getMessage(), e);
        }
        finally {
            lifecycle.readLock().unlock();
        }
    }

    private FabricUnavailableException unavailable() {
        return new FabricUnavailableException(fabricId, failure != null ? failure
            : "OpenCL device " + name + " is closed (its agent stopped)");
    }

    /** The queue, buffers and kernels of one call, given back together. */
    final class Session implements AutoCloseable {
        private final cl_command_queue queue = takeQueue();
        private final List<cl_mem> buffers = new ArrayList<>();
        /** Each kernel taken, with the pool it goes back to. */
        private final List<Map.Entry<ConcurrentLinkedDeque<cl_kernel>, cl_kernel>> kernels = new ArrayList<>();

        /** A kernel of {@code p} (built now if it is not yet), for this call only. */
        cl_kernel kernel(KernelProgram p, String kernelName) throws FunctionException {
            Built b = built(p);
            ConcurrentLinkedDeque<cl_kernel> pool = b.kernels.computeIfAbsent(kernelName,
                k -> new ConcurrentLinkedDeque<>());
            cl_kernel k = pool.pollFirst();
            if (k == null)
                k = CL.clCreateKernel(b.program, kernelName, null);
            kernels.add(Map.entry(pool, k));
            return k;
        }

        /**
         * A device buffer of {@code bytes}, filled from {@code host} when it is not null.
         *
         * @throws InvalidInputException when the device cannot hold a buffer that large, naming its limit
         */
        cl_mem buffer(long flags, long bytes, Pointer host) throws FunctionException {
            if (maxAllocBytes > 0 && bytes > maxAllocBytes)
                throw new InvalidInputException("input: needs an OpenCL buffer of " + bytes + " bytes on " + name
                    + " (expected: at most " + maxAllocBytes + " bytes, the device's CL_DEVICE_MAX_MEM_ALLOC_SIZE; "
                    + "a smaller input, or a fabric with more memory)");
            cl_mem m = CL.clCreateBuffer(context, host == null ? flags : flags | CL.CL_MEM_COPY_HOST_PTR,
                Math.max(1, bytes), host, null);
            buffers.add(m);
            return m;
        }

        /** Writes {@code bytes} from {@code host} into {@code mem} at offset 0, and waits. */
        void write(cl_mem mem, long bytes, Pointer host) {
            CL.clEnqueueWriteBuffer(queue, mem, true, 0, bytes, host, 0, null, null);
        }

        /** Runs a kernel over {@code global} work items in groups of {@code local} (null: the driver's choice). */
        void run(cl_kernel k, long[] global, long[] local) {
            CL.clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null);
        }

        /** Reads {@code bytes} of {@code mem} into {@code host}, waiting for every kernel before it. */
        void read(cl_mem mem, long bytes, Pointer host) {
            CL.clEnqueueReadBuffer(queue, mem, true, 0, bytes, host, 0, null, null);
        }

        /** The largest work group {@code k} runs in on this device ({@code CL_KERNEL_WORK_GROUP_SIZE}). */
        long workGroupSize(cl_kernel k) {
            long[] v = new long[1];
            CL.clGetKernelWorkGroupInfo(k, device, CL.CL_KERNEL_WORK_GROUP_SIZE, org.jocl.Sizeof.size_t,
                Pointer.to(v), null);
            return v[0];
        }

        /** How many arguments {@code k} takes ({@code CL_KERNEL_NUM_ARGS}). */
        int argumentCount(cl_kernel k) {
            int[] v = new int[1];
            CL.clGetKernelInfo(k, CL.CL_KERNEL_NUM_ARGS, org.jocl.Sizeof.cl_uint, Pointer.to(v), null);
            return v[0];
        }

        @Override
        public void close() {
            try {
                CL.clFinish(queue); // nothing of this call may still use what is released below
            }
            catch (CLException e) {
                LOG.log(Level.DEBUG, () -> "OpenCL device " + name + ": clFinish failed: " + e.getMessage());
            }
            for (cl_mem m : buffers) {
                try {
                    CL.clReleaseMemObject(m);
                }
                catch (CLException e) {
                    LOG.log(Level.DEBUG, () -> "OpenCL device " + name + ": releasing a buffer failed: "
                        + e.getMessage());
                }
            }
            kernels.forEach(pk -> pk.getKey().addFirst(pk.getValue()));
            returnQueue(queue);
        }
    }

    /**
     * Refuses new calls, waits for the calls under way (at most 10 s; after that the objects are left to the
     * process's end rather than freed under a running kernel), then releases the kernels, programs, queues, context
     * and sub-device. Idempotent.
     */
    @Override
    public void close() {
        closing = true;
        boolean locked = false;
        try {
            locked = lifecycle.writeLock().tryLock(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            LOG.log(Level.WARNING, "OpenCL device " + name + ": calls still running after " + CLOSE_WAIT_MS
                + " ms; its OpenCL objects are left to the process's end");
            return;
        }
        try {
            if (programs.isEmpty() && allQueues.isEmpty())
                return;
            for (Built b : programs.values()) {
                b.kernels.values().forEach(pool -> pool.forEach(CL::clReleaseKernel));
                CL.clReleaseProgram(b.program);
            }
            programs.clear();
            allQueues.forEach(CL::clReleaseCommandQueue);
            allQueues.clear();
            queues.clear();
            CL.clReleaseContext(context);
            if (subDevice)
                CL.clReleaseDevice(device);
        }
        catch (CLException e) {
            LOG.log(Level.WARNING, "OpenCL device " + name + ": releasing its objects failed: " + e.getMessage());
        }
        finally {
            lifecycle.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "OpenClDevice [" + name + (subDevice ? ", sub-device" : "") + ", fabric " + fabricId + ']';
    }
}
