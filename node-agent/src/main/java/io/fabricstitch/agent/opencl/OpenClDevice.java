package io.fabricstitch.agent.opencl;

import io.fabricstitch.agent.DetectedFabric;
import io.fabricstitch.function.FabricUnavailableException;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.DeviceBinding;
import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Map;
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
 * One fabric's OpenCL device, opened once: its context, one in-order command queue, and every program built for it
 * (built once, then reused: a kernel object per concurrent call, pooled). A CPU device runs on a sub-device of the
 * compute units its fabric was given, so its kernels never use the cores the CPU fabric counts.
 * <p>
 * Thread-safe: calls enqueue on the one queue from any thread and wait for their own results. {@link #close()} waits
 * for calls under way before it releases anything, so no native object is freed while a kernel uses it.
 */
final class OpenClDevice implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(OpenClDevice.class.getName());

    /** Longest wait of {@link #close()} for calls under way. */
    private static final long CLOSE_WAIT_MS = 10_000;

    private final UUID fabricId;
    private final String name;
    private final cl_device_id device;
    private final boolean subDevice;
    private final cl_context context;
    private final cl_command_queue queue;
    private final long maxAllocBytes;
    private final long maxWorkGroupSize;
    private final boolean littleEndian;
    private final Map<String, Built> programs = new ConcurrentHashMap<>();
    private final List<BuildRecord> builds = new CopyOnWriteArrayList<>();
    private final ReentrantReadWriteLock lifecycle = new ReentrantReadWriteLock();
    private volatile boolean closed;

    private OpenClDevice(UUID fabricId, String name, cl_device_id device, boolean subDevice, cl_context context,
        cl_command_queue queue) {
        this.fabricId = fabricId;
        this.name = name;
        this.device = device;
        this.subDevice = subDevice;
        this.context = context;
        this.queue = queue;
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
     * sub-device of the compute units it was given when that is fewer than the device has.
     *
     * @throws IllegalStateException naming the device when it is gone or cannot be opened
     */
    static OpenClDevice open(UUID fabricId, DetectedFabric d) {
        Map<String, String> h = d.handles();
        String wantedPlatform = h.get(DeviceBinding.OPENCL_PLATFORM);
        String wantedDevice = h.get(DeviceBinding.OPENCL_DEVICE);
        String what = "OpenCL device " + wantedDevice + " (" + wantedPlatform + ")";
        try {
            int pi = Integer.parseInt(h.get(DeviceBinding.OPENCL_PLATFORM_INDEX));
            int di = Integer.parseInt(h.get(DeviceBinding.OPENCL_DEVICE_INDEX));
            List<cl_platform_id> platforms = ClLibrary.platforms();
            if (pi >= platforms.size()
                || !wantedPlatform.equals(ClInfo.platformString(platforms.get(pi), CL.CL_PLATFORM_NAME)))
                throw new IllegalStateException(what + " not found: this host has no platform " + pi + " named "
                    + wantedPlatform + " (it has " + platforms.size() + " OpenCL platform(s))");
            List<cl_device_id> devices = ClLibrary.devices(platforms.get(pi));
            if (di >= devices.size() || !wantedDevice.equals(ClInfo.string(devices.get(di), CL.CL_DEVICE_NAME)))
                throw new IllegalStateException(what + " not found: the platform has no device " + di + " named "
                    + wantedDevice);
            cl_device_id root = devices.get(di);
            int units = ClInfo.intValue(root, CL.CL_DEVICE_MAX_COMPUTE_UNITS);
            int wanted = Integer.parseInt(h.getOrDefault(DeviceBinding.OPENCL_COMPUTE_UNITS, String.valueOf(units)));
            cl_device_id dev = wanted < units ? subDevice(root, wanted) : root;
            cl_context ctx = CL.clCreateContext(null, 1, new cl_device_id[] {dev}, null, null, null);
            cl_command_queue q;
            try {
                q = createQueue(ctx, dev);
            }
            catch (CLException | UnsupportedOperationException e) {
                CL.clReleaseContext(ctx);
                throw e;
            }
            return new OpenClDevice(fabricId, wantedDevice, dev, dev != root, ctx, q);
        }
        catch (CLException | NumberFormatException e) {
            throw new IllegalStateException(what + " cannot be opened: " + e.getMessage(), e);
        }
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
    private static cl_command_queue createQueue(cl_context ctx, cl_device_id dev) {
        try {
            return CL.clCreateCommandQueueWithProperties(ctx, dev, null, null);
        }
        catch (CLException | UnsupportedOperationException | UnsatisfiedLinkError e) {
            return CL.clCreateCommandQueue(ctx, dev, 0, null); // an OpenCL 1.x platform
        }
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
     * Runs {@code work} with the device held open; every buffer and kernel it takes through the session is given
     * back when it ends, however it ends.
     *
     * @throws FabricUnavailableException when the device was closed (its agent stopped)
     * @throws FunctionException for an OpenCL error, naming the device and the error
     */
    <T> T call(Work<T> work) throws FunctionException {
        if (!lifecycle.readLock().tryLock())
            throw closedException();
        try (Session s = new Session()) {
            if (closed)
                throw closedException();
            return work.run(s);
        }
        catch (CLException e) {
            throw new FunctionException("OpenCL on " + name + " failed: " + e.getMessage(), e);
        }
        finally {
            lifecycle.readLock().unlock();
        }
    }

    private FabricUnavailableException closedException() {
        return new FabricUnavailableException(fabricId, "OpenCL device " + name + " is closed (its agent stopped)");
    }

    /** The buffers and kernels of one call, given back together. */
    final class Session implements AutoCloseable {
        private final java.util.List<cl_mem> buffers = new java.util.ArrayList<>();
        private final java.util.List<Object[]> kernels = new java.util.ArrayList<>();

        /** A kernel of {@code p} (built now if it is not yet), for this call only. */
        cl_kernel kernel(KernelProgram p, String kernelName) throws FunctionException {
            Built b = built(p);
            ConcurrentLinkedDeque<cl_kernel> pool = b.kernels.computeIfAbsent(kernelName,
                k -> new ConcurrentLinkedDeque<>());
            cl_kernel k = pool.pollFirst();
            if (k == null)
                k = CL.clCreateKernel(b.program, kernelName, null);
            kernels.add(new Object[] {pool, k});
            return k;
        }

        /** A device buffer of {@code bytes}, filled from {@code host} when it is not null. */
        cl_mem buffer(long flags, long bytes, Pointer host) throws FunctionException {
            if (maxAllocBytes > 0 && bytes > maxAllocBytes)
                throw new FunctionException("OpenCL buffer of " + bytes + " bytes on " + name + " (expected: at most "
                    + maxAllocBytes + " bytes, the device's CL_DEVICE_MAX_MEM_ALLOC_SIZE)");
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

        @Override
        public void close() {
            for (cl_mem m : buffers)
                CL.clReleaseMemObject(m);
            for (Object[] pk : kernels) {
                @SuppressWarnings("unchecked")
                ConcurrentLinkedDeque<cl_kernel> pool = (ConcurrentLinkedDeque<cl_kernel>)pk[0];
                pool.addFirst((cl_kernel)pk[1]);
            }
        }
    }

    /**
     * Releases the kernels, programs, queue, context and sub-device once the calls under way have ended (for at most
     * 10 s; after that they are left to the process's end rather than freed under a running kernel). Idempotent.
     */
    @Override
    public void close() {
        boolean locked = false;
        try {
            locked = lifecycle.writeLock().tryLock(CLOSE_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (!locked) {
            closed = true;
            LOG.log(Level.WARNING, "OpenCL device " + name + ": calls still running after " + CLOSE_WAIT_MS
                + " ms; its OpenCL objects are left to the process's end");
            return;
        }
        try {
            if (closed)
                return;
            closed = true;
            for (Built b : programs.values()) {
                b.kernels.values().forEach(pool -> pool.forEach(CL::clReleaseKernel));
                CL.clReleaseProgram(b.program);
            }
            programs.clear();
            CL.clReleaseCommandQueue(queue);
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
