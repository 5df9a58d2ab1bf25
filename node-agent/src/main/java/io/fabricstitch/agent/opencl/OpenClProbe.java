package io.fabricstitch.agent.opencl;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.FabricProbe;
import io.fabricstitch.agent.probe.ProbeResult;
import io.fabricstitch.agent.probe.ProbeUnavailableException;
import io.fabricstitch.agent.probe.PciSysfsProbe;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Finds OpenCL devices: every device of every platform the host's ICD loader reports (a GPU driver's, an FPGA
 * runtime's, or Debian's {@code pocl-opencl-icd}, which makes the host CPU an OpenCL device).
 * <p>
 * Each device: key {@code pci:<address>} when its driver reports its PCI address (as the PCI scan keys it, so the
 * device keeps its fabric id whichever probe describes it), else {@code opencl:<platform>/<device>} ({@code #2},
 * {@code #3} for identical names, in the platform's order); its PCI address
 * through {@code cl_khr_pci_bus_info} or NVIDIA's or AMD's attribute queries (so nvidia-smi's or the PCI scan's
 * sighting of the same device merges with it into one fabric), type GPU, CPU, FPGA (an accelerator of an FPGA
 * vendor) or ASIC, model = the device's name, vendor from its PCI vendor id, driver = platform and driver version,
 * resources: MiB of global memory for GPUs and accelerators, {@code cores} for a CPU device. Handles: platform and
 * device name and index, compute units.
 * <p>
 * <b>A CPU device shares the host's cores</b> with the node's CPU fabric. So that no core is counted twice, the
 * probe gives it {@code cpuComputeUnits} of them ({@code 0}: half its compute units, at least 1) and leaves at least one
 * to the CPU fabric; the agent subtracts them from the CPU fabric, and its OpenCL runtime runs the device's kernels on a
 * sub-device of exactly that many compute units ({@code clCreateSubDevices}). A CPU device that cannot be cut so
 * (one core, no {@code CL_DEVICE_PARTITION_EQUALLY}) is skipped with a warning.
 * <p>
 * Unavailable, with one line saying why, when {@code libOpenCL.so} does not load or no platform is installed. Ranks
 * above the PCI scan and below the vendors' own tools.
 */
public final class OpenClProbe implements FabricProbe {
    /** This probe's name. */
    public static final String NAME = "opencl";

    /** Feature of a device whose driver can compile OpenCL C source ({@code CL_DEVICE_COMPILER_AVAILABLE}). */
    public static final String COMPILER_FEATURE = "opencl-compiler";

    private static final long MIB = 1024L * 1024L;
    /** Vendor ids of OpenCL devices beyond those the PCI scan names ({@link PciSysfsProbe#shortVendorName}). */
    private static final Map<Integer, String> OTHER_VENDORS = Map.of(0x13b5, "Arm", 0x5143, "Qualcomm");

    /** Longest driver text kept. */
    private static final int MAX_DRIVER_LENGTH = 200;

    private final int cpuComputeUnits;
    private final int hostCores;
    private final java.time.Duration timeout;
    /** The thread every probe of this JVM asks the driver on (one driver: a hung query stalls them alike). */
    private static final java.util.concurrent.ExecutorService CALLER =
        java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "fabric-opencl-probe");
            t.setDaemon(true);
            return t;
        });
    private java.util.concurrent.Future<ProbeResult> pending;
    private long pendingSinceNanos;

    /**
     * A probe whose driver queries may take 5 s.
     *
     * @param cpuComputeUnits compute units of a CPU device to run OpenCL kernels on; 0 for half of them
     * @param hostCores cores the node may use (its CPU fabric's), at least 1
     * @throws IllegalArgumentException for a negative {@code cpuComputeUnits} or fewer than 1 host core
     */
    public OpenClProbe(int cpuComputeUnits, int hostCores) {
        this(cpuComputeUnits, hostCores, java.time.Duration.ofSeconds(5));
    }

    /**
     * @param timeout longest one probe run may wait for the driver; a driver that hangs (a stuck GPU) makes the probe
     *     unavailable, never the health check that runs it
     * @throws IllegalArgumentException for a negative {@code cpuComputeUnits}, fewer than 1 host core, or a timeout
     *     that is not positive
     */
    public OpenClProbe(int cpuComputeUnits, int hostCores, java.time.Duration timeout) {
        if (cpuComputeUnits < 0)
            throw new IllegalArgumentException("openClCpuComputeUnits: " + cpuComputeUnits + " (expected: 0 for half "
                + "the device's compute units, or a positive number)");
        if (hostCores < 1)
            throw new IllegalArgumentException("hostCores: " + hostCores + " (expected: >= 1)");
        if (timeout == null || timeout.isNegative() || timeout.isZero())
            throw new IllegalArgumentException("timeout: " + timeout + " (expected: a positive duration)");
        this.cpuComputeUnits = cpuComputeUnits;
        this.hostCores = hostCores;
        this.timeout = timeout;
    }

    /** This host: half of an OpenCL CPU device, {@link Runtime#availableProcessors()} host cores. */
    public static OpenClProbe ofHost() {
        return new OpenClProbe(0, Runtime.getRuntime().availableProcessors());
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int precedence() {
        return 5;
    }

    /**
     * Lists the devices on a thread of the probe's own, waiting at most the timeout: a driver that does not answer
     * makes this run unavailable, and the next runs too until it answers, without starting another query.
     */
    @Override
    public synchronized ProbeResult probe() throws ProbeUnavailableException {
        if (pending != null && !pending.isDone())
            throw new ProbeUnavailableException(NAME + ": the OpenCL driver has not answered a query started "
                + java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pendingSinceNanos)
                + " ms ago (expected: an answer within " + timeout.toMillis() + " ms)");
        pendingSinceNanos = System.nanoTime();
        pending = CALLER.submit(this::enumerate);
        try {
            return pending.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        }
        catch (java.util.concurrent.TimeoutException e) {
            throw new ProbeUnavailableException(NAME + ": the OpenCL driver did not answer within " + timeout.toMillis()
                + " ms", e);
        }
        catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof ProbeUnavailableException)
                throw (ProbeUnavailableException)e.getCause();
            throw new ProbeUnavailableException(NAME + ": " + e.getCause(), e.getCause());
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProbeUnavailableException(NAME + ": interrupted while waiting for the OpenCL driver", e);
        }
    }

    private ProbeResult enumerate() throws ProbeUnavailableException {
        String problem = ClLibrary.unavailableReason();
        if (problem != null)
            throw new ProbeUnavailableException(NAME + ": " + problem);
        List<cl_platform_id> platforms;
        try {
            platforms = ClLibrary.platforms();
        }
        catch (CLException e) {
            throw new ProbeUnavailableException(NAME + ": clGetPlatformIDs failed: " + e.getMessage(), e);
        }
        if (platforms.isEmpty())
            throw new ProbeUnavailableException(NAME + ": no OpenCL platform installed (expected: an ICD under "
                + "/etc/OpenCL/vendors, e.g. a GPU driver's or Debian's pocl-opencl-icd)");
        List<String> warnings = new ArrayList<>();
        List<DetectedFabric> found = new ArrayList<>();
        Map<String, Integer> seenKeys = new HashMap<>();
        for (int pi = 0; pi < platforms.size(); pi++) {
            cl_platform_id p = platforms.get(pi);
            String platform = orElse(ClInfo.platformString(p, CL.CL_PLATFORM_NAME), "platform " + pi);
            List<cl_device_id> devices;
            try {
                devices = ClLibrary.devices(p);
            }
            catch (CLException e) {
                warnings.add(NAME + ": platform " + platform + ": clGetDeviceIDs failed (" + e.getMessage()
                    + "); its devices skipped");
                continue;
            }
            for (int di = 0; di < devices.size(); di++) {
                DetectedFabric f = device(platform, pi, devices.get(di), di, seenKeys, warnings);
                if (f != null)
                    found.add(f);
            }
        }
        return ProbeResult.of(found, warnings);
    }

    private DetectedFabric device(String platform, int pi, cl_device_id d, int di, Map<String, Integer> seenKeys,
        List<String> warnings) {
        String name = orElse(ClInfo.string(d, CL.CL_DEVICE_NAME), "device " + di);
        String where = NAME + ": " + platform + " / " + name;
        long clType = ClInfo.longValue(d, CL.CL_DEVICE_TYPE);
        int units = ClInfo.intValue(d, CL.CL_DEVICE_MAX_COMPUTE_UNITS);
        long memory = ClInfo.longValue(d, CL.CL_DEVICE_GLOBAL_MEM_SIZE);
        if (clType < 0 || units < 1) {
            warnings.add(where + ": type or compute units unreadable (expected: CL_DEVICE_TYPE and "
                + "CL_DEVICE_MAX_COMPUTE_UNITS); skipped");
            return null;
        }
        String vendor = vendor(d);
        FabricType type = type(clType, vendor, platform);
        String extensions = ClInfo.string(d, CL.CL_DEVICE_EXTENSIONS);
        int allotted = units;
        if (type == FabricType.CPU) {
            allotted = cpuShare(d, units, where, warnings);
            if (allotted < 1)
                return null;
        }
        String pci = ClInfo.pciAddress(d, extensions);
        String key = "opencl:" + platform + '/' + name;
        int n = seenKeys.merge(key, 1, Integer::sum);
        if (n > 1)
            key = key + '#' + n;
        if (pci != null)
            key = "pci:" + pci; // the PCI scan's key: the device keeps its identity whichever probe describes it
        Map<String, String> handles = new TreeMap<>();
        handles.put(DeviceBinding.OPENCL_PLATFORM, platform);
        handles.put(DeviceBinding.OPENCL_PLATFORM_INDEX, Integer.toString(pi));
        handles.put(DeviceBinding.OPENCL_DEVICE, name);
        handles.put(DeviceBinding.OPENCL_DEVICE_INDEX, Integer.toString(di));
        handles.put(DeviceBinding.OPENCL_COMPUTE_UNITS, Integer.toString(allotted));
        boolean cpu = type == FabricType.CPU;
        boolean sized = !cpu && memory >= MIB;
        DetectedFabric.Builder b = DetectedFabric.builder()
            .deviceKey(key)
            .pciAddress(pci)
            .source(NAME)
            .fabricType(type)
            .model(name)
            .resourceUnit(cpu ? "cores" : sized ? "MiB" : "devices")
            .resourceCount(cpu ? allotted : sized ? memory / MIB : 1)
            .features(features(d, units, extensions))
            .vendor(vendor)
            .driver(clip(platform + ' ' + orElse(ClInfo.string(d, CL.CL_DRIVER_VERSION), "")))
            .handles(handles);
        if (ClInfo.intValue(d, CL.CL_DEVICE_AVAILABLE) == 0)
            b.status(FabricStatus.OFFLINE, "OpenCL reports the device unavailable (CL_DEVICE_AVAILABLE false)");
        return b.build();
    }

    /** Cores of a CPU device for OpenCL; 0 (with a warning) when it cannot be cut from the host's. */
    private int cpuShare(cl_device_id d, int units, String where, List<String> warnings) {
        int wanted = cpuComputeUnits > 0 ? cpuComputeUnits : Math.max(1, units / 2);
        int share = Math.min(wanted, Math.min(units, hostCores - 1));
        if (share < 1) {
            warnings.add(where + ": a CPU device on a host with " + hostCores + " core(s) (expected: at least 2, one "
                + "for the CPU fabric and one for OpenCL); skipped so no core counts twice");
            return 0;
        }
        if (share < units && !ClInfo.partitionsEqually(d)) {
            warnings.add(where + ": a CPU device that cannot be cut into sub-devices (expected: "
                + "CL_DEVICE_PARTITION_EQUALLY, to run on " + share + " of its " + units + " compute units); "
                + "skipped so no core counts twice");
            return 0;
        }
        return share;
    }

    private static FabricType type(long clType, String vendor, String platform) {
        if ((clType & CL.CL_DEVICE_TYPE_GPU) != 0)
            return FabricType.GPU;
        if ((clType & CL.CL_DEVICE_TYPE_CPU) != 0)
            return FabricType.CPU;
        String p = platform.toLowerCase(Locale.ROOT);
        boolean fpgaVendor = vendor.equals("Xilinx") || vendor.equals("Altera") || p.contains("fpga")
            || p.contains("xilinx");
        return (clType & CL.CL_DEVICE_TYPE_ACCELERATOR) != 0 && fpgaVendor ? FabricType.FPGA : FabricType.ASIC;
    }

    /** The vendor by its PCI vendor id where the driver reports one, else the driver's vendor name. */
    private static String vendor(cl_device_id d) {
        int id = ClInfo.intValue(d, CL.CL_DEVICE_VENDOR_ID);
        String known = PciSysfsProbe.shortVendorName(id).orElse(OTHER_VENDORS.get(id));
        if (known != null)
            return known;
        String v = orElse(ClInfo.string(d, CL.CL_DEVICE_VENDOR), "");
        String lower = v.toLowerCase(Locale.ROOT);
        if (lower.contains("nvidia"))
            return "NVIDIA";
        if (lower.contains("advanced micro devices") || lower.startsWith("amd"))
            return "AMD";
        if (lower.contains("intel"))
            return "Intel";
        return v;
    }

    private static Set<String> features(cl_device_id d, int units, String extensions) {
        Set<String> f = new TreeSet<>();
        String version = ClInfo.string(d, CL.CL_DEVICE_VERSION);
        if (version != null && version.startsWith("OpenCL ")) {
            String v = version.substring(7).split(" ")[0];
            if (v.matches("[0-9]+\\.[0-9]+"))
                f.add("opencl-" + v);
        }
        f.add("compute-units-" + units);
        if (ClInfo.intValue(d, CL.CL_DEVICE_COMPILER_AVAILABLE) == 1)
            f.add(COMPILER_FEATURE);
        if (extensions != null && extensions.contains("cl_khr_fp64"))
            f.add("fp64");
        return f;
    }

    private static String clip(String text) {
        return text.length() > MAX_DRIVER_LENGTH ? text.substring(0, MAX_DRIVER_LENGTH) : text;
    }

    private static String orElse(String v, String dflt) {
        return v == null || v.isBlank() ? dflt : v;
    }
}
