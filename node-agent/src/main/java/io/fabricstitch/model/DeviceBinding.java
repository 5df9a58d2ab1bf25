package io.fabricstitch.model;

import io.fabricstitch.internal.Checks;
import java.io.Serializable;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;

/**
 * The device a task reserved, as the task needs it to use that device and no other: the fabric, the vendor's own
 * identifiers for the device (nvidia-smi index and GPU UUID, OpenCL platform and device, FPGA manager or device path),
 * the amount reserved, and {@link #environment()}, the variables a child process needs to see only this device.
 * Built by the fabric's agent on the fabric's node; immutable.
 * <pre>{@code
 * DeviceBinding device = FabricTaskContext.current().device();
 * ProcessBuilder pb = new ProcessBuilder("python3", "infer.py");
 * pb.environment().keySet().removeAll(DeviceBinding.SELECTION_VARIABLES);   // nothing inherited selects a device
 * pb.environment().putAll(device.environment());                            // CUDA_VISIBLE_DEVICES=GPU-..., FABRIC_*
 * }</pre>
 */
public final class DeviceBinding implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Handle: nvidia-smi's index of an NVIDIA GPU (the CUDA ordinal when {@code CUDA_DEVICE_ORDER=PCI_BUS_ID}). */
    public static final String NVIDIA_INDEX = "nvidia.index";
    /** Handle: the GPU's UUID as nvidia-smi prints it ({@code GPU-...} or {@code MIG-...}). */
    public static final String GPU_UUID = "gpu.uuid";
    /** Handle: the device's position among the host's GPUs of its vendor in PCI address order (ROCm's, Level Zero's). */
    public static final String VENDOR_ORDINAL = "vendor.ordinal";
    /** Handle: the OpenCL platform's name. */
    public static final String OPENCL_PLATFORM = "opencl.platform";
    /** Handle: the OpenCL platform's index in {@code clGetPlatformIDs}. */
    public static final String OPENCL_PLATFORM_INDEX = "opencl.platformIndex";
    /** Handle: the OpenCL device's name. */
    public static final String OPENCL_DEVICE = "opencl.device";
    /** Handle: the OpenCL device's index in its platform's {@code clGetDeviceIDs(CL_DEVICE_TYPE_ALL)}. */
    public static final String OPENCL_DEVICE_INDEX = "opencl.deviceIndex";
    /** Handle: compute units the fabric uses of its OpenCL device (a sub-device's, for a CPU device). */
    public static final String OPENCL_COMPUTE_UNITS = "opencl.computeUnits";
    /** Handle: the kernel's FPGA manager ({@code /sys/class/fpga_manager/<name>}). */
    public static final String FPGA_MANAGER = "fpga.manager";
    /** Handle: the device's node or sysfs path. */
    public static final String DEVICE_PATH = "device.path";

    /**
     * The environment variables that select devices for vendor runtimes, and Fabric Stitch's own {@code FABRIC_}
     * prefix: a child process should inherit none of them, then take {@link #environment()}.
     */
    public static final Set<String> SELECTION_VARIABLES = Set.of("CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES",
        "CUDA_DEVICE_ORDER", "ROCR_VISIBLE_DEVICES", "HIP_VISIBLE_DEVICES", "GPU_DEVICE_ORDINAL", "ZE_AFFINITY_MASK",
        "ZE_ENABLE_PCI_ID_DEVICE_ORDER", "ONEAPI_DEVICE_SELECTOR");

    /** Prefix of Fabric Stitch's own variables. */
    public static final String FABRIC_PREFIX = "FABRIC_";

    private final UUID fabricId;
    private final FabricType fabricType;
    private final String model;
    private final String vendor;
    private final String deviceKey;
    private final String pciAddress;
    private final String driver;
    private final boolean declared;
    private final Map<String, String> handles;
    private final long reservedAmount;
    private final long resourceCount;
    private final String resourceUnit;
    private final Map<String, String> environment;

    private DeviceBinding(FabricEntry fabric, String vendor, Map<String, String> handles, boolean declared,
        long reservedAmount) {
        Checks.notNull(fabric, "fabric");
        fabricId = fabric.getFabricId();
        fabricType = fabric.getFabricType();
        model = fabric.getModel();
        this.vendor = vendor == null ? "" : vendor.strip();
        deviceKey = fabric.getDeviceKey();
        pciAddress = fabric.getPciAddress();
        driver = fabric.getDriver();
        this.declared = declared;
        this.handles = Collections.unmodifiableMap(new TreeMap<>(Checks.notNull(handles, "handles")));
        this.reservedAmount = Checks.inRange(reservedAmount, 0, fabric.getResourceCount(), "reservedAmount");
        resourceCount = fabric.getResourceCount();
        resourceUnit = fabric.getResourceUnit();
        environment = Collections.unmodifiableMap(environmentOf());
    }

    /**
     * The binding of {@code fabric} for a task that reserved {@code reservedAmount} of it.
     *
     * @param vendor the device's vendor as its probe named it ({@code NVIDIA}, {@code AMD}, {@code Intel},
     *     {@code Xilinx}, ...); empty when unknown
     * @param handles the vendor's identifiers by the handle names of this class ({@link #GPU_UUID}, ...)
     * @param declared whether the fabric is declared (simulated): it has no device, only {@code FABRIC_} variables
     * @throws IllegalArgumentException when the amount is outside {@code 0..resourceCount}
     */
    public static DeviceBinding of(FabricEntry fabric, String vendor, Map<String, String> handles, boolean declared,
        long reservedAmount) {
        return new DeviceBinding(fabric, vendor, handles, declared, reservedAmount);
    }

    private Map<String, String> environmentOf() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FABRIC_ID", fabricId.toString());
        env.put("FABRIC_TYPE", fabricType.name());
        env.put("FABRIC_MODEL", model);
        env.put("FABRIC_DEVICE_KEY", deviceKey);
        if (!vendor.isEmpty())
            env.put("FABRIC_VENDOR", vendor);
        if (!pciAddress.isEmpty())
            env.put("FABRIC_PCI_ADDRESS", pciAddress);
        if (declared)
            env.put("FABRIC_DECLARED", "true");
        env.put("FABRIC_RESERVED", Long.toString(reservedAmount));
        env.put("FABRIC_RESOURCE_COUNT", Long.toString(resourceCount));
        env.put("FABRIC_RESOURCE_UNIT", resourceUnit);
        openClPlatformIndex().ifPresent(i -> env.put("FABRIC_OPENCL_PLATFORM_INDEX", Integer.toString(i)));
        openClDeviceIndex().ifPresent(i -> env.put("FABRIC_OPENCL_DEVICE_INDEX", Integer.toString(i)));
        fpgaManager().ifPresent(m -> env.put("FABRIC_FPGA_MANAGER", m));
        devicePath().ifPresent(p -> env.put("FABRIC_DEVICE_PATH", p));
        String v = vendor.toLowerCase(Locale.ROOT);
        boolean nvidiaGpu = !declared && fabricType == FabricType.GPU && v.startsWith("nvidia") && gpuUuid().isPresent();
        if (nvidiaGpu) {
            env.put("CUDA_VISIBLE_DEVICES", gpuUuid().get());
            env.put("NVIDIA_VISIBLE_DEVICES", gpuUuid().get());
            env.put("CUDA_DEVICE_ORDER", "PCI_BUS_ID");
        }
        else {
            // Any other fabric reserved no NVIDIA GPU: CUDA sees none (an empty CUDA_VISIBLE_DEVICES), nor does the
            // NVIDIA container runtime ("none"), so a task cannot take a GPU another task reserved.
            env.put("CUDA_VISIBLE_DEVICES", "");
            env.put("NVIDIA_VISIBLE_DEVICES", "none");
        }
        if (declared)
            return env;
        if (fabricType == FabricType.GPU && (v.startsWith("amd") || v.startsWith("advanced micro devices")))
            vendorIndex().ifPresent(i -> env.put("ROCR_VISIBLE_DEVICES", Integer.toString(i)));
        else if (fabricType == FabricType.GPU && v.startsWith("intel")) {
            vendorIndex().ifPresent(i -> {
                env.put("ZE_ENABLE_PCI_ID_DEVICE_ORDER", "1"); // Level Zero counts devices in PCI order, as we do
                env.put("ZE_AFFINITY_MASK", Integer.toString(i));
            });
        }
        else if (fabricType == FabricType.FPGA && v.startsWith("xilinx") && !pciAddress.isEmpty())
            env.put("FABRIC_XRT_BDF", pciAddress);
        return env;
    }

    /** The reserved fabric. */
    public UUID fabricId() {
        return fabricId;
    }

    public FabricType fabricType() {
        return fabricType;
    }

    public String model() {
        return model;
    }

    /** The device's vendor as its probe named it; empty when unknown (a declared fabric). */
    public String vendor() {
        return vendor;
    }

    /** The device's identity on its host, e.g. {@code nvidia:GPU-5c8b...}, {@code opencl:...}, {@code cpu}. */
    public String deviceKey() {
        return deviceKey;
    }

    /** The device's PCI address ({@code 0000:3b:00.0}), when it has one. */
    public Optional<String> pciAddress() {
        return pciAddress.isEmpty() ? Optional.empty() : Optional.of(pciAddress);
    }

    /** The driver version the probe read; empty when unknown. */
    public String driver() {
        return driver;
    }

    /** Whether the fabric is declared (simulated): no device stands behind it. */
    public boolean declared() {
        return declared;
    }

    /**
     * The vendor's index of the device: nvidia-smi's index of an NVIDIA GPU, else its position among the host's GPUs
     * of its vendor in PCI address order.
     */
    public OptionalInt vendorIndex() {
        OptionalInt nvidia = intHandle(NVIDIA_INDEX);
        return nvidia.isPresent() ? nvidia : intHandle(VENDOR_ORDINAL);
    }

    /** The GPU's UUID from nvidia-smi ({@code GPU-...}, {@code MIG-...}). */
    public Optional<String> gpuUuid() {
        return handle(GPU_UUID);
    }

    /** The OpenCL platform's name, when the device has an OpenCL driver. */
    public Optional<String> openClPlatform() {
        return handle(OPENCL_PLATFORM);
    }

    /** The OpenCL platform's index in {@code clGetPlatformIDs}. */
    public OptionalInt openClPlatformIndex() {
        return intHandle(OPENCL_PLATFORM_INDEX);
    }

    /** The OpenCL device's name. */
    public Optional<String> openClDevice() {
        return handle(OPENCL_DEVICE);
    }

    /** The OpenCL device's index in its platform ({@code CL_DEVICE_TYPE_ALL}). */
    public OptionalInt openClDeviceIndex() {
        return intHandle(OPENCL_DEVICE_INDEX);
    }

    /** The FPGA manager's name ({@code fpga0}), for FPGAs found through the kernel's FPGA manager framework. */
    public Optional<String> fpgaManager() {
        return handle(FPGA_MANAGER);
    }

    /** The device's node or sysfs path, when its probe knows one. */
    public Optional<String> devicePath() {
        return handle(DEVICE_PATH);
    }

    /** Every vendor identifier by handle name, sorted. */
    public Map<String, String> handles() {
        return handles;
    }

    /** Units of the fabric's resource this task reserved; 0 when it runs without a reservation (the SPI path). */
    public long reservedAmount() {
        return reservedAmount;
    }

    /** The fabric's total units. */
    public long resourceCount() {
        return resourceCount;
    }

    /** The unit both amounts are counted in: {@code MiB}, {@code cores}, {@code slices}, ... */
    public String resourceUnit() {
        return resourceUnit;
    }

    /**
     * The variables a child process needs to use this device and see no other, in a stable order: {@code FABRIC_ID},
     * {@code FABRIC_TYPE}, {@code FABRIC_MODEL}, {@code FABRIC_DEVICE_KEY}, {@code FABRIC_VENDOR},
     * {@code FABRIC_PCI_ADDRESS}, {@code FABRIC_DECLARED}, {@code FABRIC_RESERVED}, {@code FABRIC_RESOURCE_COUNT},
     * {@code FABRIC_RESOURCE_UNIT}, {@code FABRIC_OPENCL_PLATFORM_INDEX}, {@code FABRIC_OPENCL_DEVICE_INDEX},
     * {@code FABRIC_FPGA_MANAGER}, {@code FABRIC_DEVICE_PATH} where known; and by vendor: {@code CUDA_VISIBLE_DEVICES}
     * and {@code NVIDIA_VISIBLE_DEVICES} set to the GPU's UUID with {@code CUDA_DEVICE_ORDER=PCI_BUS_ID} (NVIDIA; any
     * other fabric gets {@code CUDA_VISIBLE_DEVICES} empty and {@code NVIDIA_VISIBLE_DEVICES=none}, so that CUDA sees
     * no GPU it did not reserve), {@code ROCR_VISIBLE_DEVICES} (AMD GPUs) and {@code ZE_AFFINITY_MASK} with
     * {@code ZE_ENABLE_PCI_ID_DEVICE_ORDER=1} (Intel GPUs) set to the vendor index, and {@code FABRIC_XRT_BDF} (Xilinx
     * FPGAs: XRT has no visibility variable; its host programs open a card by BDF). A declared fabric gets the
     * {@code FABRIC_} variables and the empty CUDA selection only.
     */
    public Map<String, String> environment() {
        return environment;
    }

    private Optional<String> handle(String name) {
        String v = handles.get(name);
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    private OptionalInt intHandle(String name) {
        String v = handles.get(name);
        if (v == null)
            return OptionalInt.empty();
        try {
            return OptionalInt.of(Integer.parseInt(v.strip()));
        }
        catch (NumberFormatException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public String toString() {
        return "DeviceBinding [fabricId=" + fabricId + ", " + fabricType + ' ' + model
            + (declared ? " (declared)" : "") + ", key=" + deviceKey
            + (pciAddress.isEmpty() ? "" : ", pci=" + pciAddress) + ", reserved=" + reservedAmount + '/'
            + resourceCount + ' ' + resourceUnit + ", handles=" + handles + ']';
    }
}
