package io.fabricstitch.ignite;

import io.fabricstitch.agent.AgentConfiguration;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.HealthPolicy;
import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.internal.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import io.fabricstitch.ignite.compute.CostFunction;
import io.fabricstitch.ignite.compute.PriorityClass;
import org.apache.ignite.plugin.PluginConfiguration;

/**
 * Settings of the Fabric Stitch plugin on one node. A bean with chaining setters in Ignite's style, so it works from
 * code and as a Spring XML bean; every value is checked when the node starts ({@link #validate()}).
 * <pre>{@code
 * <property name="pluginProviders">
 *   <list>
 *     <bean class="io.fabricstitch.ignite.FabricPluginProvider">
 *       <property name="configuration">
 *         <bean class="io.fabricstitch.ignite.FabricPluginConfiguration">
 *           <property name="site" value="rack-a"/>
 *         </bean>
 *       </property>
 *     </bean>
 *   </list>
 * </property>
 * }</pre>
 */
public class FabricPluginConfiguration implements PluginConfiguration {
    /** Default site label. */
    public static final String DFLT_SITE = AgentConfiguration.DFLT_SITE;

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

    /** Environment variable holding the beacon secret when neither {@code beaconSecret} nor its file is set. */
    public static final String ENV_BEACON_SECRET = "FABRIC_BEACON_SECRET";

    /** Default time between two health checks of a node's fabrics (probe runs and map reports), ms. */
    public static final long DFLT_HEALTH_INTERVAL_MS = 1_000;

    /** Default silence after which the orchestrator turns an agent's fabrics DEGRADED, ms. */
    public static final long DFLT_SILENT_DEGRADED_AFTER_MS = 3_000;

    /** Default silence after which the orchestrator turns an agent's fabrics OFFLINE, ms. */
    public static final long DFLT_SILENT_OFFLINE_AFTER_MS = 10_000;

    /** Default multicast group of the beacons. */
    public static final String DFLT_BEACON_GROUP = "239.255.47.47";

    /** Default UDP port of the beacon multicast group. */
    public static final int DFLT_BEACON_PORT = 47400;

    /** Default first UDP port of the agent's unicast endpoint (seeds, replies, latency probes). */
    public static final int DFLT_AGENT_PORT = 47410;

    /** Default number of ports tried from {@link #DFLT_AGENT_PORT} on. */
    public static final int DFLT_AGENT_PORT_RANGE = 10;

    /** Default time between two beacons, ms. */
    public static final long DFLT_BEACON_INTERVAL_MS = 1_000;

    /** Default time between two latency probes of each peer, ms. */
    public static final long DFLT_LATENCY_PROBE_INTERVAL_MS = 1_000;

    /** Default first TCP port of the agent's data-path server. */
    public static final int DFLT_DATA_PATH_PORT = 47420;

    /** Default number of ports tried from {@link #DFLT_DATA_PATH_PORT} on. */
    public static final int DFLT_DATA_PATH_PORT_RANGE = 10;

    /** Default size from which a task's input travels over the data path instead of inside the Ignite job, bytes. */
    public static final long DFLT_DATA_PATH_THRESHOLD_BYTES = 1L << 20;

    /** Default payload of one data-path frame, bytes. */
    public static final int DFLT_DATA_PATH_CHUNK_BYTES = 64 * 1024;

    /** Default time a data-path peer may send nothing during a transfer, ms. */
    public static final long DFLT_DATA_PATH_READ_TIMEOUT_MS = 10_000;

    /** Default lifetime of a data-path transfer token, ms: a caller must open its transfer within it. */
    public static final long DFLT_DATA_PATH_TOKEN_TTL_MS = 120_000;

    /** Default staging capacity of an agent's data path: 0, half the staging file system's free space at start. */
    public static final long DFLT_DATA_PATH_STAGING_CAPACITY_BYTES =
        io.fabricstitch.agent.datapath.DataPathConfiguration.DFLT_STAGING_CAPACITY_BYTES;

    /** Default most data-path connections an agent holds open at once. */
    public static final int DFLT_DATA_PATH_MAX_CONNECTIONS =
        io.fabricstitch.agent.datapath.DataPathConfiguration.DFLT_MAX_CONNECTIONS;

    /** Default most data-path connections an agent holds open from one peer address. */
    public static final int DFLT_DATA_PATH_MAX_CONNECTIONS_PER_PEER =
        io.fabricstitch.agent.datapath.DataPathConfiguration.DFLT_MAX_CONNECTIONS_PER_PEER;

    /** Default time a new data-path connection has to send its OPEN (TLS handshake included), ms. */
    public static final long DFLT_DATA_PATH_OPEN_TIMEOUT_MS = 5_000;

    /** Default least rate of an upload's bytes, bytes per second (64 KiB/s). */
    public static final long DFLT_DATA_PATH_MIN_RATE_BYTES_PER_SECOND =
        io.fabricstitch.agent.datapath.DataPathConfiguration.DFLT_MIN_RECEIVE_RATE;

    /** Default time the least rate is averaged over, ms. */
    public static final long DFLT_DATA_PATH_MIN_RATE_WINDOW_MS = 5_000;

    /** Default age (either way) beyond which a beacon's timestamp is refused as a replay, ms. */
    public static final long DFLT_BEACON_REPLAY_WINDOW_MS = 30_000;

    /** Default address the web console binds: loopback only. */
    public static final String DFLT_CONSOLE_HOST = "127.0.0.1";

    /** Default first port of the web console. */
    public static final int DFLT_CONSOLE_PORT = 8090;

    /** Default number of ports tried from {@link #DFLT_CONSOLE_PORT} on. */
    public static final int DFLT_CONSOLE_PORT_RANGE = 10;

    /** Environment variable read for the console token when neither {@code consoleToken} nor its file is set. */
    public static final String ENV_CONSOLE_TOKEN = "FABRIC_CONSOLE_TOKEN";

    /** Default time a console request's line and headers may take from its first byte, ms. */
    public static final long DFLT_CONSOLE_HEADER_TIMEOUT_MS = 5_000;

    /** Default time a whole console request may take from its first byte, and a console connection may idle, ms. */
    public static final long DFLT_CONSOLE_READ_TIMEOUT_MS = 10_000;

    /** Default most open console connections of a node. */
    public static final int DFLT_CONSOLE_MAX_CONNECTIONS = 64;

    /** Default most open console connections from one client address. */
    public static final int DFLT_CONSOLE_MAX_CONNECTIONS_PER_PEER = 16;

    /** Default threads answering console API requests (SQL, fault injection). */
    public static final int DFLT_CONSOLE_WORKER_THREADS = 2;

    /** Default most console API requests waiting for a worker thread. */
    public static final int DFLT_CONSOLE_MAX_QUEUED_REQUESTS = 16;

