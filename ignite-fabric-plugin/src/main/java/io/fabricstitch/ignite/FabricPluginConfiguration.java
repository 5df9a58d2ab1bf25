package io.fabricstitch.ignite;

import io.fabricstitch.agent.AgentConfiguration;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.internal.Checks;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
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

    /** Functions that probed (not declared) fabrics run; default none. */
    public List<String> getProbedFunctions() {
        return probedFunctions;
    }

    public FabricPluginConfiguration setProbedFunctions(List<String> probedFunctions) {
        this.probedFunctions = probedFunctions == null ? new ArrayList<>() : new ArrayList<>(probedFunctions);
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
    }

    @Override
    public String toString() {
        return "FabricPluginConfiguration [site=" + site + ", advertiseHost=" + advertiseHost + ", declaredFabrics="
            + declaredFabrics.size() + ", deviceAllowList=" + deviceAllowList + ", claimDirectory=" + claimDirectory
            + ", realProbesEnabled=" + realProbesEnabled + ", sysfsRoot=" + sysfsRoot + ", procfsRoot=" + procfsRoot
            + ", nvidiaSmiCommand=" + nvidiaSmiCommand + ", probeTimeoutMs=" + probeTimeoutMs + ", probedFunctions="
            + probedFunctions + ']';
    }
}
