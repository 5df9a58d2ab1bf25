package io.fabricstitch.agent;

import io.fabricstitch.agent.internal.DeviceAllowList;
import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.internal.ConfigPaths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's part of the plugin's configuration tree (property {@code agent} of
 * {@code io.fabricstitch.ignite.FabricPluginConfiguration}): which devices the node probes and claims, the fabrics it
 * declares, the functions it runs and how it judges their health. Chaining setters in Ignite's style;
 * {@link #validate()} checks every value, naming a refused one by its path ({@code agent.probeTimeoutMs}).
 * {@link AgentConfiguration} holds this bean as it is and reads its settings from it.
 */
public class FabricAgentConfiguration {
    /** Property path of these settings in the plugin's configuration tree, in validation messages. */
    static final String PATH = "agent.";

    /** Default folder of host-wide device claims: {@code <java.io.tmpdir>/fabric-stitch-claims}. */
    public static final String DFLT_CLAIM_DIRECTORY = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
        "fabric-stitch-claims").toString();

    /** Default time one probe tool (nvidia-smi) may take, in milliseconds. */
    public static final long DFLT_PROBE_TIMEOUT_MS = 5_000;

    /** Default root of sysfs. */
    public static final String DFLT_SYSFS_ROOT = "/sys";

    /** Default root of procfs. */
    public static final String DFLT_PROCFS_ROOT = "/proc";

    /** Default nvidia-smi command (looked up on PATH). */
    public static final String DFLT_NVIDIA_SMI_COMMAND = "nvidia-smi";

    /** Environment variable read when no allow-list is configured, like {@code CUDA_VISIBLE_DEVICES}. */
    public static final String ENV_DEVICES = "FABRIC_DEVICES";

    /** Default time between two health checks of a node's fabrics (probe runs and map reports), ms. */
    public static final long DFLT_HEALTH_INTERVAL_MS = 1_000;

    /** Default time the agent spends measuring one real fabric at one function, ms. */
    public static final long DFLT_CALIBRATION_BUDGET_MS = 1_000;

    /** Default longest wait of a call for decode budget, ms. */
    public static final long DFLT_DECODE_WAIT_MS = DecodeBudget.DFLT_MAX_WAIT_MS;

    /** Default largest image a function decodes, pixels (64 megapixels). */
    public static final long DFLT_MAX_DECODE_PIXELS = DecodeBudget.DFLT_MAX_PIXELS;

    private List<DeclaredFabric> declaredFabrics = new ArrayList<>();
    private List<String> deviceAllowList;
    private String claimDirectory = DFLT_CLAIM_DIRECTORY;
    private boolean realProbesEnabled = true;
    private String sysfsRoot = DFLT_SYSFS_ROOT;
    private String procfsRoot = DFLT_PROCFS_ROOT;
    private String nvidiaSmiCommand = DFLT_NVIDIA_SMI_COMMAND;
    private long probeTimeoutMs = DFLT_PROBE_TIMEOUT_MS;
    private boolean openClEnabled = true;
    private int openClCpuComputeUnits;
    private List<io.fabricstitch.agent.opencl.OpenClFunction> openClFunctions = new ArrayList<>();
    private List<io.fabricstitch.function.process.ProcessFunction> processFunctions = new ArrayList<>();
    private String processTempDirectory = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
        "fabric-stitch-process").toString();
    private long calibrationBudgetMs = DFLT_CALIBRATION_BUDGET_MS;
    private long decodeBudgetBytes;
    private long decodeWaitMs = DFLT_DECODE_WAIT_MS;
    private long maxDecodePixels = DFLT_MAX_DECODE_PIXELS;
    private List<String> probedFunctions = new ArrayList<>();
    private List<String> functionClasses = new ArrayList<>();
    private long healthIntervalMs = DFLT_HEALTH_INTERVAL_MS;
    private double maxTemperatureC = HealthPolicy.DFLT_MAX_TEMPERATURE_C;
    private double maxUtilizationPct = HealthPolicy.DFLT_MAX_UTILIZATION_PCT;
    private long maxMemoryErrors = HealthPolicy.DFLT_MAX_MEMORY_ERRORS;
    private double maxErrorRate = HealthPolicy.DFLT_MAX_ERROR_RATE;

    /** Fabrics no probe can see, or simulated ones for demos and tests. */
    public List<DeclaredFabric> getDeclaredFabrics() {
        return declaredFabrics;
    }

    public FabricAgentConfiguration setDeclaredFabrics(List<DeclaredFabric> declaredFabrics) {
        this.declaredFabrics = declaredFabrics == null ? new ArrayList<>() : new ArrayList<>(declaredFabrics);
        return this;
    }

    /**
     * Glob patterns of the devices this node may claim ({@code pci:0000:3b:*}, {@code nvidia:GPU-*},
     * {@code declared:demo-gpu-*}); null means the {@value #ENV_DEVICES} environment variable (comma-separated), and
     * when that is unset too, every device the node is first to claim on its host.
     */
    public List<String> getDeviceAllowList() {
        return deviceAllowList;
    }

    public FabricAgentConfiguration setDeviceAllowList(List<String> deviceAllowList) {
        this.deviceAllowList = deviceAllowList == null ? null : new ArrayList<>(deviceAllowList);
        return this;
    }

    /** The allow-list in force: the configured one, else {@value #ENV_DEVICES}, else null (every device). */
    public List<String> effectiveDeviceAllowList() {
        if (deviceAllowList != null)
            return deviceAllowList;
        String env = System.getenv(ENV_DEVICES);
        return env == null || env.isBlank() ? null : Arrays.asList(env.split(","));
    }

    /** Folder of the host-wide device claim files; default {@code <java.io.tmpdir>/fabric-stitch-claims}. */
    public String getClaimDirectory() {
        return claimDirectory;
    }

    public FabricAgentConfiguration setClaimDirectory(String claimDirectory) {
        this.claimDirectory = claimDirectory;
        return this;
    }

    /**
     * Whether the hardware probes (PCI sysfs, nvidia-smi, FPGA managers) run; default true. The CPU probe always
     * runs: every server node offers its CPU as the fallback fabric.
     */
    public boolean isRealProbesEnabled() {
        return realProbesEnabled;
    }

    public FabricAgentConfiguration setRealProbesEnabled(boolean realProbesEnabled) {
        this.realProbesEnabled = realProbesEnabled;
        return this;
    }

    /** Root of sysfs the PCI and FPGA probes read; default {@value #DFLT_SYSFS_ROOT}. */
    public String getSysfsRoot() {
        return sysfsRoot;
    }

    public FabricAgentConfiguration setSysfsRoot(String sysfsRoot) {
        this.sysfsRoot = sysfsRoot;
        return this;
    }

    /** Root of procfs the CPU probe reads; default {@value #DFLT_PROCFS_ROOT}. */
    public String getProcfsRoot() {
        return procfsRoot;
    }

    public FabricAgentConfiguration setProcfsRoot(String procfsRoot) {
        this.procfsRoot = procfsRoot;
        return this;
    }

    /** The nvidia-smi executable, a name on PATH or a path; default {@value #DFLT_NVIDIA_SMI_COMMAND}. */
    public String getNvidiaSmiCommand() {
        return nvidiaSmiCommand;
    }

    public FabricAgentConfiguration setNvidiaSmiCommand(String nvidiaSmiCommand) {
        this.nvidiaSmiCommand = nvidiaSmiCommand;
        return this;
    }

    /** Longest a probe tool may run, in milliseconds; default {@value #DFLT_PROBE_TIMEOUT_MS}. */
    public long getProbeTimeoutMs() {
        return probeTimeoutMs;
    }

    public FabricAgentConfiguration setProbeTimeoutMs(long probeTimeoutMs) {
        this.probeTimeoutMs = probeTimeoutMs;
        return this;
    }

    /**
     * Whether the agent probes OpenCL devices (every platform the host's ICD loader lists) and runs OpenCL kernels
     * on them; default true. Needs {@link #isRealProbesEnabled() realProbesEnabled}. Without an OpenCL runtime on the
     * host the probe says why in one log line and nothing else changes.
     */
    public boolean isOpenClEnabled() {
        return openClEnabled;
    }

    public FabricAgentConfiguration setOpenClEnabled(boolean openClEnabled) {
        this.openClEnabled = openClEnabled;
        return this;
    }

    /**
     * Compute units of an OpenCL CPU device (such as pocl's) that run OpenCL kernels, taken from the node's CPU fabric
     * so that no core is counted twice; default 0: half the device's compute units. At least one core always stays
     * with the CPU fabric.
     */
    public int getOpenClCpuComputeUnits() {
        return openClCpuComputeUnits;
    }

    public FabricAgentConfiguration setOpenClCpuComputeUnits(int openClCpuComputeUnits) {
        this.openClCpuComputeUnits = openClCpuComputeUnits;
        return this;
    }

    /** User OpenCL functions: kernels from source or device binaries, run on the OpenCL devices of their types. */
    public List<io.fabricstitch.agent.opencl.OpenClFunction> getOpenClFunctions() {
        return openClFunctions;
    }

    public FabricAgentConfiguration setOpenClFunctions(List<io.fabricstitch.agent.opencl.OpenClFunction> functions) {
        this.openClFunctions = functions == null ? new ArrayList<>() : new ArrayList<>(functions);
        return this;
    }

    /**
     * Process functions: external programs run for a call with the device binding's environment, input and output
     * through files (see {@link io.fabricstitch.function.process.ProcessFunction}).
     */
    public List<io.fabricstitch.function.process.ProcessFunction> getProcessFunctions() {
        return processFunctions;
    }

    public FabricAgentConfiguration setProcessFunctions(
        List<io.fabricstitch.function.process.ProcessFunction> processFunctions) {
        this.processFunctions = processFunctions == null ? new ArrayList<>() : new ArrayList<>(processFunctions);
        return this;
    }

    /** Folder of the process functions' per-call folders (input, output), each removed when its call ends. */
    public String getProcessTempDirectory() {
        return processTempDirectory;
    }

    public FabricAgentConfiguration setProcessTempDirectory(String processTempDirectory) {
        this.processTempDirectory = processTempDirectory;
        return this;
    }

    /**
     * Longest time the agent spends measuring one real fabric's speed at one function against the host CPU's Java
     * code, right after the node starts, ms; default {@value #DFLT_CALIBRATION_BUDGET_MS}; 0 turns measuring off
     * (probed fabrics then keep speed 1). Declared fabrics keep their configured speed.
     */
    public long getCalibrationBudgetMs() {
        return calibrationBudgetMs;
    }

    public FabricAgentConfiguration setCalibrationBudgetMs(long calibrationBudgetMs) {
        this.calibrationBudgetMs = calibrationBudgetMs;
        return this;
    }

    /**
     * Heap the node's functions may take at once for decoding inputs (an image's pixels and the output made from
     * them), bytes; default 0: a quarter of the JVM's maximum heap, shared by every node of the JVM. A call reserves
     * what its input needs before decoding it, waits up to {@link #getDecodeWaitMs() decodeWaitMs} for it, and is
     * refused after that, or at once when its input needs more than the whole budget.
     */
    public long getDecodeBudgetBytes() {
        return decodeBudgetBytes;
    }

    public FabricAgentConfiguration setDecodeBudgetBytes(long decodeBudgetBytes) {
        this.decodeBudgetBytes = decodeBudgetBytes;
        return this;
    }

    /** Longest wait of a call for decode budget, ms; default {@value #DFLT_DECODE_WAIT_MS}; 0 refuses at once. */
    public long getDecodeWaitMs() {
        return decodeWaitMs;
    }

    public FabricAgentConfiguration setDecodeWaitMs(long decodeWaitMs) {
        this.decodeWaitMs = decodeWaitMs;
        return this;
    }

    /**
     * Largest image a function decodes, pixels, read from the image's header before decoding; default
     * {@value #DFLT_MAX_DECODE_PIXELS}.
     */
    public long getMaxDecodePixels() {
        return maxDecodePixels;
    }

    public FabricAgentConfiguration setMaxDecodePixels(long maxDecodePixels) {
        this.maxDecodePixels = maxDecodePixels;
        return this;
    }

    /** The decode budget these settings make: the JVM's shared one unless {@code decodeBudgetBytes} is set. */
    public DecodeBudget decodeBudget() {
        java.time.Duration wait = java.time.Duration.ofMillis(decodeWaitMs);
        return decodeBudgetBytes == 0 ? DecodeBudget.jvmShared(wait, maxDecodePixels)
            : DecodeBudget.of(decodeBudgetBytes, wait, maxDecodePixels);
    }

    /**
     * Functions that probed (not declared) fabrics run; default (empty): every registered function with an
     * implementation for the fabric's type.
     */
    public List<String> getProbedFunctions() {
        return probedFunctions;
    }

    public FabricAgentConfiguration setProbedFunctions(List<String> probedFunctions) {
        this.probedFunctions = probedFunctions == null ? new ArrayList<>() : new ArrayList<>(probedFunctions);
        return this;
    }

    /**
     * Class names of {@code io.fabricstitch.function.AccelerationFunction} implementations to register besides those
     * found by the service loader.
     */
    public List<String> getFunctionClasses() {
        return functionClasses;
    }

    public FabricAgentConfiguration setFunctionClasses(List<String> functionClasses) {
        this.functionClasses = functionClasses == null ? new ArrayList<>() : new ArrayList<>(functionClasses);
        return this;
    }

    /**
     * Time between two health checks of this node's fabrics, ms; default {@value #DFLT_HEALTH_INTERVAL_MS}. Each check
     * re-runs the probes, derives every fabric's status and reason, and reports to the Fabric Map (a change of health
     * reaches the map within one interval; every check refreshes {@code AGENT_HEARTBEAT.LAST_REPORT}, the agent's
     * heartbeat).
     */
    public long getHealthIntervalMs() {
        return healthIntervalMs;
    }

    public FabricAgentConfiguration setHealthIntervalMs(long healthIntervalMs) {
        this.healthIntervalMs = healthIntervalMs;
        return this;
    }

    /** A fabric hotter than this, degrees Celsius, is DEGRADED; default 85. */
    public double getMaxTemperatureC() {
        return maxTemperatureC;
    }

    public FabricAgentConfiguration setMaxTemperatureC(double maxTemperatureC) {
        this.maxTemperatureC = maxTemperatureC;
        return this;
    }

    /**
     * A fabric busier than this, percent (as its probe reads it, e.g. nvidia-smi's utilization.gpu), is DEGRADED;
     * default 100, which never trips: set it lower when work outside Fabric Stitch shares the devices.
     */
    public double getMaxUtilizationPct() {
        return maxUtilizationPct;
    }

    public FabricAgentConfiguration setMaxUtilizationPct(double maxUtilizationPct) {
        this.maxUtilizationPct = maxUtilizationPct;
        return this;
    }

    /** A fabric with more uncorrected memory (ECC) errors than this is DEGRADED; default 0. */
    public long getMaxMemoryErrors() {
        return maxMemoryErrors;
    }

    public FabricAgentConfiguration setMaxMemoryErrors(long maxMemoryErrors) {
        this.maxMemoryErrors = maxMemoryErrors;
        return this;
    }

    /**
     * A fabric on which more than this share (0..1] of the last 20 function calls failed (refused input does not
     * count) is DEGRADED; default 0.5.
     */
    public double getMaxErrorRate() {
        return maxErrorRate;
    }

    public FabricAgentConfiguration setMaxErrorRate(double maxErrorRate) {
        this.maxErrorRate = maxErrorRate;
        return this;
    }

    /** The health policy these settings make. */
    public HealthPolicy healthPolicy() {
        return HealthPolicy.builder().interval(java.time.Duration.ofMillis(healthIntervalMs))
            .maxTemperatureC(maxTemperatureC).maxUtilizationPct(maxUtilizationPct).maxMemoryErrors(maxMemoryErrors)
            .maxErrorRate(maxErrorRate).build();
    }

    /**
     * Checks every value.
     *
     * @throws IllegalArgumentException naming the property by its path ({@code agent.probeTimeoutMs}), the value and
     *     what is accepted
     */
    public void validate() {
        ConfigPaths.at(PATH, () -> DeviceAllowList.of(effectiveDeviceAllowList()));
        Checks.notBlank(claimDirectory, PATH + "claimDirectory", 4096);
        Checks.notBlank(sysfsRoot, PATH + "sysfsRoot", 4096);
        Checks.notBlank(procfsRoot, PATH + "procfsRoot", 4096);
        Checks.notBlank(nvidiaSmiCommand, PATH + "nvidiaSmiCommand", 4096);
        Checks.inRange(probeTimeoutMs, 1, 600_000, PATH + "probeTimeoutMs");
        Checks.inRange(openClCpuComputeUnits, 0, 4096, PATH + "openClCpuComputeUnits");
        Checks.inRange(calibrationBudgetMs, 0, 60_000, PATH + "calibrationBudgetMs");
        Checks.inRange(decodeBudgetBytes, 0, DecodeBudget.MAX_BYTES, PATH + "decodeBudgetBytes");
        ConfigPaths.at(PATH, this::decodeBudget);
        Checks.notBlank(processTempDirectory, PATH + "processTempDirectory", 4096);
        for (io.fabricstitch.agent.opencl.OpenClFunction f : openClFunctions)
            Checks.notNull(f, PATH + "openClFunctions element");
        // also where the host has no OpenCL
        ConfigPaths.at(PATH, () -> io.fabricstitch.agent.opencl.OpenClRuntime.validate(openClFunctions));
        Set<String> processNames = new HashSet<>();
        for (io.fabricstitch.function.process.ProcessFunction f : processFunctions) {
            Checks.notNull(f, PATH + "processFunctions element");
            ConfigPaths.at(PATH, () -> f.toFunction());
            if (!processNames.add(f.getName()))
                throw new IllegalArgumentException(PATH + "processFunctions element '" + f.getName() + "': name given "
                    + "twice (expected: unique names)");
        }
        for (String fn : probedFunctions)
            Checks.name(fn, PATH + "probedFunctions element");
        for (DeclaredFabric d : declaredFabrics) {
            Checks.notNull(d, PATH + "declaredFabrics element");
            ConfigPaths.at(PATH + "declaredFabrics: ", d::toDetected);
        }
        for (String cls : functionClasses)
            Checks.notBlank(cls, PATH + "functionClasses element", 1024);
        ConfigPaths.at(PATH, this::healthPolicy);
    }

    @Override
    public String toString() {
        return "FabricAgentConfiguration [declaredFabrics=" + declaredFabrics.size() + ", deviceAllowList="
            + deviceAllowList + ", claimDirectory=" + claimDirectory + ", realProbesEnabled=" + realProbesEnabled
            + ", sysfsRoot=" + sysfsRoot + ", procfsRoot=" + procfsRoot + ", nvidiaSmiCommand=" + nvidiaSmiCommand
            + ", probeTimeoutMs=" + probeTimeoutMs + ", openClEnabled=" + openClEnabled + ", openClCpuComputeUnits="
            + openClCpuComputeUnits + ", openClFunctions=" + openClFunctions + ", processFunctions="
            + processFunctions + ", processTempDirectory=" + processTempDirectory + ", calibrationBudgetMs="
            + calibrationBudgetMs + ", decodeBudgetBytes=" + decodeBudgetBytes + ", decodeWaitMs=" + decodeWaitMs
            + ", maxDecodePixels=" + maxDecodePixels + ", probedFunctions=" + probedFunctions + ", functionClasses="
            + functionClasses + ", healthIntervalMs=" + healthIntervalMs + ", maxTemperatureC=" + maxTemperatureC
            + ", maxUtilizationPct=" + maxUtilizationPct + ", maxMemoryErrors=" + maxMemoryErrors + ", maxErrorRate="
            + maxErrorRate + ']';
    }
}
