package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import io.fabricstitch.model.FunctionImplementation;
import java.sql.Timestamp;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import org.apache.ignite.cache.query.annotations.QuerySqlField;

/**
 * A row of {@code FABRIC.FABRIC_ENTRY}: the cache form of a {@link FabricEntry}, with SQL-friendly column types
 * (VARCHAR for enums, TIMESTAMP for instants) so that any SQL client reads it without our classes. A plain class with
 * final-free fields: Ignite's binary marshaller cannot fill records. Not API.
 */
public final class FabricRow {
    @QuerySqlField(name = "FABRIC_ID", notNull = true)
    private UUID fabricId;

    @QuerySqlField(name = "NODE_ID", index = true, notNull = true)
    private UUID nodeId;

    /** The node's consistent id, as in {@code SYS.NODES}, for people reading the map. */
    @QuerySqlField(name = "NODE_NAME", index = true)
    private String nodeName;

    @QuerySqlField(name = "AGENT_ADDRESS")
    private String agentAddress;

    @QuerySqlField(name = "SITE", index = true)
    private String site;

    @QuerySqlField(name = "FABRIC_TYPE", index = true)
    private String fabricType;

    @QuerySqlField(name = "MODEL")
    private String model;

    @QuerySqlField(name = "RESOURCE_UNIT")
    private String resourceUnit;

    @QuerySqlField(name = "RESOURCE_COUNT")
    private long resourceCount;

    @QuerySqlField(name = "RESOURCE_FREE")
    private long resourceFree;

    @QuerySqlField(name = "LATENCY_MS")
    private double latencyMs;

    /** Speed relative to the host CPU running the same code: the fabric's own (per function: FABRIC_FUNCTION). */
    @QuerySqlField(name = "SPEED_FACTOR")
    private double speedFactor;

    /** The runtimes of its functions, comma-separated in the order JAVA, OPENCL, PROCESS; null when it runs none. */
    @QuerySqlField(name = "RUNTIME")
    private String runtime;

    /** The device's identity on its host ({@code nvidia:GPU-...}, {@code declared:gpu-0}, {@code cpu}); or null. */
    @QuerySqlField(name = "DEVICE_KEY")
    private String deviceKey;

    /** The device's PCI address ({@code 0000:3b:00.0}); null when it has none. */
    @QuerySqlField(name = "PCI_ADDRESS")
    private String pciAddress;

    /** The driver version its probe read; null when unknown. */
    @QuerySqlField(name = "DRIVER")
    private String driver;

    @QuerySqlField(name = "STATUS", index = true)
    private String status;

    @QuerySqlField(name = "STATUS_REASON")
    private String statusReason;

    @QuerySqlField(name = "UPDATED_AT")
    private Timestamp updatedAt;

    /** Comma-separated features (SIMD flags, driver version, manager state). */
    @QuerySqlField(name = "FEATURES")
    private String features;

    /** For the marshaller. */
    public FabricRow() {
    }

