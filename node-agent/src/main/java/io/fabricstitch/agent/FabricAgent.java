package io.fabricstitch.agent;

import io.fabricstitch.agent.internal.DeviceClaims;
import io.fabricstitch.agent.internal.HostIdentity;
import io.fabricstitch.agent.internal.InventoryMerger;
import io.fabricstitch.agent.internal.ProbeRunner;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The per-node agent: probes the host's accelerators, claims each device for this node (so several nodes on one host
 * never report a device twice), and reports one {@link FabricEntry} per device plus one CPU fabric for the node.
 * <p>
 * Lifecycle: {@link #start()} once, then {@link #stop()}. The agent knows nothing of Ignite; the plugin adapts it.
 */
public final class FabricAgent implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FabricAgent.class.getName());

    /** Device key every CPU probe reports; the CPU fabric is one per node and never claimed. */
    public static final String CPU_DEVICE_KEY = "cpu";

    /** Most nodes of one host that get a slot name when they have no stable name of their own. */
    static final int MAX_NODE_SLOTS = 64;

    private final AgentConfiguration cfg;
    private final String agentName;
    private final DeviceClaims claims;
    private final ProbeRunner runner = new ProbeRunner();
    private final List<FabricListener> listeners = new CopyOnWriteArrayList<>();
    private volatile List<FabricEntry> fabrics = List.of();
    private boolean started;
    private boolean claimsUncoordinated;

    public FabricAgent(AgentConfiguration cfg) {
        this.cfg = cfg;
        String named = cfg.agentName();
        DeviceClaims c = new DeviceClaims(cfg.claimDirectory(), named != null ? named : "node " + cfg.nodeId());
        this.agentName = named != null ? named : claimSlot(c, cfg.nodeId());
        this.claims = c;
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
     */
    public synchronized List<FabricEntry> start() {
        if (started)
            throw new IllegalStateException("agent " + agentName + " already started");
        started = true;
        List<FabricEntry> found = new ArrayList<>();
        for (DetectedFabric d : InventoryMerger.merge(runner.runAll(cfg.probes()))) {
            if (isCpu(d) || (allowed(d) && claimed(d)))
                found.add(toEntry(d));
        }
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

    private FabricEntry toEntry(DetectedFabric d) {
        String identity = isCpu(d) ? CPU_DEVICE_KEY + '|' + agentName : d.deviceKey();
        Set<String> functions = d.supportedFunctions().isEmpty() ? cfg.defaultFunctions(d.fabricType())
            : d.supportedFunctions();
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
