package io.fabricstitch.agent;

import io.fabricstitch.agent.internal.DeviceClaims;
import io.fabricstitch.agent.internal.HostIdentity;
import io.fabricstitch.agent.internal.InventoryMerger;
import io.fabricstitch.agent.internal.ProbeRunner;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.FunctionRegistry;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/**
 * The per-node agent: probes the host's accelerators, claims each device for this node (so several nodes on one host
 * never report a device twice), and reports one {@link FabricEntry} per device plus one CPU fabric for the node.
 * <p>
 * Lifecycle: {@link #start()} once, then {@link #stop()}. The agent knows nothing of Ignite; the plugin adapts it.
 * <p>
 * {@link #execute} runs a function on one of the reported fabrics through the configured {@link FunctionRegistry}.
 * Declared fabrics are simulated: they run the CPU implementation when none exists for their type, paced by their
 * speed factor.
 */
public final class FabricAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FabricAgent.class.getName());

    /** Device key every CPU probe reports; the CPU fabric is one per node and never claimed. */
    public static final String CPU_DEVICE_KEY = "cpu";

    /** Device-key prefix of {@link DeclaredFabric}s. */
    static final String DECLARED_PREFIX = "declared:";

    /** Most nodes of one host that get a slot name when they have no stable name of their own. */
    static final int MAX_NODE_SLOTS = 64;

    private final AgentConfiguration cfg;
    private final String agentName;
    private final DeviceClaims claims;
    private final ProbeRunner runner = new ProbeRunner();
    private final List<FabricListener> listeners = new CopyOnWriteArrayList<>();
    private final SpeedPacer pacer;
    private volatile List<FabricEntry> fabrics = List.of();
    private volatile Map<UUID, Hosted> byId = Map.of();
    private boolean started;
    private boolean claimsUncoordinated;

    public FabricAgent(AgentConfiguration cfg) {
        this.cfg = cfg;
        String named = cfg.agentName();
        DeviceClaims c = new DeviceClaims(cfg.claimDirectory(), named != null ? named : "node " + cfg.nodeId());
        this.agentName = named != null ? named : claimSlot(c, cfg.nodeId());
        this.claims = c;
        this.pacer = new SpeedPacer(cfg.nanoTime());
    }

    /** A reported fabric and how its functions run. */
    private static final class Hosted {
        final FabricEntry entry;
        final boolean simulated;
        final double speedFactor;

        Hosted(FabricEntry entry, DetectedFabric d) {
            this.entry = entry;
            this.simulated = d.simulated();
            this.speedFactor = d.speedFactor();
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
     * Probes, claims and reports the host's fabrics.
     *
     * @return the fabrics this node now reports
     * @throws IllegalStateException when started twice
     * @throws IllegalArgumentException when a fabric names a function the registry cannot run on it, naming both
     */
    public synchronized List<FabricEntry> start() {
        if (started)
            throw new IllegalStateException("agent " + agentName + " already started");
        started = true;
        List<DetectedFabric> devices = InventoryMerger.merge(runner.runAll(cfg.probes()));
        List<Set<String>> functions = new ArrayList<>(devices.size());
        for (DetectedFabric d : devices)
            functions.add(functionsOf(d));
        List<FabricEntry> found = new ArrayList<>();
        Map<UUID, Hosted> ids = new HashMap<>();
        for (int i = 0; i < devices.size(); i++) {
            DetectedFabric d = devices.get(i);
            if (isCpu(d) || (allowed(d) && claimed(d))) {
                FabricEntry e = toEntry(d, functions.get(i));
                found.add(e);
                ids.put(e.getFabricId(), new Hosted(e, d));
            }
        }
        byId = Map.copyOf(ids);
        fabrics = List.copyOf(found);
        LOG.log(Level.INFO, "agent " + agentName + " reports " + fabrics.size() + " fabric(s): "
            + summary(fabrics));
        listeners.forEach(l -> l.onFabricsChanged(fabrics));
        return fabrics;
    }

    /** Releases the device claims. Idempotent. */
    @Override
    public synchronized void close() {
        stop();
    }

    /** Releases the device claims; other nodes of the host may then claim the devices. Idempotent. */
    public synchronized void stop() {
        claims.releaseAll();
    }

    /** The fabrics this agent reports now. */
    public List<FabricEntry> fabrics() {
        return fabrics;
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

    /** The configuration this agent runs with. */
    public AgentConfiguration configuration() {
        return cfg;
    }

    /** The functions this agent's fabrics run. */
    public FunctionRegistry functionRegistry() {
        return cfg.functionRegistry();
    }

    /**
     * Runs {@code function} on a reported fabric: the registry's implementation for the fabric's type, or on a
     * declared (simulated) fabric the CPU one. A declared fabric with a speed factor below 1 holds the call until
     * {@code compute time / speedFactor} has passed.
     *
     * @param cancelled polled while the function runs and while the call is held
     * @return the function's output
     * @throws IllegalArgumentException when this agent reports no fabric {@code fabricId}
     * @throws FunctionException when the fabric does not list the function, the function refuses the input or
     *     fails, or the call is cancelled ({@link io.fabricstitch.function.FunctionCancelledException})
     */
    public byte[] execute(UUID fabricId, String function, byte[] input, BooleanSupplier cancelled)
        throws FunctionException {
        Hosted h = hosted(fabricId);
        Checks.notNull(function, "function");
        Checks.notNull(input, "input");
        FabricEntry e = h.entry;
        if (!e.getSupportedFunctions().contains(function))
            throw new FunctionException("fabric " + fabricId + " (" + e.getModel() + ") does not run " + function
                + " (it runs: " + list(e.getSupportedFunctions()) + ')');
        AccelerationFunction impl = cfg.functionRegistry().implementation(function, e.getFabricType(), h.simulated)
            .orElseThrow(() -> new IllegalStateException("fabric " + fabricId + " lists " + function
                + " but the registry has no implementation for it; start() checks this"));
        FunctionContext ctx = FunctionContext.of(e, h.simulated, Checks.notNull(cancelled, "cancelled"));
        ctx.checkCancelled();
        long start = pacer.now();
        byte[] out = run(impl, ctx, input);
        pacer.hold(start, pacer.now() - start, h.speedFactor, ctx);
        return out;
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

    /** Registers a listener told of every change of the reported fabrics. */
    public void addListener(FabricListener listener) {
        listeners.add(listener);
    }

    private static boolean isCpu(DetectedFabric d) {
        return d.fabricType() == FabricType.CPU && CPU_DEVICE_KEY.equals(d.deviceKey());
    }

    private boolean allowed(DetectedFabric d) {
        if (cfg.allowList().allows(d.deviceKey(), d.claimKey()))
            return true;
        LOG.log(Level.DEBUG, () -> "device " + d.deviceKey() + " not in the allow-list " + cfg.allowList());
        return false;
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

    /**
     * The functions a device runs: those it lists (each must have an implementation for it) or the configuration's
     * defaults for its type.
     */
    private Set<String> functionsOf(DetectedFabric d) {
        if (d.supportedFunctions().isEmpty())
            return cfg.defaultFunctions(d.fabricType());
        FunctionRegistry registry = cfg.functionRegistry();
        for (String fn : d.supportedFunctions()) {
            if (registry.implementation(fn, d.fabricType(), d.simulated()).isPresent())
                continue;
            String what = d.deviceKey().startsWith(DECLARED_PREFIX)
                ? "declared fabric '" + d.deviceKey().substring(DECLARED_PREFIX.length()) + '\''
                : "fabric " + d.deviceKey() + " (" + d.model() + ')';
            if (!registry.contains(fn))
                throw new IllegalArgumentException(what + ": functions element '" + fn + "' is not a registered "
                    + "function (registered: " + list(registry.names()) + ')');
            throw new IllegalArgumentException(what + ": functions element '" + fn + "' has no implementation for "
                + d.fabricType() + (d.simulated() ? " or CPU" : "") + " (implemented for: "
                + list(registry.typesOf(fn)) + ')');
        }
        return d.supportedFunctions();
    }

    private static String list(Set<?> values) {
        return values.isEmpty() ? "none" : values.stream().map(String::valueOf).collect(Collectors.joining(", "));
    }

    private FabricEntry toEntry(DetectedFabric d, Set<String> functions) {
        String identity = isCpu(d) ? CPU_DEVICE_KEY + '|' + agentName : d.deviceKey();
        return FabricEntry.builder()
            .fabricId(HostIdentity.fabricId(cfg.hostId(), identity))
            .nodeId(cfg.nodeId())
            .agentAddress(cfg.agentAddress())
            .site(d.site().orElse(cfg.site()))
            .fabricType(d.fabricType())
            .model(d.model())
            .resourceUnit(d.resourceUnit())
            .resourceCount(d.resourceCount())
            .resourceFree(d.resourceFree())
            .latencyMs(d.latencyMs())
            .supportedFunctions(functions)
            .features(d.features())
            .status(d.status())
            .statusReason(d.statusReason())
            .updatedAt(cfg.clock().instant())
            .build();
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
