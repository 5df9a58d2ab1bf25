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
import java.util.TreeSet;
import java.util.UUID;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/** Everything one {@link FabricAgent} needs; immutable, built with {@link #builder()}. */
public final class AgentConfiguration {
    /** Default site label. */
    public static final String DFLT_SITE = "default";

    /** Default folder of host-wide device claims. */
    public static final Path DFLT_CLAIM_DIRECTORY = Path.of(System.getProperty("java.io.tmpdir"),
        "fabric-stitch-claims");

    private final String agentName;
    private final String stableName;
    private final UUID nodeId;
    private final String site;
    private final String advertiseHost;
    private final int dataPathPort;
    private final String hostId;
    private final List<FabricProbe> probes;
    private final DeviceAllowList allowList;
    private final Path claimDirectory;
    private final Map<FabricType, Set<String>> defaultFunctions;
    private final Clock clock;
    private final LongSupplier nanoTime;
    private final LongSupplier threadCpuTime;
    private final FunctionRegistry functionRegistry;
    private final HealthPolicy health;
    private final long maxInMemoryInputBytes;
    private final io.fabricstitch.agent.net.NetworkConfiguration network;
    private final io.fabricstitch.agent.datapath.DataPathConfiguration dataPath;
    private final List<io.fabricstitch.agent.opencl.OpenClFunction> openClFunctions;
    private final java.time.Duration calibrationBudget;
    private final io.fabricstitch.function.DecodeBudget decodeBudget;

    private AgentConfiguration(Builder b) {
        agentName = b.agentName == null ? null : Checks.notBlank(b.agentName, "agentName", 256);
        String stable = b.stableNameSet ? b.stableName : b.agentName;
        stableName = stable == null ? null : Checks.notBlank(stable, "stableName", 256);
        nodeId = Checks.notNull(b.nodeId, "nodeId");
        site = Checks.name(b.site, "site");
        advertiseHost = Checks.notBlank(b.advertiseHost, "advertiseHost", 253);
        dataPathPort = (int)Checks.inRange(b.dataPathPort, 0, 65535, "dataPathPort");
        hostId = Checks.notBlank(b.hostId, "hostId", 256);
        probes = List.copyOf(b.probes);
        allowList = DeviceAllowList.of(b.deviceAllowList);
        claimDirectory = Checks.notNull(b.claimDirectory, "claimDirectory");
        clock = Checks.notNull(b.clock, "clock");
        nanoTime = Checks.notNull(b.nanoTime, "nanoTime");
        threadCpuTime = Checks.notNull(b.threadCpuTime, "threadCpuTime");
        functionRegistry = Checks.notNull(b.functionRegistry, "functionRegistry");
        health = Checks.notNull(b.health, "health");
        maxInMemoryInputBytes = Checks.inRange(b.maxInMemoryInputBytes, 1, Integer.MAX_VALUE - 8,
            "maxInMemoryInputBytes");
        network = b.network;
        dataPath = b.dataPath;
        openClFunctions = List.copyOf(b.openClFunctions);
        io.fabricstitch.agent.opencl.OpenClRuntime.validate(openClFunctions); // on every node, OpenCL or not
        calibrationBudget = Checks.notNull(b.calibrationBudget, "calibrationBudget");
        decodeBudget = Checks.notNull(b.decodeBudget, "decodeBudget");
        if (calibrationBudget.isNegative() || calibrationBudget.compareTo(java.time.Duration.ofMinutes(1)) > 0)
            throw new IllegalArgumentException("calibrationBudgetMs: " + calibrationBudget.toMillis()
                + " (expected: 0..60000; 0 turns calibration off)");
        Set<String> openClNames = openClNames();
        EnumMap<FabricType, Set<String>> fns = new EnumMap<>(FabricType.class);
        for (FabricType type : FabricType.values()) {
            Collection<String> names = b.defaultFunctions.getOrDefault(type, List.of());
            for (String n : names)
                checkRunnable(Checks.name(n, "defaultFunctions[" + type + "] element"), type, openClNames);
            fns.put(type, Collections.unmodifiableSortedSet(new TreeSet<>(names)));
        }
        defaultFunctions = Collections.unmodifiableMap(fns);
    }