    private String site = DFLT_SITE;
    private String advertiseHost;
    private List<DeclaredFabric> declaredFabrics = new ArrayList<>();
    private List<String> deviceAllowList;
    private String claimDirectory = AgentConfiguration.DFLT_CLAIM_DIRECTORY.toString();
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
    private List<String> priorityClasses = new ArrayList<>();
    private String fabricPrices = "";
    private boolean allowDegraded;
    private int maxQueuedTasks = DFLT_MAX_QUEUED_TASKS;
    private long holdForFasterMs = DFLT_HOLD_FOR_FASTER_MS;
    private boolean pricePerSpeed;
    private long queueTimeoutMs = DFLT_QUEUE_TIMEOUT_MS;
    private int maxAttempts = DFLT_MAX_ATTEMPTS;
    private long taskAssignmentExpiryMs = DFLT_TASK_ASSIGNMENT_EXPIRY_MS;
    private int taskAssignmentMaxRows = DFLT_TASK_ASSIGNMENT_MAX_ROWS;
    private List<String> functionClasses = new ArrayList<>();
    private List<String> rdmaTransportClasses = new ArrayList<>();
    private long healthIntervalMs = DFLT_HEALTH_INTERVAL_MS;
    private double maxTemperatureC = HealthPolicy.DFLT_MAX_TEMPERATURE_C;
    private double maxUtilizationPct = HealthPolicy.DFLT_MAX_UTILIZATION_PCT;
    private long maxMemoryErrors = HealthPolicy.DFLT_MAX_MEMORY_ERRORS;
    private double maxErrorRate = HealthPolicy.DFLT_MAX_ERROR_RATE;
    private long silentDegradedAfterMs = DFLT_SILENT_DEGRADED_AFTER_MS;
    private long silentOfflineAfterMs = DFLT_SILENT_OFFLINE_AFTER_MS;
    private boolean beaconsEnabled = true;
    private String beaconSecret;
    private FabricSecurityConfiguration security;
    private String beaconSecretFile;
    private String beaconGroup = DFLT_BEACON_GROUP;
    private int beaconPort = DFLT_BEACON_PORT;
    private String beaconInterface;
    private int beaconTtl = 1;
    private List<String> beaconSeeds = new ArrayList<>();
    private long beaconIntervalMs = DFLT_BEACON_INTERVAL_MS;
    private long beaconReplayWindowMs = DFLT_BEACON_REPLAY_WINDOW_MS;
    private int agentPort = DFLT_AGENT_PORT;
    private int agentPortRange = DFLT_AGENT_PORT_RANGE;
    private long latencyProbeIntervalMs = DFLT_LATENCY_PROBE_INTERVAL_MS;
    private String injectedLatency = "";
    private boolean dataPathEnabled = true;
    private int dataPathPort = DFLT_DATA_PATH_PORT;
    private int dataPathPortRange = DFLT_DATA_PATH_PORT_RANGE;
    private long dataPathThresholdBytes = DFLT_DATA_PATH_THRESHOLD_BYTES;
    private int dataPathChunkBytes = DFLT_DATA_PATH_CHUNK_BYTES;
    private long dataPathReadTimeoutMs = DFLT_DATA_PATH_READ_TIMEOUT_MS;
    private long dataPathTokenTtlMs = DFLT_DATA_PATH_TOKEN_TTL_MS;
    private long dataPathStagingCapacityBytes = DFLT_DATA_PATH_STAGING_CAPACITY_BYTES;
    private int dataPathMaxConnections = DFLT_DATA_PATH_MAX_CONNECTIONS;
    private int dataPathMaxConnectionsPerPeer = DFLT_DATA_PATH_MAX_CONNECTIONS_PER_PEER;
    private long dataPathOpenTimeoutMs = DFLT_DATA_PATH_OPEN_TIMEOUT_MS;
    private long dataPathMinRateBytesPerSecond = DFLT_DATA_PATH_MIN_RATE_BYTES_PER_SECOND;
    private long dataPathMinRateWindowMs = DFLT_DATA_PATH_MIN_RATE_WINDOW_MS;
    private String dataPathStagingDirectory = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
        "fabric-stitch-staging").toString();
    private String tlsCertificateChain;
    private String tlsPrivateKey;
    private String tlsTrustedCertificates;
    private boolean tlsDevelopmentCertificates;
    private String tlsDevelopmentDirectory = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"),
        "fabric-stitch-dev-ca").toString();
    private boolean consoleEnabled = true;
    private String consoleHost = DFLT_CONSOLE_HOST;
    private int consolePort = DFLT_CONSOLE_PORT;
    private int consolePortRange = DFLT_CONSOLE_PORT_RANGE;
    private String consoleToken;
    private String consoleTokenFile;
    private boolean consoleFaultInjection;
    private long consoleHeaderTimeoutMs = DFLT_CONSOLE_HEADER_TIMEOUT_MS;
    private long consoleReadTimeoutMs = DFLT_CONSOLE_READ_TIMEOUT_MS;
    private int consoleMaxConnections = DFLT_CONSOLE_MAX_CONNECTIONS;
    private int consoleMaxConnectionsPerPeer = DFLT_CONSOLE_MAX_CONNECTIONS_PER_PEER;
    private int consoleWorkerThreads = DFLT_CONSOLE_WORKER_THREADS;
    private int consoleMaxQueuedRequests = DFLT_CONSOLE_MAX_QUEUED_REQUESTS;

    /** Site (network segment) label of this node's fabrics; default {@value #DFLT_SITE}. */
    public String getSite() {
        return site;
    }

    public FabricPluginConfiguration setSite(String site) {
        this.site = site;
        return this;
    }

    /**
     * Host other agents reach this node's agent on; default: {@code IgniteConfiguration.localHost}, else
     * {@code 127.0.0.1}.
     */
    public String getAdvertiseHost() {
        return advertiseHost;
    }

    public FabricPluginConfiguration setAdvertiseHost(String advertiseHost) {
        this.advertiseHost = advertiseHost;
        return this;
    }

    /** Fabrics no probe can see, or simulated ones for demos and tests. */
    public List<DeclaredFabric> getDeclaredFabrics() {
        return declaredFabrics;
    }

    public FabricPluginConfiguration setDeclaredFabrics(List<DeclaredFabric> declaredFabrics) {
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

    public FabricPluginConfiguration setDeviceAllowList(List<String> deviceAllowList) {
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

    public FabricPluginConfiguration setClaimDirectory(String claimDirectory) {
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

    public FabricPluginConfiguration setRealProbesEnabled(boolean realProbesEnabled) {
        this.realProbesEnabled = realProbesEnabled;
        return this;
    }

    /** Root of sysfs the PCI and FPGA probes read; default {@value #DFLT_SYSFS_ROOT}. */
    public String getSysfsRoot() {
        return sysfsRoot;
    }

    public FabricPluginConfiguration setSysfsRoot(String sysfsRoot) {
        this.sysfsRoot = sysfsRoot;
        return this;
    }

    /** Root of procfs the CPU probe reads; default {@value #DFLT_PROCFS_ROOT}. */
    public String getProcfsRoot() {
        return procfsRoot;
    }

    public FabricPluginConfiguration setProcfsRoot(String procfsRoot) {
        this.procfsRoot = procfsRoot;
        return this;
    }

    /** The nvidia-smi executable, a name on PATH or a path; default {@value #DFLT_NVIDIA_SMI_COMMAND}. */
    public String getNvidiaSmiCommand() {
        return nvidiaSmiCommand;
    }

    public FabricPluginConfiguration setNvidiaSmiCommand(String nvidiaSmiCommand) {
        this.nvidiaSmiCommand = nvidiaSmiCommand;
        return this;
    }

    /** Longest a probe tool may run, in milliseconds; default {@value #DFLT_PROBE_TIMEOUT_MS}. */
    public long getProbeTimeoutMs() {
        return probeTimeoutMs;
    }

    public FabricPluginConfiguration setProbeTimeoutMs(long probeTimeoutMs) {
        this.probeTimeoutMs = probeTimeoutMs;
        return this;
    }

    /** Default time the agent spends measuring one real fabric at one function, ms. */
    public static final long DFLT_CALIBRATION_BUDGET_MS = 1_000;

    /**
     * Whether the agent probes OpenCL devices (every platform the host's ICD loader lists) and runs OpenCL kernels
     * on them; default true. Needs {@link #isRealProbesEnabled() realProbesEnabled}. Without an OpenCL runtime on the
     * host the probe says why in one log line and nothing else changes.
     */
    public boolean isOpenClEnabled() {
        return openClEnabled;
    }

    public FabricPluginConfiguration setOpenClEnabled(boolean openClEnabled) {
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

    public FabricPluginConfiguration setOpenClCpuComputeUnits(int openClCpuComputeUnits) {
        this.openClCpuComputeUnits = openClCpuComputeUnits;
        return this;
    }

    /** User OpenCL functions: kernels from source or device binaries, run on the OpenCL devices of their types. */
    public List<io.fabricstitch.agent.opencl.OpenClFunction> getOpenClFunctions() {
        return openClFunctions;
    }

    public FabricPluginConfiguration setOpenClFunctions(List<io.fabricstitch.agent.opencl.OpenClFunction> functions) {
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

    public FabricPluginConfiguration setProcessFunctions(
        List<io.fabricstitch.function.process.ProcessFunction> processFunctions) {
        this.processFunctions = processFunctions == null ? new ArrayList<>() : new ArrayList<>(processFunctions);
        return this;
    }

    /** Folder of the process functions' per-call folders (input, output), each removed when its call ends. */
    public String getProcessTempDirectory() {
        return processTempDirectory;
    }

    public FabricPluginConfiguration setProcessTempDirectory(String processTempDirectory) {
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

    public FabricPluginConfiguration setCalibrationBudgetMs(long calibrationBudgetMs) {
        this.calibrationBudgetMs = calibrationBudgetMs;
        return this;
    }

    /** Default longest wait of a call for decode budget, ms. */
    public static final long DFLT_DECODE_WAIT_MS = DecodeBudget.DFLT_MAX_WAIT_MS;

    /** Default largest image a function decodes, pixels (64 megapixels). */
    public static final long DFLT_MAX_DECODE_PIXELS = DecodeBudget.DFLT_MAX_PIXELS;

    /**
     * Heap the node's functions may take at once for decoding inputs (an image's pixels and the output made from
     * them), bytes; default 0: a quarter of the JVM's maximum heap, shared by every node of the JVM. A call reserves
     * what its input needs before decoding it, waits up to {@link #getDecodeWaitMs() decodeWaitMs} for it, and is
     * refused after that, or at once when its input needs more than the whole budget.
     */
    public long getDecodeBudgetBytes() {
        return decodeBudgetBytes;
    }

    public FabricPluginConfiguration setDecodeBudgetBytes(long decodeBudgetBytes) {
        this.decodeBudgetBytes = decodeBudgetBytes;
        return this;
    }

    /** Longest wait of a call for decode budget, ms; default {@value #DFLT_DECODE_WAIT_MS}; 0 refuses at once. */
    public long getDecodeWaitMs() {
        return decodeWaitMs;
    }

    public FabricPluginConfiguration setDecodeWaitMs(long decodeWaitMs) {
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

    public FabricPluginConfiguration setMaxDecodePixels(long maxDecodePixels) {
        this.maxDecodePixels = maxDecodePixels;
        return this;
    }

    /** The decode budget these settings make: the JVM's shared one unless {@code decodeBudgetBytes} is set. */
    public DecodeBudget decodeBudget() {
        java.time.Duration wait = java.time.Duration.ofMillis(decodeWaitMs);
        return decodeBudgetBytes == 0 ? DecodeBudget.jvmShared(wait, maxDecodePixels)
            : DecodeBudget.of(decodeBudgetBytes, wait, maxDecodePixels);
    }

    /** Default most tasks waiting for busy fabrics, cluster-wide. */
    public static final int DFLT_MAX_QUEUED_TASKS = 1024;

    /** Default longest wait of a task for a busy fabric, in milliseconds (the task's own timeout may be shorter). */
    public static final long DFLT_QUEUE_TIMEOUT_MS = 10_000;

    /** Default longest wait of a task for a busy faster fabric, ms. */
    public static final long DFLT_HOLD_FOR_FASTER_MS = 1_000;

    /** Default most placements of one task (the first one and the retries after its node left). */
    public static final int DFLT_MAX_ATTEMPTS = 3;

    /** Default time a {@code TASK_ASSIGNMENT} row is kept, in milliseconds (one hour). */
    public static final long DFLT_TASK_ASSIGNMENT_EXPIRY_MS = 3_600_000;

    /** Default most {@code TASK_ASSIGNMENT} rows kept; the oldest go first. */
    public static final int DFLT_TASK_ASSIGNMENT_MAX_ROWS = 10_000;

    /**
     * Functions that probed (not declared) fabrics run; default (empty): every registered function with an
     * implementation for the fabric's type.
     */
    public List<String> getProbedFunctions() {
        return probedFunctions;
    }

    public FabricPluginConfiguration setProbedFunctions(List<String> probedFunctions) {
        this.probedFunctions = probedFunctions == null ? new ArrayList<>() : new ArrayList<>(probedFunctions);
        return this;
    }

    /**
     * Priority classes in addition to, or replacing by name, the defaults {@code latency-critical}, {@code balanced}
     * and {@code batch}; each a one-line spec {@code name: latencyWeight=W, resourceWeight=W} (see
     * {@link PriorityClass}).
     */
    public List<String> getPriorityClasses() {
        return priorityClasses;
    }

    public FabricPluginConfiguration setPriorityClasses(List<String> priorityClasses) {
        this.priorityClasses = priorityClasses == null ? new ArrayList<>() : new ArrayList<>(priorityClasses);
        return this;
    }

    /** The effective priority classes by name: the defaults, overridden and extended by {@link #getPriorityClasses()}. */
    public Map<String, PriorityClass> priorityClassMap() {
        Map<String, PriorityClass> map = new TreeMap<>();
        for (PriorityClass pc : PriorityClass.defaults())
            map.put(pc.name(), pc);
        Set<String> seen = new HashSet<>();
        for (String spec : priorityClasses) {
            PriorityClass pc = PriorityClass.parse(spec);
            if (!seen.add(pc.name()))
                throw new IllegalArgumentException("priorityClasses: '" + pc.name() + "' defined twice");
            map.put(pc.name(), pc);
        }
        return map;
    }

    /** Price per fabric type in the resource term, e.g. {@code GPU=2.0, FPGA=1.5}; types not named cost 1.0. */
    public String getFabricPrices() {
        return fabricPrices;
    }

    public FabricPluginConfiguration setFabricPrices(String fabricPrices) {
        this.fabricPrices = fabricPrices;
        return this;
    }

    /** Whether DEGRADED fabrics take tasks when no ONLINE fabric fits; default false. */
    public boolean isAllowDegraded() {
        return allowDegraded;
    }

    public FabricPluginConfiguration setAllowDegraded(boolean allowDegraded) {
        this.allowDegraded = allowDegraded;
        return this;
    }

    /**
     * Longest a task waits for a busy faster fabric (a higher speed factor) while the cheapest free one is slower,
     * ms; default {@value #DFLT_HOLD_FOR_FASTER_MS}, 0 turns holding off. It waits only while the faster fabrics
     * would be through the tasks waiting ahead of it and itself before the slower one finished it (sizes from
     * {@code TaskRequest.work}, else the input's size, else taken as equal), and never past half its queue time.
     */
    public long getHoldForFasterMs() {
        return holdForFasterMs;
    }

    public FabricPluginConfiguration setHoldForFasterMs(long holdForFasterMs) {
        this.holdForFasterMs = holdForFasterMs;
        return this;
    }

    /**
     * Whether each fabric's price (its type's price in {@code fabricPrices}) is divided by its speed factor, so that
     * the resource term weighs a slot of a fabric twice as fast at half the cost; default false (the price of the
     * type alone). Turn it on where fabrics of one type differ in speed and throughput matters more than spreading
     * load evenly.
     */
    public boolean isPricePerSpeed() {
        return pricePerSpeed;
    }

    public FabricPluginConfiguration setPricePerSpeed(boolean pricePerSpeed) {
        this.pricePerSpeed = pricePerSpeed;
        return this;
    }

    /** Most tasks waiting for busy fabrics at once, cluster-wide; default {@value #DFLT_MAX_QUEUED_TASKS}. */
    public int getMaxQueuedTasks() {
        return maxQueuedTasks;
    }

    public FabricPluginConfiguration setMaxQueuedTasks(int maxQueuedTasks) {
        this.maxQueuedTasks = maxQueuedTasks;
        return this;
    }

    /** Longest wait of a task for a busy fabric, ms; default {@value #DFLT_QUEUE_TIMEOUT_MS}. */
    public long getQueueTimeoutMs() {
        return queueTimeoutMs;
    }

    public FabricPluginConfiguration setQueueTimeoutMs(long queueTimeoutMs) {
        this.queueTimeoutMs = queueTimeoutMs;
        return this;
    }

    /** Most placements of one task when its fabric's node leaves mid-run; default {@value #DFLT_MAX_ATTEMPTS}. */
    public int getMaxAttempts() {
        return maxAttempts;
    }

    public FabricPluginConfiguration setMaxAttempts(int maxAttempts) {
        this.maxAttempts = maxAttempts;
        return this;
    }

    /** How long a {@code TASK_ASSIGNMENT} row is kept, ms; default {@value #DFLT_TASK_ASSIGNMENT_EXPIRY_MS}. */
    public long getTaskAssignmentExpiryMs() {
        return taskAssignmentExpiryMs;
    }

    public FabricPluginConfiguration setTaskAssignmentExpiryMs(long taskAssignmentExpiryMs) {
        this.taskAssignmentExpiryMs = taskAssignmentExpiryMs;
        return this;
    }

    /** Most {@code TASK_ASSIGNMENT} rows kept; default {@value #DFLT_TASK_ASSIGNMENT_MAX_ROWS}. */
    public int getTaskAssignmentMaxRows() {
        return taskAssignmentMaxRows;
    }

    public FabricPluginConfiguration setTaskAssignmentMaxRows(int taskAssignmentMaxRows) {
        this.taskAssignmentMaxRows = taskAssignmentMaxRows;
        return this;
    }

    /**
     * Class names of {@code io.fabricstitch.function.AccelerationFunction} implementations to register besides those
     * found by the service loader.
     */
    public List<String> getFunctionClasses() {
        return functionClasses;
    }

    public FabricPluginConfiguration setFunctionClasses(List<String> functionClasses) {
        this.functionClasses = functionClasses == null ? new ArrayList<>() : new ArrayList<>(functionClasses);
        return this;
    }

    /**
     * {@code io.fabricstitch.agent.rdma.RdmaTransport} implementations to run where the host has RDMA devices they
     * support (public no-argument constructors); none by default, and none ships with Fabric Stitch.
     */
    public List<String> getRdmaTransportClasses() {
        return rdmaTransportClasses;
    }

    public FabricPluginConfiguration setRdmaTransportClasses(List<String> rdmaTransportClasses) {
        this.rdmaTransportClasses = rdmaTransportClasses == null ? new ArrayList<>()
            : new ArrayList<>(rdmaTransportClasses);
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

    public FabricPluginConfiguration setHealthIntervalMs(long healthIntervalMs) {
        this.healthIntervalMs = healthIntervalMs;
        return this;
    }

    /** A fabric hotter than this, degrees Celsius, is DEGRADED; default 85. */
    public double getMaxTemperatureC() {
        return maxTemperatureC;
    }

    public FabricPluginConfiguration setMaxTemperatureC(double maxTemperatureC) {
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

    public FabricPluginConfiguration setMaxUtilizationPct(double maxUtilizationPct) {
        this.maxUtilizationPct = maxUtilizationPct;
        return this;
    }

    /** A fabric with more uncorrected memory (ECC) errors than this is DEGRADED; default 0. */
    public long getMaxMemoryErrors() {
        return maxMemoryErrors;
    }

    public FabricPluginConfiguration setMaxMemoryErrors(long maxMemoryErrors) {
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

    public FabricPluginConfiguration setMaxErrorRate(double maxErrorRate) {
        this.maxErrorRate = maxErrorRate;
        return this;
    }

    /**
     * The orchestrator turns the fabrics of a node whose agent has not reported for this long DEGRADED, ms; default
     * {@value #DFLT_SILENT_DEGRADED_AFTER_MS}. Must exceed {@code healthIntervalMs}.
     */
    public long getSilentDegradedAfterMs() {
        return silentDegradedAfterMs;
    }

    public FabricPluginConfiguration setSilentDegradedAfterMs(long silentDegradedAfterMs) {
        this.silentDegradedAfterMs = silentDegradedAfterMs;
        return this;
    }

    /**
     * The orchestrator turns the fabrics of a node whose agent has not reported for this long OFFLINE, ms; default
     * {@value #DFLT_SILENT_OFFLINE_AFTER_MS}. Must exceed {@code silentDegradedAfterMs}.
     */
    public long getSilentOfflineAfterMs() {
        return silentOfflineAfterMs;
    }

    public FabricPluginConfiguration setSilentOfflineAfterMs(long silentOfflineAfterMs) {
        this.silentOfflineAfterMs = silentOfflineAfterMs;
        return this;
    }

    /**
     * Whether the agent sends and hears beacons and measures latencies to the agents it hears; default true. They
     * need a beacon secret ({@code beaconSecret}, {@code beaconSecretFile} or {@value #ENV_BEACON_SECRET}); without
     * one the node runs without them and logs a warning.
     */
    public boolean isBeaconsEnabled() {
        return beaconsEnabled;
    }

    public FabricPluginConfiguration setBeaconsEnabled(boolean beaconsEnabled) {
        this.beaconsEnabled = beaconsEnabled;
        return this;
    }

    /**
     * The cluster secret every beacon and latency probe is signed with (HMAC-SHA256), at least 16 characters; the
     * same on every node. Prefer {@code beaconSecretFile} or the {@value #ENV_BEACON_SECRET} environment variable to
     * keep it out of configuration files.
     */
    public String getBeaconSecret() {
        return beaconSecret;
    }

    public FabricPluginConfiguration setBeaconSecret(String beaconSecret) {
        this.beaconSecret = beaconSecret;
        return this;
    }

    /** A file holding the beacon secret (surrounding blanks ignored); read when {@code beaconSecret} is unset. */
    public String getBeaconSecretFile() {
        return beaconSecretFile;
    }

    public FabricPluginConfiguration setBeaconSecretFile(String beaconSecretFile) {
        this.beaconSecretFile = beaconSecretFile;
        return this;
    }

    /**
     * The secret in force: {@code beaconSecret}, else the content of {@code beaconSecretFile}, else the
     * {@value #ENV_BEACON_SECRET} environment variable; null when none is set.
     *
     * @throws IllegalArgumentException when the file cannot be read
     */
    public String effectiveBeaconSecret() {
        if (beaconSecret != null)
            return beaconSecret;
        if (beaconSecretFile != null) {
            try {
                return java.nio.file.Files.readString(java.nio.file.Path.of(beaconSecretFile)).strip();
            }
            catch (java.io.IOException | RuntimeException e) {
                throw new IllegalArgumentException("beaconSecretFile: '" + beaconSecretFile + "' cannot be read (" + e
                    + ") (expected: a readable file holding the secret)");
            }
        }
        String env = System.getenv(ENV_BEACON_SECRET);
        return env == null || env.isBlank() ? null : env.strip();
    }

    /**
     * Who may join and who may connect (null: off, the default): nodes must present the cluster secret
     * ({@link #effectiveBeaconSecret()}) to join, JDBC and thin clients must log in; see
     * {@link FabricSecurityConfiguration}. Every node of the cluster must have it on, or none.
     */
    public FabricPluginConfiguration setSecurity(FabricSecurityConfiguration security) {
        this.security = security;
        return this;
    }

    public FabricSecurityConfiguration getSecurity() {
        return security;
    }

    /** IPv4 multicast group of the beacons; default {@value #DFLT_BEACON_GROUP}. */
    public String getBeaconGroup() {
        return beaconGroup;
    }

    public FabricPluginConfiguration setBeaconGroup(String beaconGroup) {
        this.beaconGroup = beaconGroup;
        return this;
    }

    /** UDP port of the beacon group; default {@value #DFLT_BEACON_PORT}. */
    public int getBeaconPort() {
        return beaconPort;
    }

    public FabricPluginConfiguration setBeaconPort(int beaconPort) {
        this.beaconPort = beaconPort;
        return this;
    }

    /**
     * Network interface the beacons use: a name ({@code eth0}) or an address of the interface; default the interface
     * holding the advertise host.
     */
    public String getBeaconInterface() {
        return beaconInterface;
    }

    public FabricPluginConfiguration setBeaconInterface(String beaconInterface) {
        this.beaconInterface = beaconInterface;
        return this;
    }

    /** Multicast time-to-live of the beacons; default 1 (the local segment only). */
    public int getBeaconTtl() {
        return beaconTtl;
    }

    public FabricPluginConfiguration setBeaconTtl(int beaconTtl) {
        this.beaconTtl = beaconTtl;
        return this;
    }

    /**
     * Agents multicast does not reach (other sites): {@code host:port} or {@code host:port..port} of their agent
     * endpoint ({@code agentPort}); beacons go to them by unicast.
     */
    public List<String> getBeaconSeeds() {
        return beaconSeeds;
    }

    public FabricPluginConfiguration setBeaconSeeds(List<String> beaconSeeds) {
        this.beaconSeeds = beaconSeeds == null ? new ArrayList<>() : new ArrayList<>(beaconSeeds);
        return this;
    }

    /** Time between two beacons, ms; default {@value #DFLT_BEACON_INTERVAL_MS}. */
    public long getBeaconIntervalMs() {
        return beaconIntervalMs;
    }

    public FabricPluginConfiguration setBeaconIntervalMs(long beaconIntervalMs) {
        this.beaconIntervalMs = beaconIntervalMs;
        return this;
    }

    /**
     * A beacon stamped further from this node's clock than this, either way, is refused as a replay, ms; default
     * {@value #DFLT_BEACON_REPLAY_WINDOW_MS}. Keep the nodes' clocks closer than this (NTP).
     */
    public long getBeaconReplayWindowMs() {
        return beaconReplayWindowMs;
    }

    public FabricPluginConfiguration setBeaconReplayWindowMs(long beaconReplayWindowMs) {
        this.beaconReplayWindowMs = beaconReplayWindowMs;
        return this;
    }

    /**
     * First UDP port of the agent's unicast endpoint (beacon replies, seeds, latency probes); default
     * {@value #DFLT_AGENT_PORT}; 0 takes any free port (other sites then cannot name it as a seed).
     */
    public int getAgentPort() {
        return agentPort;
    }

    public FabricPluginConfiguration setAgentPort(int agentPort) {
        this.agentPort = agentPort;
        return this;
    }

    /** Number of ports tried from {@code agentPort} on (several nodes per host); default {@value #DFLT_AGENT_PORT_RANGE}. */
    public int getAgentPortRange() {
        return agentPortRange;
    }

    public FabricPluginConfiguration setAgentPortRange(int agentPortRange) {
        this.agentPortRange = agentPortRange;
        return this;
    }

    /** Time between two round-trip probes of each peer agent, ms; default {@value #DFLT_LATENCY_PROBE_INTERVAL_MS}. */
    public long getLatencyProbeIntervalMs() {
        return latencyProbeIntervalMs;
    }

    public FabricPluginConfiguration setLatencyProbeIntervalMs(long latencyProbeIntervalMs) {
        this.latencyProbeIntervalMs = latencyProbeIntervalMs;
        return this;
    }

    /**
     * TEST-ONLY latency injector, since {@code tc netem} is not always available: {@code site-or-node=ms, ...}, e.g.
     * {@code site-b=20}. This node holds every latency probe and answer it sends to agents of that site (or with that
     * node name) for the given milliseconds, so both ends measure a far site. Empty (default) injects nothing.
     */
    public String getInjectedLatency() {
        return injectedLatency;
    }

    public FabricPluginConfiguration setInjectedLatency(String injectedLatency) {
        this.injectedLatency = injectedLatency == null ? "" : injectedLatency;
        return this;
    }

    /**
     * The injected latencies by site or node name.
     *
     * @throws IllegalArgumentException naming a bad entry
     */
    public Map<String, java.time.Duration> injectedLatencyMap() {
        Map<String, java.time.Duration> map = new TreeMap<>();
        if (injectedLatency.isBlank())
            return map;
        for (String part : injectedLatency.split(",")) {
            String p = part.trim();
            int eq = p.indexOf('=');
            if (eq <= 0)
                throw new IllegalArgumentException("injectedLatency: '" + p + "' (expected: site-or-node=ms, e.g. "
                    + "site-b=20)");
            String key = Checks.name(p.substring(0, eq).trim(), "injectedLatency key");
            long ms;
            try {
                ms = Long.parseLong(p.substring(eq + 1).trim());
            }
            catch (NumberFormatException e) {
                throw new IllegalArgumentException("injectedLatency " + key + ": '" + p.substring(eq + 1).trim()
                    + "' (expected: whole milliseconds 0..10000)");
            }
            Checks.inRange(ms, 0, 10_000, "injectedLatency " + key);
            if (map.put(key, java.time.Duration.ofMillis(ms)) != null)
                throw new IllegalArgumentException("injectedLatency: '" + key + "' given twice");
        }
        return map;
    }


    /**
     * Whether the node runs a data-path server for large inputs and outputs (and uses the data path as a caller);
     * default true.
     */
    public boolean isDataPathEnabled() {
        return dataPathEnabled;
    }

    public FabricPluginConfiguration setDataPathEnabled(boolean dataPathEnabled) {
        this.dataPathEnabled = dataPathEnabled;
        return this;
    }

    /** First TCP port of the data-path server; default {@value #DFLT_DATA_PATH_PORT}; 0 takes any free port. */
    public int getDataPathPort() {
        return dataPathPort;
    }

    public FabricPluginConfiguration setDataPathPort(int dataPathPort) {
        this.dataPathPort = dataPathPort;
        return this;
    }

    /** Number of ports tried from {@code dataPathPort} on; default {@value #DFLT_DATA_PATH_PORT_RANGE}. */
    public int getDataPathPortRange() {
        return dataPathPortRange;
    }

    public FabricPluginConfiguration setDataPathPortRange(int dataPathPortRange) {
        this.dataPathPortRange = dataPathPortRange;
        return this;
    }

    /**
     * Inputs of at least this many bytes travel over the data path (streamed, framed, checksummed) instead of inside
     * the Ignite job; default {@value #DFLT_DATA_PATH_THRESHOLD_BYTES} (1 MiB). Outputs above it come back the same way.
     */
    public long getDataPathThresholdBytes() {
        return dataPathThresholdBytes;
    }

    public FabricPluginConfiguration setDataPathThresholdBytes(long dataPathThresholdBytes) {
        this.dataPathThresholdBytes = dataPathThresholdBytes;
        return this;
    }

    /** Payload of one data-path frame, bytes; default {@value #DFLT_DATA_PATH_CHUNK_BYTES}. */
    public int getDataPathChunkBytes() {
        return dataPathChunkBytes;
    }

    public FabricPluginConfiguration setDataPathChunkBytes(int dataPathChunkBytes) {
        this.dataPathChunkBytes = dataPathChunkBytes;
        return this;
    }

    /** A data-path peer that sends nothing for this long during a transfer is dropped, ms; default 10000. */
    public long getDataPathReadTimeoutMs() {
        return dataPathReadTimeoutMs;
    }

    public FabricPluginConfiguration setDataPathReadTimeoutMs(long dataPathReadTimeoutMs) {
        this.dataPathReadTimeoutMs = dataPathReadTimeoutMs;
        return this;
    }

    /** Folder where inputs and outputs are staged on disk; default {@code <java.io.tmpdir>/fabric-stitch-staging}. */
    public String getDataPathStagingDirectory() {
        return dataPathStagingDirectory;
    }

    public FabricPluginConfiguration setDataPathStagingDirectory(String dataPathStagingDirectory) {
        this.dataPathStagingDirectory = dataPathStagingDirectory;
        return this;
    }

    /**
     * Lifetime of a data-path transfer token, ms; default {@value #DFLT_DATA_PATH_TOKEN_TTL_MS}. The orchestrator
     * issues one with every placement whose input travels over a data path, and an agent one with every output it
     * stages; the transfer must open within it (checked against the agent's clock: keep the nodes' clocks in step).
     */
    public long getDataPathTokenTtlMs() {
        return dataPathTokenTtlMs;
    }

    public FabricPluginConfiguration setDataPathTokenTtlMs(long dataPathTokenTtlMs) {
        this.dataPathTokenTtlMs = dataPathTokenTtlMs;
        return this;
    }

    /**
     * Most bytes of uploads an agent stages at once (declared or, for an unknown length, the token's limit; released
     * when the input is consumed or expires); an upload past it is refused at its OPEN. Default 0: half the free space
     * of the staging file system when the node starts.
     */
    public long getDataPathStagingCapacityBytes() {
        return dataPathStagingCapacityBytes;
    }

    public FabricPluginConfiguration setDataPathStagingCapacityBytes(long dataPathStagingCapacityBytes) {
        this.dataPathStagingCapacityBytes = dataPathStagingCapacityBytes;
        return this;
    }

    /**
     * Most data-path connections an agent (its DIRECT and TLS servers together) holds open; more are closed at once.
     * Default {@value #DFLT_DATA_PATH_MAX_CONNECTIONS}.
     */
    public int getDataPathMaxConnections() {
        return dataPathMaxConnections;
    }

    public FabricPluginConfiguration setDataPathMaxConnections(int dataPathMaxConnections) {
        this.dataPathMaxConnections = dataPathMaxConnections;
        return this;
    }

    /**
     * Most data-path connections an agent holds open from one peer address, at most
     * {@code dataPathMaxConnections}; more are closed at once. Default {@value #DFLT_DATA_PATH_MAX_CONNECTIONS_PER_PEER}.
     */
    public int getDataPathMaxConnectionsPerPeer() {
        return dataPathMaxConnectionsPerPeer;
    }

    public FabricPluginConfiguration setDataPathMaxConnectionsPerPeer(int dataPathMaxConnectionsPerPeer) {
        this.dataPathMaxConnectionsPerPeer = dataPathMaxConnectionsPerPeer;
        return this;
    }

    /**
     * Time a new data-path connection has to send its OPEN, TLS handshake included, ms (at most
     * {@code dataPathReadTimeoutMs} applies); default {@value #DFLT_DATA_PATH_OPEN_TIMEOUT_MS}.
     */
    public long getDataPathOpenTimeoutMs() {
        return dataPathOpenTimeoutMs;
    }

    public FabricPluginConfiguration setDataPathOpenTimeoutMs(long dataPathOpenTimeoutMs) {
        this.dataPathOpenTimeoutMs = dataPathOpenTimeoutMs;
        return this;
    }

    /**
     * Least rate at which an open upload's bytes must arrive, bytes per second, averaged over
     * {@code dataPathMinRateWindowMs}; a slower peer is dropped. 0: no least rate (the idle read timeout still
     * applies). Default {@value #DFLT_DATA_PATH_MIN_RATE_BYTES_PER_SECOND} (64 KiB/s).
     */
    public long getDataPathMinRateBytesPerSecond() {
        return dataPathMinRateBytesPerSecond;
    }

    public FabricPluginConfiguration setDataPathMinRateBytesPerSecond(long dataPathMinRateBytesPerSecond) {
        this.dataPathMinRateBytesPerSecond = dataPathMinRateBytesPerSecond;
        return this;
    }

    /**
     * Time the least rate is averaged over, ms (at most {@code dataPathReadTimeoutMs} applies); default
     * {@value #DFLT_DATA_PATH_MIN_RATE_WINDOW_MS}.
     */
    public long getDataPathMinRateWindowMs() {
        return dataPathMinRateWindowMs;
    }

    public FabricPluginConfiguration setDataPathMinRateWindowMs(long dataPathMinRateWindowMs) {
        this.dataPathMinRateWindowMs = dataPathMinRateWindowMs;
        return this;
    }

    /**
     * PEM file with this node's certificate chain for TLS data paths across sites (with {@code tlsPrivateKey} and
     * {@code tlsTrustedCertificates}); unset with no development certificates means no TLS.
     */
    public String getTlsCertificateChain() {
        return tlsCertificateChain;
    }

    public FabricPluginConfiguration setTlsCertificateChain(String tlsCertificateChain) {
        this.tlsCertificateChain = tlsCertificateChain;
        return this;
    }

    /** PEM file with this node's private key (PKCS#8) for TLS data paths. */
    public String getTlsPrivateKey() {
        return tlsPrivateKey;
    }

    public FabricPluginConfiguration setTlsPrivateKey(String tlsPrivateKey) {
        this.tlsPrivateKey = tlsPrivateKey;
        return this;
    }

    /** PEM file with the CA certificates a TLS peer's certificate must be signed by (the cluster's CA). */
    public String getTlsTrustedCertificates() {
        return tlsTrustedCertificates;
    }

    public FabricPluginConfiguration setTlsTrustedCertificates(String tlsTrustedCertificates) {
        this.tlsTrustedCertificates = tlsTrustedCertificates;
        return this;
    }

    /**
     * DEVELOPMENT ONLY: make a self-signed CA in {@code tlsDevelopmentDirectory} the first time, and a certificate
     * for this node signed by it, for TLS data paths; the node says so loudly in its log. Default false.
     */
    public boolean isTlsDevelopmentCertificates() {
        return tlsDevelopmentCertificates;
    }

    public FabricPluginConfiguration setTlsDevelopmentCertificates(boolean tlsDevelopmentCertificates) {
        this.tlsDevelopmentCertificates = tlsDevelopmentCertificates;
        return this;
    }

    /** Folder of the development CA; default {@code <java.io.tmpdir>/fabric-stitch-dev-ca}. */
    public String getTlsDevelopmentDirectory() {
        return tlsDevelopmentDirectory;
    }

    public FabricPluginConfiguration setTlsDevelopmentDirectory(String tlsDevelopmentDirectory) {
        this.tlsDevelopmentDirectory = tlsDevelopmentDirectory;
        return this;
    }

    /** Whether server nodes serve the web console and its REST API; default true. */
    public boolean isConsoleEnabled() {
        return consoleEnabled;
    }

    public FabricPluginConfiguration setConsoleEnabled(boolean consoleEnabled) {
        this.consoleEnabled = consoleEnabled;
        return this;
    }

    /**
     * Address the web console binds; default {@value #DFLT_CONSOLE_HOST}. Any other than a loopback address needs a
     * console token.
     */
    public String getConsoleHost() {
        return consoleHost;
    }

    public FabricPluginConfiguration setConsoleHost(String consoleHost) {
        this.consoleHost = consoleHost;
        return this;
    }

    /** First port the web console tries; default {@value #DFLT_CONSOLE_PORT}; 0 takes any free port. */
    public int getConsolePort() {
        return consolePort;
    }

    public FabricPluginConfiguration setConsolePort(int consolePort) {
        this.consolePort = consolePort;
        return this;
    }

    /** Ports tried from {@code consolePort} on (several nodes on one host); default {@value #DFLT_CONSOLE_PORT_RANGE}. */
    public int getConsolePortRange() {
        return consolePortRange;
    }

    public FabricPluginConfiguration setConsolePortRange(int consolePortRange) {
        this.consolePortRange = consolePortRange;
        return this;
    }

    /**
     * Bearer token the console asks of every request (header {@code Authorization: Bearer <token>}, or
     * {@code ?token=} in the page's address); at least 16 characters. Required when {@code consoleHost} is not a
     * loopback address; optional otherwise. None by default.
     */
    public String getConsoleToken() {
        return consoleToken;
    }

    public FabricPluginConfiguration setConsoleToken(String consoleToken) {
        this.consoleToken = consoleToken;
        return this;
    }

    /** File holding the console token (first line), read at start; none by default. */
    public String getConsoleTokenFile() {
        return consoleTokenFile;
    }

    public FabricPluginConfiguration setConsoleTokenFile(String consoleTokenFile) {
        this.consoleTokenFile = consoleTokenFile;
        return this;
    }

    /**
     * The console token from {@code consoleToken}, else the first line of {@code consoleTokenFile}, else the
     * {@value #ENV_CONSOLE_TOKEN} environment variable; null when none is set.
     *
     * @throws IllegalArgumentException when the token file cannot be read
     */
    public String effectiveConsoleToken() {
        if (consoleToken != null)
            return consoleToken;
        if (consoleTokenFile != null) {
            try {
                return java.nio.file.Files.readAllLines(java.nio.file.Path.of(consoleTokenFile)).stream().findFirst()
                    .map(String::strip).orElse("");
            }
            catch (java.io.IOException | java.io.UncheckedIOException e) {
                throw new IllegalArgumentException("consoleTokenFile: '" + consoleTokenFile + "' cannot be read ("
                    + e.getMessage() + "; expected: a readable file whose first line is the token)");
            }
        }
        String env = System.getenv(ENV_CONSOLE_TOKEN);
        return env == null || env.isBlank() ? null : env.strip();
    }

    /**
     * Whether a request carrying the console token may inject and clear faults in declared fabrics through the
     * console; default false (the console is read-only). Needs a console token.
     */
    public boolean isConsoleFaultInjection() {
        return consoleFaultInjection;
    }

    public FabricPluginConfiguration setConsoleFaultInjection(boolean consoleFaultInjection) {
        this.consoleFaultInjection = consoleFaultInjection;
        return this;
    }

    /**
     * Longest time a console request's line and headers may take to arrive, counted from its first byte, ms; default
     * {@value #DFLT_CONSOLE_HEADER_TIMEOUT_MS}. A client still sending them then is answered 408 and disconnected.
     */
    public long getConsoleHeaderTimeoutMs() {
        return consoleHeaderTimeoutMs;
    }

    public FabricPluginConfiguration setConsoleHeaderTimeoutMs(long consoleHeaderTimeoutMs) {
        this.consoleHeaderTimeoutMs = consoleHeaderTimeoutMs;
        return this;
    }

    /**
     * Longest time a whole console request (headers and body) may take to arrive from its first byte, a connection may
     * stay idle between requests, and a client may take to receive an answer, ms; default
     * {@value #DFLT_CONSOLE_READ_TIMEOUT_MS}. A slow request is answered 408; the connection is closed in each case.
     */
    public long getConsoleReadTimeoutMs() {
        return consoleReadTimeoutMs;
    }

    public FabricPluginConfiguration setConsoleReadTimeoutMs(long consoleReadTimeoutMs) {
        this.consoleReadTimeoutMs = consoleReadTimeoutMs;
        return this;
    }

    /**
     * Most connections the console keeps open at once; default {@value #DFLT_CONSOLE_MAX_CONNECTIONS}. One more is
     * answered 503 and closed.
     */
    public int getConsoleMaxConnections() {
        return consoleMaxConnections;
    }

    public FabricPluginConfiguration setConsoleMaxConnections(int consoleMaxConnections) {
        this.consoleMaxConnections = consoleMaxConnections;
        return this;
    }

    /**
     * Most console connections open at once from one client address; default
     * {@value #DFLT_CONSOLE_MAX_CONNECTIONS_PER_PEER}. One more is answered 503 and closed. Behind a reverse proxy
     * every client has the proxy's address: raise it to {@code consoleMaxConnections} there.
     */
    public int getConsoleMaxConnectionsPerPeer() {
        return consoleMaxConnectionsPerPeer;
    }

    public FabricPluginConfiguration setConsoleMaxConnectionsPerPeer(int consoleMaxConnectionsPerPeer) {
        this.consoleMaxConnectionsPerPeer = consoleMaxConnectionsPerPeer;
        return this;
    }

    /**
     * Threads that answer console API requests (the SQL reads and fault injection); default
     * {@value #DFLT_CONSOLE_WORKER_THREADS}. Pages, token checks and refusals never wait for them.
     */
    public int getConsoleWorkerThreads() {
        return consoleWorkerThreads;
    }

    public FabricPluginConfiguration setConsoleWorkerThreads(int consoleWorkerThreads) {
        this.consoleWorkerThreads = consoleWorkerThreads;
        return this;
    }

    /**
     * Most authorized console API requests waiting for a worker thread; default
     * {@value #DFLT_CONSOLE_MAX_QUEUED_REQUESTS}. One more is answered 503 at once.
     */
    public int getConsoleMaxQueuedRequests() {
        return consoleMaxQueuedRequests;
    }

    public FabricPluginConfiguration setConsoleMaxQueuedRequests(int consoleMaxQueuedRequests) {
        this.consoleMaxQueuedRequests = consoleMaxQueuedRequests;
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
     * @throws IllegalArgumentException naming the property, the value and what is accepted
     */
    public void validate() {
        Checks.name(site, "site");
        if (advertiseHost != null)
            Checks.notBlank(advertiseHost, "advertiseHost", 253);
        Checks.notBlank(claimDirectory, "claimDirectory", 4096);
        Checks.notBlank(sysfsRoot, "sysfsRoot", 4096);
        Checks.notBlank(procfsRoot, "procfsRoot", 4096);
        Checks.notBlank(nvidiaSmiCommand, "nvidiaSmiCommand", 4096);
        Checks.inRange(probeTimeoutMs, 1, 600_000, "probeTimeoutMs");
        Checks.inRange(openClCpuComputeUnits, 0, 4096, "openClCpuComputeUnits");
        Checks.inRange(calibrationBudgetMs, 0, 60_000, "calibrationBudgetMs");
        Checks.inRange(decodeBudgetBytes, 0, DecodeBudget.MAX_BYTES, "decodeBudgetBytes");
        decodeBudget();
        Checks.notBlank(processTempDirectory, "processTempDirectory", 4096);
        for (io.fabricstitch.agent.opencl.OpenClFunction f : openClFunctions)
            Checks.notNull(f, "openClFunctions element");
        io.fabricstitch.agent.opencl.OpenClRuntime.validate(openClFunctions); // also where the host has no OpenCL
        java.util.Set<String> processNames = new HashSet<>();
        for (io.fabricstitch.function.process.ProcessFunction f : processFunctions) {
            Checks.notNull(f, "processFunctions element").toFunction();
            if (!processNames.add(f.getName()))
                throw new IllegalArgumentException("processFunctions element '" + f.getName() + "': name given twice "
                    + "(expected: unique names)");
        }
        for (String fn : probedFunctions)
            Checks.name(fn, "probedFunctions element");
        for (DeclaredFabric d : declaredFabrics)
            Checks.notNull(d, "declaredFabrics element").toDetected();
        priorityClassMap();
        CostFunction.parse(fabricPrices);
        Checks.inRange(maxQueuedTasks, 0, 1_000_000, "maxQueuedTasks");
        Checks.inRange(queueTimeoutMs, 0, 86_400_000, "queueTimeoutMs");
        Checks.inRange(holdForFasterMs, 0, 3_600_000, "holdForFasterMs");
        Checks.inRange(maxAttempts, 1, 100, "maxAttempts");
        Checks.inRange(taskAssignmentExpiryMs, 1_000, 30L * 86_400_000, "taskAssignmentExpiryMs");
        Checks.inRange(taskAssignmentMaxRows, 1, 10_000_000, "taskAssignmentMaxRows");
        for (String cls : functionClasses)
            Checks.notBlank(cls, "functionClasses element", 1024);
        for (String cls : rdmaTransportClasses)
            Checks.notBlank(cls, "rdmaTransportClasses element", 1024);
        healthPolicy();
        Checks.inRange(silentDegradedAfterMs, healthIntervalMs + 1, 86_400_000, "silentDegradedAfterMs");
        Checks.inRange(silentOfflineAfterMs, silentDegradedAfterMs + 1, 86_400_000, "silentOfflineAfterMs");
        Checks.inRange(beaconPort, 1, 65535, "beaconPort");
        Checks.inRange(beaconTtl, 0, 255, "beaconTtl");
        Checks.inRange(beaconIntervalMs, 50, 60_000, "beaconIntervalMs");
        Checks.inRange(beaconReplayWindowMs, 1_000, 3_600_000, "beaconReplayWindowMs");
        Checks.inRange(agentPort, 0, 65535, "agentPort");
        Checks.inRange(agentPortRange, 1, 1000, "agentPortRange");
        Checks.inRange(latencyProbeIntervalMs, 10, 60_000, "latencyProbeIntervalMs");
        if (beaconInterface != null)
            Checks.notBlank(beaconInterface, "beaconInterface", 256);
        for (String seed : beaconSeeds)
            Checks.notBlank(seed, "beaconSeeds element", 300);
        injectedLatencyMap();
        Checks.inRange(dataPathPort, 0, 65535, "dataPathPort");
        Checks.inRange(dataPathPortRange, 1, 1000, "dataPathPortRange");
        Checks.inRange(dataPathThresholdBytes, 1, Long.MAX_VALUE, "dataPathThresholdBytes");
        Checks.inRange(dataPathChunkBytes, 1024, 1 << 20, "dataPathChunkBytes");
        Checks.inRange(dataPathReadTimeoutMs, 100, 3_600_000, "dataPathReadTimeoutMs");
        Checks.notBlank(dataPathStagingDirectory, "dataPathStagingDirectory", 4096);
        Checks.inRange(dataPathTokenTtlMs, 1_000, 3_600_000, "dataPathTokenTtlMs");
        Checks.inRange(dataPathStagingCapacityBytes, 0, Long.MAX_VALUE, "dataPathStagingCapacityBytes");
        Checks.inRange(dataPathMaxConnections, 1, 1 << 20, "dataPathMaxConnections");
        if (dataPathMaxConnectionsPerPeer < 1 || dataPathMaxConnectionsPerPeer > dataPathMaxConnections)
            throw new IllegalArgumentException("dataPathMaxConnectionsPerPeer: " + dataPathMaxConnectionsPerPeer
                + " (expected: 1.." + dataPathMaxConnections + ", at most dataPathMaxConnections)");
        Checks.inRange(dataPathOpenTimeoutMs, 10, 3_600_000, "dataPathOpenTimeoutMs");
        Checks.inRange(dataPathMinRateBytesPerSecond, 0, Long.MAX_VALUE, "dataPathMinRateBytesPerSecond");
        Checks.inRange(dataPathMinRateWindowMs, 10, 3_600_000, "dataPathMinRateWindowMs");
        int tlsFiles = (tlsCertificateChain != null ? 1 : 0) + (tlsPrivateKey != null ? 1 : 0)
            + (tlsTrustedCertificates != null ? 1 : 0);
        if (tlsFiles != 0 && tlsFiles != 3)
            throw new IllegalArgumentException("tlsCertificateChain, tlsPrivateKey, tlsTrustedCertificates: " + tlsFiles
                + " of 3 set (expected: all three PEM files, or none)");
        if (tlsFiles == 3 && tlsDevelopmentCertificates)
            throw new IllegalArgumentException("tlsDevelopmentCertificates: true with certificates configured "
                + "(expected: one or the other)");
        validateConsole();
        String secret = effectiveBeaconSecret();
        if (security != null) {
            security.validate();
            if (secret == null)
                throw new IllegalArgumentException("security: on, but no cluster secret (expected: beaconSecret, "
                    + "beaconSecretFile or the " + ENV_BEACON_SECRET + " environment variable, the same on every "
                    + "node: nodes present it to join)");
        }
        if (secret != null && secret.getBytes(java.nio.charset.StandardCharsets.UTF_8).length < 16)
            throw new IllegalArgumentException("beaconSecret: " + secret.getBytes(
                java.nio.charset.StandardCharsets.UTF_8).length + " bytes (expected: at least 16 bytes, e.g. the "
                + "output of: openssl rand -hex 32)");
    }

    private void validateConsole() {
        Checks.notBlank(consoleHost, "consoleHost", 253);
        Checks.inRange(consolePort, 0, 65535, "consolePort");
        Checks.inRange(consolePortRange, 1, 1000, "consolePortRange");
        Checks.inRange(consoleReadTimeoutMs, 100, 3_600_000, "consoleReadTimeoutMs");
        Checks.inRange(consoleHeaderTimeoutMs, 100, 3_600_000, "consoleHeaderTimeoutMs");
        if (consoleHeaderTimeoutMs > consoleReadTimeoutMs)
            throw new IllegalArgumentException("consoleHeaderTimeoutMs: " + consoleHeaderTimeoutMs + " (expected: at "
                + "most consoleReadTimeoutMs, " + consoleReadTimeoutMs + ": the headers are part of the request)");
        Checks.inRange(consoleMaxConnections, 1, 100_000, "consoleMaxConnections");
        Checks.inRange(consoleMaxConnectionsPerPeer, 1, 100_000, "consoleMaxConnectionsPerPeer");
        if (consoleMaxConnectionsPerPeer > consoleMaxConnections)
            throw new IllegalArgumentException("consoleMaxConnectionsPerPeer: " + consoleMaxConnectionsPerPeer
                + " (expected: at most consoleMaxConnections, " + consoleMaxConnections + ')');
        Checks.inRange(consoleWorkerThreads, 1, 64, "consoleWorkerThreads");
        Checks.inRange(consoleMaxQueuedRequests, 0, 10_000, "consoleMaxQueuedRequests");
        String token = effectiveConsoleToken();
        if (token != null && (token.length() < 16 || token.chars().anyMatch(c -> c <= ' ' || c > '~')))
            throw new IllegalArgumentException("consoleToken: " + token.length() + " characters (expected: at least "
                + "16 printable ASCII characters without spaces, e.g. the output of: openssl rand -hex 16)");
        if (!consoleEnabled)
            return;
        if (token == null && !isLoopback(consoleHost))
            throw new IllegalArgumentException("consoleHost: '" + consoleHost + "' without a console token (expected: "
                + "a loopback address such as 127.0.0.1, or consoleToken, consoleTokenFile or the " + ENV_CONSOLE_TOKEN
                + " environment variable set)");
        if (consoleFaultInjection && token == null)
            throw new IllegalArgumentException("consoleFaultInjection: true without a console token (expected: "
                + "consoleToken, consoleTokenFile or " + ENV_CONSOLE_TOKEN + " set, so that only its holders inject "
                + "faults)");
    }

    /** Whether {@code host} names the loopback interface only (localhost, 127.0.0.0/8, ::1). */
    static boolean isLoopback(String host) {
        String h = host.strip().toLowerCase(java.util.Locale.ROOT);
        return h.equals("localhost") || h.equals("::1") || h.equals("[::1]") || h.matches("127(\\.\\d{1,3}){3}");
    }

    @Override
    public String toString() {
        return "FabricPluginConfiguration [site=" + site + ", advertiseHost=" + advertiseHost + ", declaredFabrics="
            + declaredFabrics.size() + ", deviceAllowList=" + deviceAllowList + ", claimDirectory=" + claimDirectory
            + ", realProbesEnabled=" + realProbesEnabled + ", sysfsRoot=" + sysfsRoot + ", procfsRoot=" + procfsRoot
            + ", nvidiaSmiCommand=" + nvidiaSmiCommand + ", probeTimeoutMs=" + probeTimeoutMs + ", openClEnabled="
            + openClEnabled + ", openClCpuComputeUnits=" + openClCpuComputeUnits + ", openClFunctions="
            + openClFunctions + ", processFunctions=" + processFunctions + ", processTempDirectory="
            + processTempDirectory + ", calibrationBudgetMs=" + calibrationBudgetMs + ", decodeBudgetBytes="
            + decodeBudgetBytes + ", decodeWaitMs=" + decodeWaitMs + ", maxDecodePixels=" + maxDecodePixels
            + ", probedFunctions=" + probedFunctions + ", priorityClasses=" + priorityClasses + ", fabricPrices=" + fabricPrices
            + ", allowDegraded=" + allowDegraded + ", holdForFasterMs=" + holdForFasterMs + ", pricePerSpeed="
            + pricePerSpeed
            + ", maxQueuedTasks=" + maxQueuedTasks + ", queueTimeoutMs="
            + queueTimeoutMs + ", maxAttempts=" + maxAttempts + ", taskAssignmentExpiryMs=" + taskAssignmentExpiryMs
            + ", taskAssignmentMaxRows=" + taskAssignmentMaxRows + ", functionClasses=" + functionClasses + ", rdmaTransportClasses=" + rdmaTransportClasses
            + ", healthIntervalMs=" + healthIntervalMs + ", maxTemperatureC=" + maxTemperatureC + ", maxUtilizationPct="
            + maxUtilizationPct + ", maxMemoryErrors=" + maxMemoryErrors + ", maxErrorRate=" + maxErrorRate
            + ", silentDegradedAfterMs=" + silentDegradedAfterMs + ", silentOfflineAfterMs=" + silentOfflineAfterMs
            + ", beaconsEnabled=" + beaconsEnabled + ", beaconSecret=" + (beaconSecret == null ? "unset" : "(hidden)")
            + ", beaconSecretFile=" + beaconSecretFile + ", beaconGroup=" + beaconGroup + ", beaconPort=" + beaconPort
            + ", beaconInterface=" + beaconInterface + ", beaconTtl=" + beaconTtl + ", beaconSeeds=" + beaconSeeds
            + ", beaconIntervalMs=" + beaconIntervalMs + ", beaconReplayWindowMs=" + beaconReplayWindowMs
            + ", agentPort=" + agentPort + ", agentPortRange=" + agentPortRange + ", latencyProbeIntervalMs="
            + latencyProbeIntervalMs + ", injectedLatency=" + injectedLatency + ", dataPathEnabled=" + dataPathEnabled
            + ", dataPathPort=" + dataPathPort + ", dataPathPortRange=" + dataPathPortRange + ", dataPathThresholdBytes="
            + dataPathThresholdBytes + ", dataPathChunkBytes=" + dataPathChunkBytes + ", dataPathReadTimeoutMs="
            + dataPathReadTimeoutMs + ", dataPathStagingDirectory=" + dataPathStagingDirectory
            + ", dataPathTokenTtlMs=" + dataPathTokenTtlMs + ", dataPathStagingCapacityBytes="
            + dataPathStagingCapacityBytes + ", dataPathMaxConnections=" + dataPathMaxConnections
            + ", dataPathMaxConnectionsPerPeer=" + dataPathMaxConnectionsPerPeer + ", dataPathOpenTimeoutMs="
            + dataPathOpenTimeoutMs + ", dataPathMinRateBytesPerSecond=" + dataPathMinRateBytesPerSecond
            + ", dataPathMinRateWindowMs=" + dataPathMinRateWindowMs
            + ", tlsCertificateChain=" + tlsCertificateChain + ", tlsPrivateKey=" + tlsPrivateKey
            + ", tlsTrustedCertificates=" + tlsTrustedCertificates + ", tlsDevelopmentCertificates="
            + tlsDevelopmentCertificates + ", tlsDevelopmentDirectory=" + tlsDevelopmentDirectory + ", consoleEnabled="
            + consoleEnabled + ", consoleHost=" + consoleHost + ", consolePort=" + consolePort + ", consolePortRange="
            + consolePortRange + ", consoleToken=" + (consoleToken == null ? "unset" : "(hidden)")
            + ", consoleTokenFile=" + consoleTokenFile + ", consoleFaultInjection=" + consoleFaultInjection
            + ", consoleHeaderTimeoutMs=" + consoleHeaderTimeoutMs + ", consoleReadTimeoutMs=" + consoleReadTimeoutMs
            + ", consoleMaxConnections=" + consoleMaxConnections + ", consoleMaxConnectionsPerPeer="
            + consoleMaxConnectionsPerPeer + ", consoleWorkerThreads=" + consoleWorkerThreads
            + ", consoleMaxQueuedRequests=" + consoleMaxQueuedRequests + ']';
    }
}
