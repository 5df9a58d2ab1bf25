package io.fabricstitch.agent;

import io.fabricstitch.agent.probe.FabricProbe;
import io.fabricstitch.agent.internal.DeviceAllowList;
import io.fabricstitch.agent.internal.HostIdentity;
import io.fabricstitch.function.FunctionRegistry;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricType;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Everything one {@link FabricAgent} needs: the user's {@link FabricAgentConfiguration} as it is, whose
 * {@code validate()} checks every setting, and the run-time values the node adds (its names and id, site, advertised
 * host, probes, function registry, network and data path, clocks). Built with {@link #builder()} (over a new bean with
 * the defaults) or {@link #builder(FabricAgentConfiguration)}; its accessors of settings read the bean, so change the
 * bean before the agent starts, not after.
 */
public final class AgentConfiguration {
    /** Default site label. */
    public static final String DFLT_SITE = "default";

    private final FabricAgentConfiguration settings;
    private final String agentName;
    private final String stableName;
    private final UUID nodeId;
    private final String site;
    private final String advertiseHost;
    private final int dataPathPort;
    private final String hostId;
    private final List<FabricProbe> probes;
    private final DeviceAllowList allowList;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final LongSupplier threadCpuTime;
    private final FunctionRegistry functionRegistry;
    private final HealthPolicy health;
    private final long maxInMemoryInputBytes;
    private final io.fabricstitch.agent.net.NetworkConfiguration network;
    private final io.fabricstitch.agent.datapath.DataPathConfiguration dataPath;
    private final io.fabricstitch.function.DecodeBudget decodeBudget;
    private final Map<FabricType, Set<String>> defaultFunctions;

    private AgentConfiguration(Builder b) {
        settings = b.settings;
        settings.validate();
        agentName = b.agentName == null ? null : Checks.notBlank(b.agentName, "agentName", 256);
        String stable = b.stableNameSet ? b.stableName : b.agentName;
        stableName = stable == null ? null : Checks.notBlank(stable, "stableName", 256);
        nodeId = Checks.notNull(b.nodeId, "nodeId");
        site = Checks.name(b.site, "site");
        advertiseHost = Checks.notBlank(b.advertiseHost, "advertiseHost", 253);
        dataPathPort = (int)Checks.inRange(b.dataPathPort, 0, 65535, "dataPathPort");
        hostId = Checks.notBlank(b.hostId, "hostId", 256);
        probes = List.copyOf(b.probes);
        allowList = DeviceAllowList.of(settings.effectiveDeviceAllowList());
        clock = Checks.notNull(b.clock, "clock");
        nanoTime = Checks.notNull(b.nanoTime, "nanoTime");
        threadCpuTime = Checks.notNull(b.threadCpuTime, "threadCpuTime");
        functionRegistry = b.functionRegistry != null ? b.functionRegistry : registry(settings);
        health = b.health != null ? b.health : settings.healthPolicy();
        maxInMemoryInputBytes = Checks.inRange(b.maxInMemoryInputBytes, 1, Integer.MAX_VALUE - 8,
            "maxInMemoryInputBytes");
        network = b.network;
        dataPath = b.dataPath;
        decodeBudget = b.decodeBudget != null ? b.decodeBudget : settings.decodeBudget();
        defaultFunctions = defaultFunctions(settings.getProbedFunctions());
    }

    /**
     * The Java functions found by the service loader or named in {@code agent.functionClasses}, and the process
     * functions ({@code agent.processFunctions}).
     *
     * @throws IllegalArgumentException naming a class or a process function that is invalid, or a function and type
     *     implemented twice
     */
    private static FunctionRegistry registry(FabricAgentConfiguration settings) {
        FunctionRegistry loaded = FunctionRegistry.load(AgentConfiguration.class.getClassLoader(),
            settings.getFunctionClasses());
        if (settings.getProcessFunctions().isEmpty())
            return loaded;
        List<io.fabricstitch.function.AccelerationFunction> all = new ArrayList<>(loaded.functions());
        Path temp = Path.of(settings.getProcessTempDirectory());
        for (io.fabricstitch.function.process.ProcessFunction p : settings.getProcessFunctions())
            all.add(p.toFunction(System.getenv(), temp));
        return FunctionRegistry.of(all);
    }

    /**
     * For each fabric type, those of the probed functions ({@code agent.probedFunctions}) it can run: in Java, as a
     * process or as an OpenCL function; every set empty when none are configured.
     *
     * @throws IllegalArgumentException naming a probed function that is neither registered nor an OpenCL function
     */
    private Map<FabricType, Set<String>> defaultFunctions(List<String> probed) {
        Set<String> openCl = openClNames();
        for (String fn : probed) {
            if (!functionRegistry.contains(fn) && !openCl.contains(fn))
                throw new IllegalArgumentException(FabricAgentConfiguration.PATH + "probedFunctions element: '" + fn
                    + "' is not a registered function (registered: " + describe(functionRegistry) + "; OpenCL: "
                    + String.join(", ", openCl) + ')');
        }
        EnumMap<FabricType, Set<String>> fns = new EnumMap<>(FabricType.class);
        for (FabricType type : FabricType.values()) {
            SortedSet<String> runnable = new TreeSet<>(functionRegistry.namesFor(type));
            runnable.addAll(openCl);
            runnable.retainAll(probed);
            fns.put(type, Collections.unmodifiableSortedSet(runnable));
        }
        return Collections.unmodifiableMap(fns);
    }

    /** Names of the OpenCL functions: the built-in kernels and the configured ones. */
    private Set<String> openClNames() {
        Set<String> names = new TreeSet<>(io.fabricstitch.agent.opencl.OpenClRuntime.BUILT_IN_FUNCTIONS);
        for (io.fabricstitch.agent.opencl.OpenClFunction f : openClFunctions()) {
            if (f.getName() != null)
                names.add(f.getName());
        }
        return names;
    }

    /** The registered functions with their fabric types, e.g. {@code deflate [CPU], sha256 [CPU, GPU]}. */
    static String describe(FunctionRegistry registry) {
        if (registry.names().isEmpty())
            return "none";
        return registry.names().stream().map(n -> n + ' ' + registry.typesOf(n))
            .collect(Collectors.joining(", "));
    }

    /** Starts a builder over a new {@link FabricAgentConfiguration} holding the defaults. */
    public static Builder builder() {
        return new Builder(new FabricAgentConfiguration());
    }

    /** Starts a builder over {@code settings}: its setting methods write into that bean. */
    public static Builder builder(FabricAgentConfiguration settings) {
        return new Builder(Checks.notNull(settings, "agent"));
    }

    /** The user's agent settings, as given: every accessor of a setting reads them. */
    public FabricAgentConfiguration settings() {
        return settings;
    }

    /**
     * Name of the agent's node, the one name it goes by everywhere: in beacons ({@code FABRIC_AGENT.AGENT_NAME},
     * {@code FABRIC_LATENCY.TO_NAME}), in log lines and thread names. The Ignite plugin passes the node's consistent
     * id, the {@code NODE_NAME} of its {@code FABRIC_ENTRY} rows. Null: the agent goes by its {@link #stableName()},
     * else by the host slot it claims.
     */
    public String agentName() {
        return agentName;
    }

    /**
     * The name the node keeps across restarts (a configured consistent id or instance name), from which the CPU
     * fabric's id derives. Null when the node has none: the agent then claims the lowest free node slot of the host
     * ({@code slot-0}, {@code slot-1}, ...) and derives the id from that, so a restarted node usually finds its CPU
     * fabric id again. Defaults to {@link #agentName()}.
     */
    public String stableName() {
        return stableName;
    }

    /** The Ignite node the agent serves. */
    public UUID nodeId() {
        return nodeId;
    }

    /** Site label of this node's fabrics unless a declaration says otherwise. */
    public String site() {
        return site;
    }

    /** {@code host:port} other agents reach this agent's data path on; port 0 while none is bound. */
    public String agentAddress() {
        return agentAddress(dataPathPort);
    }

    /** {@code host:port} of this agent's advertised host with another port (the one a data-path server bound). */
    public String agentAddress(int port) {
        return (advertiseHost.indexOf(':') >= 0 ? '[' + advertiseHost + ']' : advertiseHost) + ':' + port;
    }

    /** The host's identity, the root of stable fabric ids. */
    public String hostId() {
        return hostId;
    }

    public List<FabricProbe> probes() {
        return probes;
    }

    public DeviceAllowList allowList() {
        return allowList;
    }

    /** Folder of the host-wide device claim files ({@code agent.claimDirectory}). */
    public Path claimDirectory() {
        return Path.of(settings.getClaimDirectory());
    }

    /**
     * Functions a probed (not declared) fabric of {@code type} may run, sorted: those of {@code agent.probedFunctions}
     * the type can run; empty when none are, meaning every function that has an implementation for the device (see
     * {@link FabricAgent}).
     */
    public Set<String> defaultFunctions(FabricType type) {
        return defaultFunctions.getOrDefault(type, Set.of());
    }

    /** The user's OpenCL functions, run on the OpenCL devices of their fabric types. */
    public List<io.fabricstitch.agent.opencl.OpenClFunction> openClFunctions() {
        return Collections.unmodifiableList(settings.getOpenClFunctions());
    }

    /**
     * Longest time the agent spends measuring one real fabric's speed at one function (against the host CPU's Java
     * implementation); zero when it does not measure, and every probed fabric keeps speed 1.
     */
    public java.time.Duration calibrationBudget() {
        return java.time.Duration.ofMillis(settings.getCalibrationBudgetMs());
    }

    /**
     * The heap this agent's functions may take for decoding inputs, its wait and its largest image: the budget the
     * settings make ({@code agent.decodeBudgetBytes}, {@code agent.decodeWaitMs}, {@code agent.maxDecodePixels}),
     * unless the builder was given one.
     */
    public io.fabricstitch.function.DecodeBudget decodeBudget() {
        return decodeBudget;
    }

    public Clock clock() {
        return clock;
    }

    /** Monotonic nanoseconds, as {@link System#nanoTime()}; paces the calls of slowed declared fabrics. */
    public LongSupplier nanoTime() {
        return nanoTime;
    }

    /**
     * CPU nanoseconds of the calling thread, or a negative number where the JVM cannot measure them; a slowed
     * declared fabric's call counts the compute time of its function by it, so that a pause of the JVM or of the
     * machine during the call is not stretched by the speed factor.
     */
    public LongSupplier threadCpuTime() {
        return threadCpuTime;
    }

    /** The functions this agent's fabrics can run. */
    public FunctionRegistry functionRegistry() {
        return functionRegistry;
    }

    /**
     * Largest input a function that needs its whole input in memory (not a {@code StreamingFunction}) takes from a
     * stream, bytes; default {@value Builder#DFLT_MAX_IN_MEMORY_INPUT_BYTES}.
     */
    public long maxInMemoryInputBytes() {
        return maxInMemoryInputBytes;
    }

    /**
     * How the agent judges its fabrics' health, and how often: the policy the settings make
     * ({@code agent.healthIntervalMs}, {@code agent.maxTemperatureC}, ...), unless the builder was given one.
     */
    public HealthPolicy health() {
        return health;
    }

    /** The agent's beacons and latency probes; empty when the agent runs without them. */
    public java.util.Optional<io.fabricstitch.agent.net.NetworkConfiguration> network() {
        return java.util.Optional.ofNullable(network);
    }

    /**
     * The data-path servers' settings; empty when the agent runs none. The agent serves DIRECT (plain TCP) on the
     * first free port of the range and, when the settings carry TLS material, TLS on the next free one. Both share one
     * {@link io.fabricstitch.agent.datapath.DataPathBudget} and accept tokens for the agent's own fabrics, whatever
     * the settings' {@code hostsFabric}.
     */
    public java.util.Optional<io.fabricstitch.agent.datapath.DataPathConfiguration> dataPath() {
        return java.util.Optional.ofNullable(dataPath);
    }

    /**
     * Collects a configuration: its setting methods write into the {@link FabricAgentConfiguration} it was started
     * over (whose {@code validate()} checks them in {@link #build()}); the others set run-time values.
     */
    public static final class Builder {
        /** Default {@link AgentConfiguration#maxInMemoryInputBytes()}: 512 MiB. */
        public static final long DFLT_MAX_IN_MEMORY_INPUT_BYTES = 512L << 20;

        private final FabricAgentConfiguration settings;
        private String agentName;
        private String stableName;
        private boolean stableNameSet;
        private UUID nodeId;
        private String site = DFLT_SITE;
        private String advertiseHost = "127.0.0.1";
        private int dataPathPort;
        private String hostId;
        private final List<FabricProbe> probes = new ArrayList<>();
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private LongSupplier threadCpuTime = currentThreadCpuTime();
        private FunctionRegistry functionRegistry;
        private HealthPolicy health;
        private long maxInMemoryInputBytes = DFLT_MAX_IN_MEMORY_INPUT_BYTES;
        private io.fabricstitch.agent.net.NetworkConfiguration network;
        private io.fabricstitch.agent.datapath.DataPathConfiguration dataPath;
        private io.fabricstitch.function.DecodeBudget decodeBudget;

        private Builder(FabricAgentConfiguration settings) {
            this.settings = settings;
        }

        /**
         * A decode budget to use in place of the one the settings make (a test's, to watch its reservations); default
         * the settings' ({@code agent.decodeBudgetBytes} 0: the JVM's shared budget).
         */
        public Builder decodeBudget(io.fabricstitch.function.DecodeBudget decodeBudget) {
            this.decodeBudget = decodeBudget;
            return this;
        }

        /** The user's OpenCL functions ({@code agent.openClFunctions}). */
        public Builder openClFunctions(Collection<io.fabricstitch.agent.opencl.OpenClFunction> functions) {
            settings.setOpenClFunctions(functions == null ? null : new ArrayList<>(functions));
            return this;
        }

        /** Time spent measuring one real fabric at one function ({@code agent.calibrationBudgetMs}), whole ms. */
        public Builder calibrationBudget(java.time.Duration calibrationBudget) {
            settings.setCalibrationBudgetMs(calibrationBudget.toMillis());
            return this;
        }

        public Builder agentName(String agentName) {
            this.agentName = agentName;
            return this;
        }

        /** See {@link AgentConfiguration#stableName()}; null claims a host slot. Default: the agent name. */
        public Builder stableName(String stableName) {
            this.stableName = stableName;
            this.stableNameSet = true;
            return this;
        }

        public Builder nodeId(UUID nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public Builder site(String site) {
            this.site = site;
            return this;
        }

        public Builder advertiseHost(String advertiseHost) {
            this.advertiseHost = advertiseHost;
            return this;
        }

        public Builder dataPathPort(int dataPathPort) {
            this.dataPathPort = dataPathPort;
            return this;
        }

        public Builder hostId(String hostId) {
            this.hostId = hostId;
            return this;
        }

        public Builder probe(FabricProbe probe) {
            probes.add(Checks.notNull(probe, "probe"));
            return this;
        }

        public Builder probes(Collection<? extends FabricProbe> probes) {
            probes.forEach(this::probe);
            return this;
        }

        /** Glob patterns of devices this node may claim ({@code agent.deviceAllowList}); null or empty for all. */
        public Builder deviceAllowList(Collection<String> globs) {
            settings.setDeviceAllowList(globs == null ? null : new ArrayList<>(globs));
            return this;
        }

        /** Folder of the host-wide device claim files ({@code agent.claimDirectory}). */
        public Builder claimDirectory(Path claimDirectory) {
            settings.setClaimDirectory(claimDirectory == null ? null : claimDirectory.toString());
            return this;
        }

        /**
         * Functions probed fabrics run ({@code agent.probedFunctions}), each registered or an OpenCL function; a
         * fabric runs those of them its type can. Empty: every function with an implementation for the device.
         */
        public Builder probedFunctions(Collection<String> functions) {
            settings.setProbedFunctions(functions == null ? null : new ArrayList<>(functions));
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        /** Monotonic time source in nanoseconds; default {@link System#nanoTime()}. Tests inject a fake. */
        public Builder nanoTime(LongSupplier nanoTime) {
            this.nanoTime = nanoTime;
            return this;
        }

        /**
         * CPU time of the calling thread in nanoseconds, negative where unmeasurable; default the JVM's
         * {@code ThreadMXBean.getCurrentThreadCpuTime()} where supported. Tests inject a fake.
         */
        public Builder threadCpuTime(LongSupplier threadCpuTime) {
            this.threadCpuTime = threadCpuTime;
            return this;
        }

        private static LongSupplier currentThreadCpuTime() {
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            if (!threads.isCurrentThreadCpuTimeSupported())
                return () -> -1;
            return () -> threads.isThreadCpuTimeEnabled() ? threads.getCurrentThreadCpuTime() : -1;
        }

        /**
         * The functions fabrics run, in place of those the settings name; default: those the
         * {@link java.util.ServiceLoader} finds through this class's loader (the four built-ins), the classes of
         * {@code agent.functionClasses} and the {@code agent.processFunctions}.
         */
        public Builder functionRegistry(FunctionRegistry functionRegistry) {
            this.functionRegistry = Checks.notNull(functionRegistry, "functionRegistry");
            return this;
        }

        /**
         * A health policy to use in place of the one the settings make (a test's, with its own error window and probe
         * failures); default the settings' ({@code agent.healthIntervalMs}, {@code agent.maxTemperatureC}, ...).
         */
        public Builder health(HealthPolicy health) {
            this.health = Checks.notNull(health, "health");
            return this;
        }

        /** Largest input taken whole into memory from a stream; default 512 MiB. */
        public Builder maxInMemoryInputBytes(long maxInMemoryInputBytes) {
            this.maxInMemoryInputBytes = maxInMemoryInputBytes;
            return this;
        }

        /** Data-path servers to run (null: none); see {@link AgentConfiguration#dataPath()}. */
        public Builder dataPath(io.fabricstitch.agent.datapath.DataPathConfiguration dataPath) {
            this.dataPath = dataPath;
            return this;
        }

        /** Beacons and latency probes; null (default) runs the agent without them. */
        public Builder network(io.fabricstitch.agent.net.NetworkConfiguration network) {
            this.network = network;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid setting by its path ({@code agent.probeTimeoutMs}),
         *     the first invalid run-time value, or a probed function the registry cannot run
         */
        public AgentConfiguration build() {
            if (hostId == null)
                hostId = HostIdentity.hostId();
            return new AgentConfiguration(this);
        }
    }
}
