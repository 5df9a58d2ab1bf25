package io.fabricstitch.agent;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.datapath.DataPathBudget;
import io.fabricstitch.agent.datapath.DataPathConfiguration;
import io.fabricstitch.agent.datapath.DataPathServer;
import io.fabricstitch.agent.internal.DeviceClaims;
import io.fabricstitch.agent.internal.HostIdentity;
import io.fabricstitch.agent.net.AgentNetwork;
import io.fabricstitch.agent.net.Announcement;
import io.fabricstitch.agent.net.FabricSummary;
import io.fabricstitch.agent.net.NetworkConfiguration;
import io.fabricstitch.agent.opencl.OpenClProbe;
import io.fabricstitch.agent.opencl.OpenClRuntime;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.DecodeBudgetExceededException;
import io.fabricstitch.function.FabricUnavailableException;
import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.FunctionRegistry;
import io.fabricstitch.function.InvalidInputException;
import io.fabricstitch.function.StreamingFunction;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import io.fabricstitch.model.FunctionImplementation;
import io.fabricstitch.model.SpeedSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The per-node agent: probes the host's accelerators, claims each device for this node (so several nodes on one host
 * never report a device twice), and reports one {@link FabricEntry} per device plus one CPU fabric for the node.
 * <p>
 * Lifecycle: {@link #start()} once, then {@link #stop()}. While started, the agent re-runs its probes every
 * {@link HealthPolicy#interval() health interval} and derives each fabric's status with a reason (see
 * {@link HealthPolicy}); listeners hear of every change within one interval, and of every check (the agent's
 * heartbeat). Faults can be injected into declared fabrics for tests and demos. The agent knows nothing of Ignite; the
 * plugin adapts it.
 * <p>
 * {@link #execute} runs a function on one of the reported fabrics through the configured {@link FunctionRegistry}.
 * Declared fabrics are simulated: they run the CPU implementation when none exists for their type, paced by their
 * speed factor. A call on a fabric that is or turns OFFLINE ends with {@link FabricUnavailableException}.
 */
public final class FabricAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FabricAgent.class.getName());

    /** Device key every CPU probe reports; the CPU fabric is one per node and never claimed. */
    public static final String CPU_DEVICE_KEY = "cpu";

    /** Device-key prefix of {@link DeclaredFabric}s. */
    static final String DECLARED_PREFIX = "declared:";

    /** Most nodes of one host that get a slot name when they have no stable name of their own. */
    static final int MAX_NODE_SLOTS = 64;

    /** Longest wait in {@link #stop()} for a health check under way (a probe tool) to end. */
    private static final long STOP_WAIT_MS = 2_000;

    /** Longest wait of a fault change for the health check that applies it. */
    private static final long FAULT_WAIT_MS = 30_000;

    private final AgentConfiguration cfg;
    private final String agentName;
    /** What the CPU fabric id derives from: the node's stable name, else its host slot. */
    private final String stableName;
    private final DeviceClaims claims;
    private final ProbeRunner runner;
    private final List<FabricListener> listeners = new CopyOnWriteArrayList<>();
    private final SpeedPacer pacer;
    private final Map<UUID, FabricFault> faults = new ConcurrentHashMap<>();
    private final Set<String> announcedNewDevices = ConcurrentHashMap.newKeySet();
    private final Map<String, Integer> probeFailures = new HashMap<>();
    private final Set<String> healthFailures = ConcurrentHashMap.newKeySet();
    private final Object healthLock = new Object();
    private volatile List<FabricEntry> fabrics = List.of();
    private volatile Map<UUID, Hosted> byId = Map.of();
    private volatile Map<UUID, FabricEntry> current = Map.of();
    private ScheduledExecutorService health;
    private volatile AgentNetwork network;
    private volatile DataPathServer directServer;
    private volatile DataPathServer tlsServer;
    private volatile String agentAddress;
    private volatile long startedNanos;
    private final FunctionResolver resolver;
    private volatile OpenClRuntime openCl;
    private volatile Thread calibration;
    private volatile boolean stopping;
    private boolean started;
    private boolean stopped;
    private boolean claimsUncoordinated;

    public FabricAgent(AgentConfiguration cfg) {
        this.cfg = cfg;
        String named = cfg.agentName() != null ? cfg.agentName() : cfg.stableName();
        DeviceClaims c = new DeviceClaims(cfg.claimDirectory(), named != null ? named : "node " + cfg.nodeId());
        this.stableName = cfg.stableName() != null ? cfg.stableName() : claimSlot(c, cfg.nodeId());
        this.agentName = named != null ? named : stableName;
        this.claims = c;
        this.pacer = new SpeedPacer(cfg.nanoTime(), cfg.threadCpuTime());
        this.runner = new ProbeRunner(System::nanoTime);
        this.resolver = new FunctionResolver(cfg);
    }

    /** A reported fabric: the device as first seen, the implementation of each function, and its latest calls. */
    private static final class Hosted {
        final DetectedFabric detected;
        final boolean simulated;
        final boolean hostCpu;
        final double speedFactor;
        final Map<String, AccelerationFunction> functions;
        final ErrorWindow errors;

        Hosted(DetectedFabric d, boolean hostCpu, Map<String, AccelerationFunction> functions, HealthPolicy policy) {
            this.detected = d;
            this.simulated = d.simulated();
            this.hostCpu = hostCpu;
            this.speedFactor = d.speedFactor();
            this.functions = Map.copyOf(functions);
            this.errors = new ErrorWindow(policy.errorWindow(), policy.errorWindowSpan().toNanos());
        }
    }

    /**
     * A node without a stable name takes the lowest free slot of its host ({@code slot-0}, {@code slot-1}, ...), so
     * that a restarted node usually finds its CPU fabric id again.
     */
    private static String claimSlot(DeviceClaims claims, java.util.UUID nodeId) {
        try {
            for (int i = 0; i < MAX_NODE_SLOTS; i++) {
                if (claims.tryClaim("node-slot-" + i) == DeviceClaims.Outcome.CLAIMED)
                    return "slot-" + i;
            }
        }
        catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "no node slot could be claimed in " + claims.directory() + " (" + e
                + "); this node's CPU fabric id will change when it restarts");
        }
        return "node-" + nodeId;
    }

    /**
     * Probes, claims and reports the host's fabrics, then starts the health checks.
     *
     * @return the fabrics this node now reports
     * @throws IllegalStateException when started twice
     * @throws IllegalArgumentException when a fabric names a function the registry cannot run on it, naming both
     */
    public synchronized List<FabricEntry> start() {
        if (started)
            throw new IllegalStateException("agent " + agentName + " already started");
        started = true;
        startedNanos = System.nanoTime();
        startDataPath();
        ProbeRunner.Round round = runner.run(cfg.probes());
        List<DetectedFabric> devices = HostDevices.pairUnaddressedOpenCl(HostDevices.withVendorOrdinals(
            InventoryMerger.merge(round.sightings())), w -> LOG.log(Level.WARNING, "agent " + agentName + ": " + w));
        for (DetectedFabric d : devices) {
            if (d.simulated())
                resolver.functionsOf(d, false, Map.of()); // a misconfigured declaration stops every node at start
        }
        List<DetectedFabric> reported = new ArrayList<>();
        for (DetectedFabric d : devices) {
            if (isCpu(d) || (allowed(d) && claimed(d)))
                reported.add(d);
        }
        Map<UUID, Map<String, AccelerationFunction>> kernels = attachOpenCl(reported);
        HostDevices.CoreShare share = HostDevices.shareCores(reported, FabricAgent::isCpu);
        for (DetectedFabric d : share.left)
            leaveOut(d, "its " + d.resourceCount() + " core(s) would leave the CPU fabric none");
        if (share.setAside > 0)
            LOG.log(Level.INFO, "agent " + agentName + ": " + share.setAside + " core(s) set aside for OpenCL CPU "
                + "device(s); the CPU fabric reports the others, so no core counts twice");
        Map<UUID, FabricEntry> found = new LinkedHashMap<>();
        Map<UUID, Hosted> ids = new HashMap<>();
        for (DetectedFabric d : share.devices) {
            UUID id = fabricIdOf(d);
            Map<String, AccelerationFunction> fns = resolver.functionsOf(d, isCpu(d), kernels.getOrDefault(id,
                Map.of()));
            FabricEntry e = toEntry(id, d, fns);
            found.put(id, e);
            ids.put(id, new Hosted(d, isCpu(d), fns, cfg.health()));
        }
        byId = Map.copyOf(ids);
        publish(found);
        LOG.log(Level.INFO, "agent " + agentName + " reports " + fabrics.size() + " fabric(s): "
            + summary(fabrics) + (stableName.equals(agentName) ? "" : " (its CPU fabric id derives from " + stableName
            + ")"));
        listeners.forEach(l -> l.onFabricsChanged(fabrics));
        startNetwork();
        long every = cfg.health().interval().toNanos();
        health = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fabric-health-" + agentName);
            t.setDaemon(true);
            return t;
        });
        health.scheduleWithFixedDelay(this::checkHealthGuarded, every, every, TimeUnit.NANOSECONDS);
        startCalibration();
        return fabrics;
    }

    /**
     * Opens the OpenCL device of every reported device that has one and builds its kernels. A device seen by OpenCL
     * alone that cannot be opened is left out; one also seen by another probe stays, without OpenCL functions.
     *
     * @return the OpenCL functions built for each fabric, by fabric id
     * @throws IllegalArgumentException when a user's OpenCL function is invalid or does not build for its device
     */
    private Map<UUID, Map<String, AccelerationFunction>> attachOpenCl(List<DetectedFabric> reported) {
        Map<UUID, Map<String, AccelerationFunction>> kernels = new HashMap<>();
        for (java.util.Iterator<DetectedFabric> it = reported.iterator(); it.hasNext(); ) {
            DetectedFabric d = it.next();
            if (!d.hasOpenCl() || d.simulated())
                continue;
            if (openCl == null)
                openCl = new OpenClRuntime(cfg.openClFunctions());
            UUID id = fabricIdOf(d);
            try {
                Map<String, AccelerationFunction> fns = openCl.attach(id, d);
                kernels.put(id, fns);
                LOG.log(Level.INFO, "agent " + agentName + ": OpenCL device " + d.model() + " runs "
                    + (fns.isEmpty() ? "no OpenCL function" : String.join(", ", fns.keySet()))
                    + (openCl.onSubDevice(id) ? " on " + d.resourceCount() + " of its compute units" : ""));
            }
            catch (IllegalStateException e) {
                if (OpenClProbe.NAME.equals(d.source())) {
                    it.remove();
                    leaveOut(d, e.getMessage());
                }
                else
                    LOG.log(Level.WARNING, "agent " + agentName + ": " + e.getMessage() + "; " + d.model()
                        + " runs no OpenCL function");
            }
        }
        return kernels;
    }

    /**
     * Starts measuring, on a thread of its own, the speed of every real fabric (not the host CPU, not declared) at
     * every function whose host-CPU Java implementation offers a calibration input; the fabrics are routable
     * meanwhile, at speed 1. The inputs are generated on that thread, not on the starting one.
     */
    private void startCalibration() {
        if (cfg.calibrationBudget().isZero())
            return;
        Calibrator calibrator = new Calibrator(cfg.functionRegistry(), cfg.calibrationBudget(), System::nanoTime);
        UUID cpu = byId.entrySet().stream().filter(e -> e.getValue().hostCpu).map(Map.Entry::getKey).findFirst()
            .orElse(null);
        Map<UUID, Map<String, AccelerationFunction>> targets = new LinkedHashMap<>();
        for (FabricEntry e : fabrics) {
            Hosted h = byId.get(e.getFabricId());
            if (!h.simulated && !h.hostCpu && !h.functions.isEmpty())
                targets.put(e.getFabricId(), h.functions);
        }
        if (cpu == null || targets.isEmpty())
            return;
        Thread t = new Thread(() -> calibrator.run(targets, new Calibrator.Fabrics() {
            @Override
            public FunctionContext context(UUID id) {
                FabricEntry e = current.get(id);
                return e == null || e.getStatus() == FabricStatus.OFFLINE ? null : FunctionContext.of(e,
                    binding(byId.get(id), e, 0), false, () -> stopping || isOffline(id))
                    .withDecodeBudget(cfg.decodeBudget());
            }

            @Override
            public FunctionContext reference() {
                return FunctionContext.of(current.get(cpu), false, () -> stopping)
                    .withDecodeBudget(cfg.decodeBudget());
            }

            @Override
            public boolean stopping() {
                return stopping;
            }

            @Override
            public String describe(UUID id) {
                return "agent " + agentName + ": " + FabricAgent.this.describe(id);
            }

            @Override
            public void measured(UUID id, Map<String, Double> speeds) {
                applySpeeds(id, speeds);
            }
        }), "fabric-calibration-" + agentName);
        t.setDaemon(true);
        calibration = t;
        t.start();
    }

    /** Publishes measured speeds: each function's, and the fabric's as their geometric mean. */
    private void applySpeeds(UUID id, Map<String, Double> measured) {
        synchronized (healthLock) {
            FabricEntry e = current.get(id);
            if (e == null)
                return;
            Map<String, FunctionImplementation> fns = new java.util.TreeMap<>(e.getFunctions());
            measured.forEach((fn, speed) -> fns.computeIfPresent(fn, (k, v) -> v.withSpeed(speed,
                SpeedSource.MEASURED)));
            List<Double> all = new ArrayList<>();
            fns.values().stream().filter(f -> f.speedSource() == SpeedSource.MEASURED)
                .forEach(f -> all.add(f.speedFactor()));
            FabricEntry n = e.toBuilder().functions(fns).speedFactor(Calibrator.geometricMean(all))
                .updatedAt(cfg.clock().instant()).build();
            Map<UUID, FabricEntry> next = new LinkedHashMap<>();
            for (FabricEntry f : fabrics)
                next.put(f.getFabricId(), f.getFabricId().equals(id) ? n : f);
            publish(next);
            for (FabricListener l : listeners) {
                try {
                    l.onFabricsChanged(fabrics);
                }
                catch (RuntimeException ex) {
                    LOG.log(Level.WARNING, "agent " + agentName + ": a listener failed on the measured speeds of "
                        + describe(id) + ": " + ex);
                }
            }
        }
    }

    private void stopCalibration() {
        Thread t = calibration;
        if (t == null)
            return;
        t.interrupt();
        try {
            t.join(STOP_WAIT_MS);
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the calibration started at {@link #start()} has measured every fabric it could (or has given up),
     * for at most {@code timeout}; true when it is done or there was none.
     */
    public boolean awaitCalibration(java.time.Duration timeout) throws InterruptedException {
        Thread t = calibration;
        if (t == null)
            return true;
        t.join(Math.max(1, timeout.toMillis()));
        return !t.isAlive();
    }

    /** Gives up a claimed device that will not be reported, saying why. */
    private void leaveOut(DetectedFabric d, String why) {
        claims.release(d.claimKey());
        OpenClRuntime rt = openCl;
        if (rt != null)
            rt.detach(fabricIdOf(d));
        LOG.log(Level.WARNING, "agent " + agentName + ": device " + d.deviceKey() + " (" + d.model()
            + ") not reported: " + why);
    }

    /**
     * Starts the data-path servers when configured: DIRECT on the first free port of the range, TLS on the next, both
     * counting against one budget and accepting tokens for this agent's fabrics only.
     *
     * @throws IllegalStateException naming what could not be bound
     */
    private void startDataPath() {
        agentAddress = cfg.agentAddress();
        DataPathConfiguration configured = cfg.dataPath().orElse(null);
        if (configured == null)
            return;
        DataPathConfiguration dp = configured.toBuilder().hostsFabric(id -> fabric(id).isPresent()).build();
        DataPathBudget budget = DataPathBudget.of(dp);
        DataPathServer direct = new DataPathServer(dp.toBuilder().tls(null).build(), budget);
        direct.start();
        if (dp.tls() != null) {
            int port = direct.address().getPort();
            int left = dp.port() == 0 ? 1 : dp.port() + dp.portRange() - port - 1;
            if (left < 1) {
                direct.close();
                throw new IllegalStateException("agent " + agentName + ": data path: no port left for TLS after "
                    + "DIRECT took " + port + " (expected: a port range of at least 2 when TLS is configured)");
            }
            DataPathServer tls = new DataPathServer(dp.toBuilder().listenPorts(dp.port() == 0 ? 0 : port + 1, left)
                .build(), budget);
            try {
                tls.start();
            }
            catch (RuntimeException e) {
                direct.close();
                throw e;
            }
            tlsServer = tls;
        }
        directServer = direct;
        agentAddress = cfg.agentAddress(direct.address().getPort());
    }

    /**
     * The agent's data-path server for plain TCP ({@code tls} false) or TLS; empty when it runs none. Inputs staged
     * by a caller are taken from it by transfer id, outputs staged on it for the caller to fetch.
     */
    public java.util.Optional<DataPathServer> dataPathServer(boolean tls) {
        return java.util.Optional.ofNullable(tls ? tlsServer : directServer);
    }

    /** {@code host:port} of the DIRECT data-path server; port 0 when the agent runs none. */
    public String agentAddress() {
        String a = agentAddress;
        return a != null ? a : cfg.agentAddress();
    }

    /**
     * Starts the beacons and latency probes when configured.
     *
     * @throws IllegalStateException naming what could not be bound or joined
     */
    private void startNetwork() {
        NetworkConfiguration nc = cfg.network().orElse(null);
        if (nc == null)
            return;
        AgentNetwork net = new AgentNetwork(nc, () -> Announcement.of(cfg.nodeId(), agentName, cfg.site(),
            agentAddress(), FabricSummary.of(fabrics)));
        try {
            net.start();
        }
        catch (RuntimeException e) {
            claims.releaseAll();
            closeDataPath();
            throw e;
        }
        network = net;
        addListener(changed -> net.announceNow());
    }

    /** {@link System#nanoTime()} when {@link #start()} began (0 before): where discovery measurements start. */
    public long startedNanos() {
        return startedNanos;
    }

    /** The agent's beacons and latency probes; empty when it runs without them. */
    public java.util.Optional<AgentNetwork> network() {
        return java.util.Optional.ofNullable(network);
    }

    /** Stops the health checks and releases the device claims. Idempotent. */
    @Override
    public void close() {
        stop();
    }

    /**
     * Stops the health checks and releases the device claims; other nodes of the host may then claim the devices.
     * Idempotent.
     */
    public void stop() {
        ScheduledExecutorService h;
        synchronized (this) {
            if (stopped)
                return;
            stopped = true;
            stopping = true;
            h = health;
        }
        AgentNetwork net = network;
        if (net != null)
            net.close();
        closeDataPath();
        if (h != null) {
            h.shutdownNow();
            try {
                h.awaitTermination(STOP_WAIT_MS, TimeUnit.MILLISECONDS);
            }
            catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        stopCalibration();
        OpenClRuntime rt = openCl;
        if (rt != null)
            rt.close();
        synchronized (this) {
            claims.releaseAll();
        }
    }

    private void closeDataPath() {
        DataPathServer d = directServer;
        DataPathServer t = tlsServer;
        if (d != null)
            d.close();
        if (t != null)
            t.close();
    }

    /** The fabrics this agent reports now, with their current status, in a stable order. */
    public List<FabricEntry> fabrics() {
        return fabrics;
    }

    /** The fabric {@code fabricId} as this agent reports it now. */
    public java.util.Optional<FabricEntry> fabric(UUID fabricId) {
        return java.util.Optional.ofNullable(fabricId == null ? null : current.get(fabricId));
    }

    /** Types among the reported fabrics. */
    public Set<FabricType> fabricTypes() {
        Set<FabricType> types = EnumSet.noneOf(FabricType.class);
        fabrics.forEach(f -> types.add(f.getFabricType()));
        return types;
    }

    /** Every function some reported fabric runs, sorted. */
    public Set<String> functions() {
        Set<String> fns = new TreeSet<>();
        fabrics.forEach(f -> fns.addAll(f.getSupportedFunctions()));
        return fns;
    }

    /** This agent's name: the configured one, or the host slot it took. */
    public String agentName() {
        return agentName;
    }

    /**
     * What this node's CPU fabric id derives from: its stable name when configured, else the host slot it claimed
     * ({@code slot-0}, ...); equal to {@link #agentName()} unless the node's name was given apart from it.
     */
    public String stableName() {
        return stableName;
    }

    /** The configuration this agent runs with. */
    public AgentConfiguration configuration() {
        return cfg;
    }

    /** The functions this agent's fabrics run. */
    public FunctionRegistry functionRegistry() {
        return cfg.functionRegistry();
    }

    /**
     * Runs {@code function} on a reported fabric with nothing reserved; see
     * {@link #execute(UUID, String, byte[], BooleanSupplier, long)}.
     */
    public byte[] execute(UUID fabricId, String function, byte[] input, BooleanSupplier cancelled)
        throws FunctionException {
        return execute(fabricId, function, input, cancelled, 0);
    }

    /**
     * Runs {@code function} on a reported fabric with the implementation the fabric lists for it in its
     * {@link FabricEntry#getFunctions()} (an OpenCL kernel on its device, a process bound to it, Java code; a declared
     * fabric runs the CPU's Java code). The function sees the fabric's {@link #binding device binding} with
     * {@code reservedAmount}. A declared fabric with a speed factor below 1 holds the call until
     * {@code compute time / speedFactor} has passed.
     *
     * @param cancelled polled while the function runs and while the call is held
     * @param reservedAmount units of the fabric the task reserved (for the binding)
     * @return the function's output
     * @throws IllegalArgumentException when this agent reports no fabric {@code fabricId}
     * @throws FabricUnavailableException when the fabric is OFFLINE, or turns OFFLINE while the call runs
     * @throws FunctionException when the fabric does not list the function, the function refuses the input
     *     ({@link InvalidInputException}; {@link DecodeBudgetExceededException} while the node's decode budget is
     *     full) or fails, or the call is cancelled ({@link io.fabricstitch.function.FunctionCancelledException})
     */
    public byte[] execute(UUID fabricId, String function, byte[] input, BooleanSupplier cancelled,
        long reservedAmount) throws FunctionException {
        Checks.notNull(input, "input");
        Call call = prepare(fabricId, function, cancelled, reservedAmount);
        return call.run(() -> run(call.impl, call.ctx, input));
    }

    /**
     * Runs {@code function} with a streamed input and output, e.g. an input staged on disk by the data path: a
     * {@link StreamingFunction} reads and writes as it goes, in bounded memory; another function gets the whole input
     * as bytes, if it is at most {@link AgentConfiguration#maxInMemoryInputBytes()}. Pacing, cancellation, health and
     * error accounting are as for {@link #execute(UUID, String, byte[], BooleanSupplier)}.
     *
     * @param inputLength the input's length in bytes
     * @return the number of output bytes written
     * @throws InvalidInputException when a function that needs its whole input gets more than the in-memory limit
     * @throws IOException when reading the input or writing the output fails
     */
    public long execute(UUID fabricId, String function, InputStream input, long inputLength, OutputStream output,
        BooleanSupplier cancelled) throws FunctionException, IOException {
        return execute(fabricId, function, input, inputLength, output, cancelled, 0);
    }

    /**
     * {@link #execute(UUID, String, InputStream, long, OutputStream, BooleanSupplier)} for a task that reserved
     * {@code reservedAmount} units of the fabric (for its device binding).
     */
    public long execute(UUID fabricId, String function, InputStream input, long inputLength, OutputStream output,
        BooleanSupplier cancelled, long reservedAmount) throws FunctionException, IOException {
        Checks.notNull(input, "input");
        Checks.notNull(output, "output");
        Call call = prepare(fabricId, function, cancelled, reservedAmount);
        long[] written = new long[1];
        OutputStream counted = new java.io.FilterOutputStream(output) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                written[0] += len;
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                written[0]++;
            }
        };
        if (call.impl instanceof StreamingFunction) {
            StreamingFunction streaming = (StreamingFunction)call.impl;
            call.run(() -> {
                streamed(streaming, call.ctx, input, counted);
                return null;
            });
        }
        else {
            long max = cfg.maxInMemoryInputBytes();
            if (inputLength > max)
                throw new InvalidInputException("input: " + inputLength + " bytes for " + function + " (expected: at "
                    + "most " + max + " bytes: " + function + " needs its whole input in memory; streaming functions "
                    + "such as sha256 and deflate take any size)");
            byte[] bytes = input.readAllBytes();
            counted.write(call.run(() -> run(call.impl, call.ctx, bytes)));
        }
        counted.flush();
        return written[0];
    }

    private static void streamed(StreamingFunction f, FunctionContext ctx, InputStream in, OutputStream out)
        throws FunctionException {
        String where = " on fabric " + ctx.fabric().getFabricId() + " (" + ctx.fabric().getModel() + ')';
        try {
            f.execute(ctx, in, out);
        }
        catch (IOException e) {
            throw new FunctionException("function " + f.name() + where + ": reading the input or writing the output "
                + "failed: " + e.getMessage(), e);
        }
        catch (RuntimeException ex) {
            throw new FunctionException("function " + f.name() + " failed" + where + ": " + ex, ex);
        }
    }

    /** One call of a function on a fabric, checked and ready to run. */
    private final class Call {
        final UUID fabricId;
        final String function;
        final Hosted hosted;
        final AccelerationFunction impl;
        final FunctionContext ctx;

        Call(UUID fabricId, String function, Hosted hosted, AccelerationFunction impl, FunctionContext ctx) {
            this.fabricId = fabricId;
            this.function = function;
            this.hosted = hosted;
            this.impl = impl;
            this.ctx = ctx;
        }

        /** Runs {@code body}, paced by the fabric's speed factor, counting the outcome for the error rate. */
        <T> T run(FunctionBody<T> body) throws FunctionException {
            try {
                ctx.checkCancelled();
                long start = pacer.now();
                long startCpu = pacer.cpuNow();
                T out = body.run();
                pacer.hold(start, pacer.computeNanos(start, startCpu), hosted.speedFactor, ctx);
                hosted.errors.record(false, System.nanoTime());
                return out;
            }
            catch (FunctionCancelledException ce) {
                checkAvailable(fabricId, function, " while running it");
                throw ce;
            }
            catch (InvalidInputException | DecodeBudgetExceededException notTheFabrics) {
                throw notTheFabrics;
            }
            catch (FunctionException failed) {
                hosted.errors.record(true, System.nanoTime());
                throw failed;
            }
        }
    }

    @FunctionalInterface
    private interface FunctionBody<T> {
        T run() throws FunctionException;
    }

    private Call prepare(UUID fabricId, String function, BooleanSupplier cancelled, long reservedAmount)
        throws FunctionException {
        Hosted h = hosted(fabricId);
        Checks.notNull(function, "function");
        Checks.notNull(cancelled, "cancelled");
        FabricEntry e = current.get(fabricId);
        if (!e.getSupportedFunctions().contains(function))
            throw new FunctionException("fabric " + fabricId + " (" + e.getModel() + ") does not run " + function
                + " (it runs: " + FunctionResolver.list(e.getSupportedFunctions()) + ')');
        checkAvailable(fabricId, function, "");
        AccelerationFunction impl = h.functions.get(function);
        if (impl == null)
            throw new IllegalStateException("fabric " + fabricId + " lists " + function + " but has no implementation "
                + "of it; start() resolves every function it lists");
        BooleanSupplier stop = () -> cancelled.getAsBoolean() || isOffline(fabricId);
        return new Call(fabricId, function, h, impl, FunctionContext.of(e, binding(h, e, reservedAmount), h.simulated,
            stop).withDecodeBudget(cfg.decodeBudget()));
    }

    /**
     * What a task that reserved {@code reservedAmount} of a reported fabric needs to use its device and no other:
     * the vendor's identifiers and the environment for a child process.
     *
     * @param reservedAmount units reserved (clamped to the fabric's count; 0 without a reservation)
     * @throws IllegalArgumentException when this agent reports no fabric {@code fabricId}
     */
    public DeviceBinding binding(UUID fabricId, long reservedAmount) {
        Hosted h = hosted(fabricId);
        return binding(h, current.get(fabricId), reservedAmount);
    }

    private static DeviceBinding binding(Hosted h, FabricEntry e, long reservedAmount) {
        return DeviceBinding.of(e, h.detected.vendor(), h.detected.handles(), h.simulated,
            Math.max(0, Math.min(e.getResourceCount(), reservedAmount)));
    }

    private boolean isOffline(UUID fabricId) {
        FabricEntry e = current.get(fabricId);
        return e == null || e.getStatus() == FabricStatus.OFFLINE;
    }

    private void checkAvailable(UUID fabricId, String function, String when) throws FabricUnavailableException {
        FabricEntry e = current.get(fabricId);
        if (e != null && e.getStatus() == FabricStatus.OFFLINE) {
            throw new FabricUnavailableException(fabricId, "fabric " + fabricId + " (" + e.getFabricType() + ' '
                + e.getModel() + ") went OFFLINE" + when + " (" + function + "): " + e.getStatusReason());
        }
    }

    private static byte[] run(AccelerationFunction impl, FunctionContext ctx, byte[] input) throws FunctionException {
        String where = " on fabric " + ctx.fabric().getFabricId() + " (" + ctx.fabric().getModel() + ')';
        byte[] out;
        try {
            out = impl.execute(ctx, input);
        }
        catch (RuntimeException ex) {
            throw new FunctionException("function " + impl.name() + " failed" + where + ": " + ex, ex);
        }
        if (out == null)
            throw new FunctionException("function " + impl.name() + where + ": returned null (expected: output "
                + "bytes; " + impl.getClass().getName() + " is faulty)");
        return out;
    }

    /** The speed factor of a reported fabric: its declared one, 1 for probed fabrics. */
    public double speedFactor(UUID fabricId) {
        return hosted(fabricId).speedFactor;
    }

    /** Whether a reported fabric is declared, so that it runs the CPU implementation of its functions. */
    public boolean isSimulated(UUID fabricId) {
        return hosted(fabricId).simulated;
    }

    private Hosted hosted(UUID fabricId) {
        Map<UUID, Hosted> ids = byId;
        Hosted h = fabricId == null ? null : ids.get(fabricId);
        if (h == null)
            throw new IllegalArgumentException("fabricId: " + fabricId + " (expected: one of the " + ids.size()
                + " fabrics agent " + agentName + " reports)");
        return h;
    }

    /** Registers a listener told of every change of the reported fabrics, and of every health check. */
    public void addListener(FabricListener listener) {
        listeners.add(listener);
    }

    /**
     * Injects a fault into a declared fabric: it reports {@code status} with the reason
     * {@code injected fault: <reason>} until {@link #clearFault}; returns once a health check has applied it (and
     * listeners have heard of it). Calls running on it when it turns OFFLINE end with {@link FabricUnavailableException}.
     *
     * @param fabric the declared fabric's name (as in {@link DeclaredFabric#getName()}) or its fabric id
     * @param status DEGRADED or OFFLINE
     * @return the fabric's id
     * @throws IllegalArgumentException naming the fabric when it is not a declared fabric of this agent, or naming
     *     the status when it is ONLINE
     */
    public UUID injectFault(String fabric, FabricStatus status, String reason) {
        UUID id = declaredFabricId(fabric);
        FabricFault f = FabricFault.of(status, reason, cfg.clock().instant());
        faults.put(id, f);
        LOG.log(Level.INFO, "agent " + agentName + ": fault injected into " + describe(id) + ": " + f);
        checkHealthNow();
        return id;
    }

    /**
     * Clears the fault of a declared fabric and returns once a health check has judged it afresh.
     *
     * @return whether it had a fault
     * @throws IllegalArgumentException when {@code fabric} is not a declared fabric of this agent
     */
    public boolean clearFault(String fabric) {
        UUID id = declaredFabricId(fabric);
        boolean had = faults.remove(id) != null;
        if (had)
            LOG.log(Level.INFO, "agent " + agentName + ": fault of " + describe(id) + " cleared");
        checkHealthNow();
        return had;
    }

    /** The injected faults by fabric id. */
    public Map<UUID, FabricFault> faults() {
        return Collections.unmodifiableMap(new TreeMap<>(faults));
    }

    /** The names of this agent's declared fabrics with their ids, sorted by name. */
    public Map<String, UUID> declaredFabrics() {
        Map<String, UUID> names = new TreeMap<>();
        byId.forEach((id, h) -> {
            if (h.detected.deviceKey().startsWith(DECLARED_PREFIX))
                names.put(h.detected.deviceKey().substring(DECLARED_PREFIX.length()), id);
        });
        return names;
    }

    private UUID declaredFabricId(String fabric) {
        Map<String, UUID> declared = declaredFabrics();
        if (fabric != null) {
            UUID byName = declared.get(fabric.trim());
            if (byName != null)
                return byName;
            for (UUID id : declared.values()) {
                if (id.toString().equalsIgnoreCase(fabric.trim()))
                    return id;
            }
        }
        throw new IllegalArgumentException("fabric: '" + fabric + "' (expected: the name or id of a declared fabric "
            + "of agent " + agentName + "; declared: " + (declared.isEmpty() ? "none" : String.join(", ",
            declared.keySet())) + ")");
    }

    private String describe(UUID id) {
        FabricEntry e = current.get(id);
        return e == null ? id.toString() : id + " (" + e.getFabricType() + ' ' + e.getModel() + ')';
    }

    /** Runs a health check on the health thread now and waits for it, so the caller sees its result. */
    private void checkHealthNow() {
        ScheduledExecutorService h;
        synchronized (this) {
            h = stopped ? null : health;
        }
        if (h == null) {
            checkHealth();
            return;
        }
        try {
            h.submit(this::checkHealthGuarded).get(FAULT_WAIT_MS, TimeUnit.MILLISECONDS);
        }
        catch (RejectedExecutionException | java.util.concurrent.CancellationException stopping) {
            // The agent is stopping: nothing to report any more.
        }
        catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.log(Level.WARNING, "agent " + agentName + ": health check after a fault change did not finish within "
                + FAULT_WAIT_MS + " ms (" + e + "); the next scheduled check applies it");
        }
        catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void checkHealthGuarded() {
        try {
            checkHealth();
        }
        catch (RuntimeException e) {
            String msg = "agent " + agentName + ": health check failed (the next one retries): " + e;
            if (healthFailures.add(msg))
                LOG.log(Level.WARNING, msg, e);
            else
                LOG.log(Level.DEBUG, msg);
        }
    }

    /**
     * Runs one health check now: re-runs the probes, judges every fabric by the {@link HealthPolicy}, tells
     * listeners of any change, then of the check itself. The agent's own schedule calls it every interval; tests
     * call it to check at a moment of their choosing.
     */
    public void checkHealth() {
        synchronized (healthLock) {
            if (byId.isEmpty())
                return;
            ProbeRunner.Round round = runner.run(cfg.probes());
            round.outcomes().forEach((probe, o) -> probeFailures.put(probe, o.answered() ? 0
                : probeFailures.getOrDefault(probe, 0) + 1));
            Map<String, DetectedFabric> seen = new HashMap<>();
            for (DetectedFabric d : InventoryMerger.merge(round.sightings()))
                seen.put(d.claimKey(), d);
            Map<UUID, FabricEntry> next = new LinkedHashMap<>();
            Set<String> reportedKeys = new java.util.HashSet<>();
            boolean changed = false;
            for (FabricEntry e : fabrics) {
                Hosted h = byId.get(e.getFabricId());
                reportedKeys.add(h.detected.claimKey());
                HealthCheck.Verdict v = HealthCheck.judge(h.detected, seen.get(h.detected.claimKey()),
                    round.outcomes().get(h.detected.source()), probeFailures.getOrDefault(h.detected.source(), 0),
                    h.errors.snapshot(System.nanoTime()), faults.get(e.getFabricId()), cfg.health());
                String broken = openCl == null ? null : openCl.failure(e.getFabricId());
                if (broken != null && faults.get(e.getFabricId()) == null)
                    v = new HealthCheck.Verdict(FabricStatus.OFFLINE, broken);
                FabricEntry n = e;
                if (v.status != e.getStatus() || !v.reason.equals(e.getStatusReason())) {
                    n = e.withStatus(v.status, v.reason, cfg.clock().instant());
                    changed = true;
                    LOG.log(Level.INFO, "fabric " + e.getFabricId() + " (" + e.getFabricType() + ' ' + e.getModel()
                        + ") " + e.getStatus() + " -> " + v);
                }
                next.put(n.getFabricId(), n);
            }
            noteNewDevices(seen, reportedKeys);
            if (changed) {
                publish(next);
                listeners.forEach(l -> l.onFabricsChanged(fabrics));
            }
            List<FabricEntry> now = fabrics;
            listeners.forEach(l -> l.onHealthChecked(now));
        }
    }

    private void noteNewDevices(Map<String, DetectedFabric> seen, Set<String> reportedKeys) {
        for (DetectedFabric d : seen.values()) {
            if (!isCpu(d) && !reportedKeys.contains(d.claimKey()) && allowedQuietly(d)
                && announcedNewDevices.add(d.claimKey())) {
                LOG.log(Level.INFO, "agent " + agentName + ": new device " + d.deviceKey() + " (" + d.model()
                    + ") seen by probe " + d.source() + "; it is reported when this node restarts");
            }
        }
    }

    private void publish(Map<UUID, FabricEntry> entries) {
        current = Collections.unmodifiableMap(new HashMap<>(entries));
        fabrics = List.copyOf(entries.values());
    }

    static boolean isCpu(DetectedFabric d) {
        return d.fabricType() == FabricType.CPU && CPU_DEVICE_KEY.equals(d.deviceKey());
    }

    private boolean allowed(DetectedFabric d) {
        if (allowedQuietly(d))
            return true;
        LOG.log(Level.DEBUG, () -> "device " + d.deviceKey() + " not in the allow-list " + cfg.allowList());
        return false;
    }

    private boolean allowedQuietly(DetectedFabric d) {
        return cfg.allowList().allows(d.deviceKey(), d.claimKey());
    }

    private boolean claimed(DetectedFabric d) {
        try {
            if (claims.tryClaim(d.claimKey()) == DeviceClaims.Outcome.CLAIMED)
                return true;
            LOG.log(Level.INFO, "device " + d.deviceKey() + " (" + d.model() + ") belongs to another node on this "
                + "host [holder=" + claims.holderOf(d.claimKey()) + "]; not reported by " + agentName);
            return false;
        }
        catch (IOException | RuntimeException e) {
            if (!claimsUncoordinated) {
                claimsUncoordinated = true;
                LOG.log(Level.WARNING, "device claims folder " + claims.directory() + " not usable (" + e
                    + "); devices are taken without host-wide claims, so two nodes on this host may report one device");
            }
            return true;
        }
    }

    /** The stable id of a device: from the host and the device key; the CPU's from the host and the node's name. */
    private UUID fabricIdOf(DetectedFabric d) {
        return HostIdentity.fabricId(cfg.hostId(), isCpu(d) ? CPU_DEVICE_KEY + '|' + stableName : d.deviceKey());
    }

    private FabricEntry toEntry(UUID id, DetectedFabric d, Map<String, AccelerationFunction> functions) {
        Map<String, FunctionImplementation> fns = new java.util.TreeMap<>();
        functions.forEach((name, impl) -> fns.put(name, implementationOf(d, isCpu(d), impl)));
        return FabricEntry.builder()
            .fabricId(id)
            .nodeId(cfg.nodeId())
            .agentAddress(agentAddress())
            .site(d.site().orElse(cfg.site()))
            .fabricType(d.fabricType())
            .model(d.model())
            .resourceUnit(d.resourceUnit())
            .resourceCount(d.resourceCount())
            .resourceFree(d.resourceFree())
            .latencyMs(d.latencyMs())
            .speedFactor(d.speedFactor())
            .deviceKey(d.deviceKey())
            .pciAddress(d.pciAddress().orElse(""))
            .driver(d.driver())
            .functions(fns)
            .features(d.features())
            .status(d.status())
            .statusReason(d.statusReason())
            .updatedAt(cfg.clock().instant())
            .build();
    }

    /**
     * How a device serves a function before any measurement: a declared fabric at its declared speed; the host CPU's
     * Java code as the reference (speed 1); anything else unmeasured, speed 1 assumed until calibration.
     */
    private static FunctionImplementation implementationOf(DetectedFabric d, boolean hostCpu,
        AccelerationFunction impl) {
        if (d.simulated())
            return FunctionImplementation.of(impl.runtime(), impl.implementation(), d.speedFactor(),
                SpeedSource.DECLARED);
        if (hostCpu && impl.runtime() == FabricRuntime.JAVA)
            return FunctionImplementation.of(impl.runtime(), impl.implementation(), 1.0, SpeedSource.REFERENCE);
        return FunctionImplementation.of(impl.runtime(), impl.implementation(), 1.0, SpeedSource.UNMEASURED);
    }

    private static String summary(List<FabricEntry> list) {
        StringBuilder sb = new StringBuilder();
        for (FabricEntry e : list) {
            if (sb.length() > 0)
                sb.append(", ");
            sb.append(e.getFabricType()).append(' ').append(e.getModel());
        }
        return sb.toString();
    }
}