    /** Names of the OpenCL functions: the built-in kernels and the configured ones. */
    private Set<String> openClNames() {
        Set<String> names = new TreeSet<>(io.fabricstitch.agent.opencl.OpenClRuntime.BUILT_IN_FUNCTIONS);
        for (io.fabricstitch.agent.opencl.OpenClFunction f : openClFunctions) {
            if (f.getName() != null)
                names.add(f.getName());
        }
        return names;
    }

    private void checkRunnable(String name, FabricType type, Set<String> openClNames) {
        if (functionRegistry.implementation(name, type, false).isEmpty() && !openClNames.contains(name))
            throw new IllegalArgumentException("defaultFunctions[" + type + "] element: '" + name + "' (expected: a "
                + "function with a " + type + " implementation, or an OpenCL function (" + String.join(", ",
                openClNames) + "); registered: " + describe(functionRegistry) + ')');
    }

    /** The registered functions with their fabric types, e.g. {@code deflate [CPU], sha256 [CPU, GPU]}. */
    static String describe(FunctionRegistry registry) {
        if (registry.names().isEmpty())
            return "none";
        return registry.names().stream().map(n -> n + ' ' + registry.typesOf(n))
            .collect(Collectors.joining(", "));
    }

    public static Builder builder() {
        return new Builder();
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

    public Path claimDirectory() {
        return claimDirectory;
    }

    /**
     * Functions a probed (not declared) fabric of {@code type} may run, sorted: those configured for the type; empty
     * when none are, meaning every function that has an implementation for the device (see {@link FabricAgent}).
     */
    public Set<String> defaultFunctions(FabricType type) {
        return defaultFunctions.getOrDefault(type, Set.of());
    }

    /** The user's OpenCL functions, run on the OpenCL devices of their fabric types. */
    public List<io.fabricstitch.agent.opencl.OpenClFunction> openClFunctions() {
        return openClFunctions;
    }

    /**
     * Longest time the agent spends measuring one real fabric's speed at one function (against the host CPU's Java
     * implementation); zero when it does not measure, and every probed fabric keeps speed 1.
     */
    public java.time.Duration calibrationBudget() {
        return calibrationBudget;
    }

    /**
     * The heap this agent's functions may take for decoding inputs, its wait and its largest image; default the
     * JVM's shared {@link io.fabricstitch.function.DecodeBudget#jvmDefault() budget}.
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

    /** How the agent judges its fabrics' health, and how often. */
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

    /** Collects the configuration; {@link #build()} checks every value. */
    public static final class Builder {
        private String agentName;
        private String stableName;
        private boolean stableNameSet;
        private UUID nodeId;
        private String site = DFLT_SITE;
        private String advertiseHost = "127.0.0.1";
        private int dataPathPort;
        private String hostId;
        private final List<FabricProbe> probes = new ArrayList<>();
        private Collection<String> deviceAllowList;
        private Path claimDirectory = DFLT_CLAIM_DIRECTORY;
        private final Map<FabricType, Collection<String>> defaultFunctions = new EnumMap<>(FabricType.class);
        private Clock clock = Clock.systemUTC();
        private LongSupplier nanoTime = System::nanoTime;
        private LongSupplier threadCpuTime = currentThreadCpuTime();
        private FunctionRegistry functionRegistry;
        /** Default {@link AgentConfiguration#maxInMemoryInputBytes()}: 512 MiB. */
        public static final long DFLT_MAX_IN_MEMORY_INPUT_BYTES = 512L << 20;

        private HealthPolicy health = HealthPolicy.defaults();
        private long maxInMemoryInputBytes = DFLT_MAX_IN_MEMORY_INPUT_BYTES;
        private io.fabricstitch.agent.net.NetworkConfiguration network;
        private io.fabricstitch.agent.datapath.DataPathConfiguration dataPath;
        private final List<io.fabricstitch.agent.opencl.OpenClFunction> openClFunctions = new ArrayList<>();
        /** Default {@link AgentConfiguration#calibrationBudget()}: 1 s a function and fabric. */
        public static final java.time.Duration DFLT_CALIBRATION_BUDGET = java.time.Duration.ofSeconds(1);

        private java.time.Duration calibrationBudget = DFLT_CALIBRATION_BUDGET;

        private io.fabricstitch.function.DecodeBudget decodeBudget =
            io.fabricstitch.function.DecodeBudget.jvmDefault();

        private Builder() {
        }

        /** The heap functions may take for decoding inputs; default the JVM's shared budget. */
        public Builder decodeBudget(io.fabricstitch.function.DecodeBudget decodeBudget) {
            this.decodeBudget = decodeBudget;
            return this;
        }

        /** The user's OpenCL functions (Spring beans of the plugin's {@code openClFunctions}). */
        public Builder openClFunctions(Collection<io.fabricstitch.agent.opencl.OpenClFunction> functions) {
            openClFunctions.clear();
            if (functions != null)
                openClFunctions.addAll(functions);
            return this;
        }

        /** Time spent measuring one real fabric at one function; zero turns calibration off. Default 1 s. */
        public Builder calibrationBudget(java.time.Duration calibrationBudget) {
            this.calibrationBudget = calibrationBudget;
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

        /** Glob patterns of devices this node may claim; null or empty for all. */
        public Builder deviceAllowList(Collection<String> globs) {
            this.deviceAllowList = globs;
            return this;
        }

        public Builder claimDirectory(Path claimDirectory) {
            this.claimDirectory = claimDirectory;
            return this;
        }

        /**
         * Functions probed fabrics of {@code type} may run; each needs an implementation for exactly that type (in
         * Java or as a process) or must be an OpenCL function. Unset or empty: every function with an implementation
         * for the device.
         */
        public Builder defaultFunctions(FabricType type, Collection<String> functions) {
            defaultFunctions.put(Checks.notNull(type, "type"), functions == null ? List.of()
                : new ArrayList<>(functions));
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
         * The functions fabrics run; default: those {@link java.util.ServiceLoader} finds through this class's
         * loader (the four built-ins).
         */
        public Builder functionRegistry(FunctionRegistry functionRegistry) {
            this.functionRegistry = Checks.notNull(functionRegistry, "functionRegistry");
            return this;
        }

        /** How the agent judges its fabrics' health; default {@link HealthPolicy#defaults()}. */
        public Builder health(HealthPolicy health) {
            this.health = Checks.notNull(health, "health");
            return this;
        }

        /** Largest input taken whole into memory from a stream; default 512 MiB. */
        public Builder maxInMemoryInputBytes(long maxInMemoryInputBytes) {
            this.maxInMemoryInputBytes = maxInMemoryInputBytes;
            return this;
        }

        /** Beacons and latency probes; null (default) runs the agent without them. */
        /** Data-path servers to run (null: none); see {@link AgentConfiguration#dataPath()}. */
        public Builder dataPath(io.fabricstitch.agent.datapath.DataPathConfiguration dataPath) {
            this.dataPath = dataPath;
            return this;
        }

        public Builder network(io.fabricstitch.agent.net.NetworkConfiguration network) {
            this.network = network;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid property, or a default function the registry
         *     cannot run on its type
         */
        public AgentConfiguration build() {
            if (hostId == null)
                hostId = HostIdentity.hostId();
            if (functionRegistry == null)
                functionRegistry = FunctionRegistry.load(AgentConfiguration.class.getClassLoader(), List.of());
            return new AgentConfiguration(this);
        }
    }
}
