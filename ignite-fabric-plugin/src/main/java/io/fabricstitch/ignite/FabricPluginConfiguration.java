package io.fabricstitch.ignite;

import io.fabricstitch.agent.AgentConfiguration;
import io.fabricstitch.agent.DeclaredFabric;
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
    private List<String> probedFunctions = new ArrayList<>();
    private List<String> priorityClasses = new ArrayList<>();
    private String fabricPrices = "";
    private boolean allowDegraded;
    private int maxQueuedTasks = DFLT_MAX_QUEUED_TASKS;
    private long queueTimeoutMs = DFLT_QUEUE_TIMEOUT_MS;
    private int maxAttempts = DFLT_MAX_ATTEMPTS;
    private long taskAssignmentExpiryMs = DFLT_TASK_ASSIGNMENT_EXPIRY_MS;
    private int taskAssignmentMaxRows = DFLT_TASK_ASSIGNMENT_MAX_ROWS;
    private List<String> functionClasses = new ArrayList<>();

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

    /** Default most tasks waiting for busy fabrics, cluster-wide. */
    public static final int DFLT_MAX_QUEUED_TASKS = 1024;

    /** Default longest wait of a task for a busy fabric, in milliseconds (the task's own timeout may be shorter). */
    public static final long DFLT_QUEUE_TIMEOUT_MS = 10_000;

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
        for (String fn : probedFunctions)
            Checks.name(fn, "probedFunctions element");
        for (DeclaredFabric d : declaredFabrics)
            Checks.notNull(d, "declaredFabrics element").toDetected();
        priorityClassMap();
        CostFunction.parse(fabricPrices);
        Checks.inRange(maxQueuedTasks, 0, 1_000_000, "maxQueuedTasks");
        Checks.inRange(queueTimeoutMs, 0, 86_400_000, "queueTimeoutMs");
        Checks.inRange(maxAttempts, 1, 100, "maxAttempts");
        Checks.inRange(taskAssignmentExpiryMs, 1_000, 30L * 86_400_000, "taskAssignmentExpiryMs");
        Checks.inRange(taskAssignmentMaxRows, 1, 10_000_000, "taskAssignmentMaxRows");
        for (String cls : functionClasses)
            Checks.notBlank(cls, "functionClasses element", 1024);
    }

    @Override
    public String toString() {
        return "FabricPluginConfiguration [site=" + site + ", advertiseHost=" + advertiseHost + ", declaredFabrics="
            + declaredFabrics.size() + ", deviceAllowList=" + deviceAllowList + ", claimDirectory=" + claimDirectory
            + ", realProbesEnabled=" + realProbesEnabled + ", sysfsRoot=" + sysfsRoot + ", procfsRoot=" + procfsRoot
            + ", nvidiaSmiCommand=" + nvidiaSmiCommand + ", probeTimeoutMs=" + probeTimeoutMs + ", probedFunctions="
            + probedFunctions + ", priorityClasses=" + priorityClasses + ", fabricPrices=" + fabricPrices
            + ", allowDegraded=" + allowDegraded + ", maxQueuedTasks=" + maxQueuedTasks + ", queueTimeoutMs="
            + queueTimeoutMs + ", maxAttempts=" + maxAttempts + ", taskAssignmentExpiryMs=" + taskAssignmentExpiryMs
            + ", taskAssignmentMaxRows=" + taskAssignmentMaxRows + ", functionClasses=" + functionClasses + ']';
    }
}