    /** The row of {@code e}, reported by the node named {@code nodeName}. */
    public static FabricRow of(FabricEntry e, String nodeName) {
        FabricRow r = new FabricRow();
        r.fabricId = e.getFabricId();
        r.nodeId = e.getNodeId();
        r.nodeName = nodeName;
        r.agentAddress = e.getAgentAddress();
        r.site = e.getSite();
        r.fabricType = e.getFabricType().name();
        r.model = e.getModel();
        r.resourceUnit = e.getResourceUnit();
        r.resourceCount = e.getResourceCount();
        r.resourceFree = e.getResourceFree();
        r.latencyMs = e.getLatencyMs();
        r.speedFactor = e.getSpeedFactor();
        r.runtime = nullIfEmpty(e.getRuntime());
        r.deviceKey = nullIfEmpty(e.getDeviceKey());
        r.pciAddress = nullIfEmpty(e.getPciAddress());
        r.driver = nullIfEmpty(e.getDriver());
        r.status = e.getStatus().name();
        r.statusReason = e.getStatusReason();
        r.updatedAt = Timestamp.from(e.getUpdatedAt());
        r.features = String.join(",", e.getFeatures());
        return r;
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /**
     * The entry this row stands for, with the functions of {@code FABRIC_FUNCTION} and how it runs each ({@link
     * FabricFunctionRow#implementation()}); {@code RUNTIME} follows from them.
     */
    public FabricEntry toEntry(Map<String, FunctionImplementation> functions) {
        return FabricEntry.builder().fabricId(fabricId).nodeId(nodeId).agentAddress(agentAddress).site(site)
            .fabricType(FabricType.parse(fabricType)).model(model).resourceUnit(resourceUnit)
            .resourceCount(resourceCount).resourceFree(resourceFree).latencyMs(latencyMs)
            .speedFactor(speedFactor <= 0 ? 1.0 : speedFactor).deviceKey(deviceKey).pciAddress(pciAddress)
            .driver(driver).functions(functions).features(features == null || features.isEmpty() ? List.of()
                : Arrays.asList(features.split(",")))
            .status(FabricStatus.parse(status)).statusReason(statusReason).updatedAt(updatedAt.toInstant()).build();
    }

    /** A copy marked {@code status} with {@code reason} at {@code at}. */
    public FabricRow withStatus(FabricStatus newStatus, String reason, Timestamp at) {
        FabricRow r = copy();
        r.status = newStatus.name();
        r.statusReason = reason;
        r.updatedAt = at;
        return r;
    }

    /** A copy with {@code free} resource units (clamped to 0..count). */
    public FabricRow withResourceFree(long free) {
        FabricRow r = copy();
        r.resourceFree = Math.max(0, Math.min(resourceCount, free));
        return r;
    }

    /**
     * True when {@code other} differs from this row at most in its free units and update time: nothing a scheduler
     * would see differently except load.
     */
    public boolean sameExceptLoad(FabricRow other) {
        return other != null && Objects.equals(fabricId, other.fabricId) && Objects.equals(nodeId, other.nodeId)
            && Objects.equals(site, other.site) && Objects.equals(fabricType, other.fabricType)
            && Objects.equals(model, other.model) && Objects.equals(resourceUnit, other.resourceUnit)
            && resourceCount == other.resourceCount && Double.compare(latencyMs, other.latencyMs) == 0
            && Double.compare(speedFactor, other.speedFactor) == 0 && Objects.equals(runtime, other.runtime)
            && Objects.equals(deviceKey, other.deviceKey) && Objects.equals(pciAddress, other.pciAddress)
            && Objects.equals(driver, other.driver) && Objects.equals(status, other.status)
            && Objects.equals(statusReason, other.statusReason) && Objects.equals(features, other.features);
    }

    /**
     * True when {@code other} differs from this row at most in its report time: a heartbeat, which no reader of the
     * map's structure or load needs to see.
     */
    public boolean sameExceptReportTime(FabricRow other) {
        return sameExceptLoad(other) && resourceFree == other.resourceFree && Objects.equals(nodeName, other.nodeName)
            && Objects.equals(agentAddress, other.agentAddress);
    }

    /**
     * True when {@code other} is this row as its agent reported it, whatever the orchestrator's free units and the
     * report time: what an agent holds the map to.
     */
    public boolean sameAsReported(FabricRow other) {
        return sameExceptLoad(other) && Objects.equals(nodeName, other.nodeName)
            && Objects.equals(agentAddress, other.agentAddress);
    }

    public long resourceCount() {
        return resourceCount;
    }

    public long resourceFree() {
        return resourceFree;
    }

    private FabricRow copy() {
        FabricRow r = new FabricRow();
        r.fabricId = fabricId;
        r.nodeId = nodeId;
        r.nodeName = nodeName;
        r.agentAddress = agentAddress;
        r.site = site;
        r.fabricType = fabricType;
        r.model = model;
        r.resourceUnit = resourceUnit;
        r.resourceCount = resourceCount;
        r.resourceFree = resourceFree;
        r.latencyMs = latencyMs;
        r.speedFactor = speedFactor;
        r.runtime = runtime;
        r.deviceKey = deviceKey;
        r.pciAddress = pciAddress;
        r.driver = driver;
        r.status = status;
        r.statusReason = statusReason;
        r.updatedAt = updatedAt;
        r.features = features;
        return r;
    }

    public UUID fabricId() {
        return fabricId;
    }

    public UUID nodeId() {
        return nodeId;
    }

    public String fabricType() {
        return fabricType;
    }

    /** {@code RUNTIME}, or null. */
    public String runtime() {
        return runtime;
    }

    public String nodeName() {
        return nodeName;
    }

    public String status() {
        return status;
    }

    public String statusReason() {
        return statusReason;
    }

    /** When the node last wrote this row: a change, not a heartbeat ({@code AGENT_HEARTBEAT} is that). */
    public Timestamp updatedAt() {
        return updatedAt;
    }

    /** {@link #updatedAt()} in epoch milliseconds. */
    public long updatedAtMillis() {
        return updatedAt == null ? 0 : updatedAt.getTime();
    }

    /** A copy reported at {@code at}. */
    public FabricRow withUpdatedAt(Timestamp at) {
        FabricRow r = copy();
        r.updatedAt = at;
        return r;
    }

    @Override
    public String toString() {
        return "FabricRow [fabricId=" + fabricId + ", node=" + nodeName + '/' + nodeId + ", type=" + fabricType
            + ", model=" + model + ", status=" + status + ", reason=" + statusReason + ']';
    }
}
