package io.fabricstitch.model;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import com.fasterxml.jackson.databind.annotation.JsonPOJOBuilder;
import io.fabricstitch.internal.Checks;
import java.io.Serializable;
import java.time.Instant;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.SortedMap;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * One schedulable accelerator: a GPU, an FPGA card or region, an ASIC, or the host CPU as fallback.
 * <p>
 * Immutable and validated on construction: every violation names the field, what was found and what is accepted.
 * Build with {@link #builder()}; derive changed copies with {@link #toBuilder()} or {@link #withStatus}.
 * Resources are counted in the fabric's own {@link #getResourceUnit() unit} (for example {@code MiB} of GPU memory,
 * FPGA {@code slices} or {@code regions}, CPU {@code cores}).
 */
@JsonDeserialize(builder = FabricEntry.Builder.class)
@JsonPropertyOrder({"fabricId", "nodeId", "agentAddress", "site", "fabricType", "model", "resourceUnit",
    "resourceCount", "resourceFree", "latencyMs", "speedFactor", "deviceKey", "pciAddress", "driver", "functions",
    "features", "status", "statusReason", "updatedAt"})
public final class FabricEntry implements Serializable {
    private static final long serialVersionUID = 2L;

    /** Longest model string kept. */
    public static final int MAX_MODEL_LENGTH = 256;

    /** Largest {@link #getSpeedFactor()}. */
    public static final double MAX_SPEED_FACTOR = 1000;

    /** Longest status reason kept. */
    public static final int MAX_REASON_LENGTH = 512;

    /** Longest device key and driver text kept. */
    public static final int MAX_DEVICE_TEXT_LENGTH = 256;

    /** Canonical PCI address: domain:bus:device.function, lower case. */
    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    /** {@code host:port} with a host name, an IPv4 address or a bracketed IPv6 address; port 0 means not bound yet. */
    private static final Pattern ADDRESS = Pattern.compile("(\\[[0-9A-Fa-f:.]+]|[A-Za-z0-9][A-Za-z0-9.-]{0,252}):(\\d{1,5})");

    private final UUID fabricId;
    private final UUID nodeId;
    private final String agentAddress;
    private final String site;
    private final FabricType fabricType;
    private final String model;
    private final String resourceUnit;
    private final long resourceCount;
    private final long resourceFree;
    private final double latencyMs;
    private final double speedFactor;
    private final String deviceKey;
    private final String pciAddress;
    private final String driver;
    private final SortedMap<String, FunctionImplementation> functions;
    private final SortedSet<String> supportedFunctions;
    private final SortedSet<String> features;
    private final FabricStatus status;
    private final String statusReason;
    private final Instant updatedAt;

    private FabricEntry(Builder b) {
        fabricId = Checks.notNull(b.fabricId, "fabricId");
        nodeId = Checks.notNull(b.nodeId, "nodeId");
        agentAddress = checkAddress(b.agentAddress);
        site = Checks.name(b.site, "site");
        fabricType = Checks.notNull(b.fabricType, "fabricType");
        model = Checks.notBlank(b.model, "model", MAX_MODEL_LENGTH);
        resourceUnit = Checks.name(b.resourceUnit, "resourceUnit");
        resourceCount = Checks.inRange(b.resourceCount, 1, Long.MAX_VALUE, "resourceCount");
        resourceFree = Checks.inRange(b.resourceFree, 0, resourceCount, "resourceFree");
        latencyMs = Checks.nonNegative(b.latencyMs, "latencyMs");
        speedFactor = Checks.positiveAtMost(b.speedFactor, MAX_SPEED_FACTOR, "speedFactor");
        deviceKey = text(b.deviceKey, "deviceKey");
        pciAddress = checkPci(b.pciAddress);
        driver = text(b.driver, "driver");
        functions = functions(b.functions);
        supportedFunctions = Collections.unmodifiableSortedSet(new TreeSet<>(functions.keySet()));
        features = names(b.features, "features");
        status = Checks.notNull(b.status, "status");
        statusReason = checkReason(status, b.statusReason);
        updatedAt = Checks.notNull(b.updatedAt, "updatedAt");
    }

    private static String checkAddress(String address) {
        Checks.notNull(address, "agentAddress");
        var m = ADDRESS.matcher(address);
        if (!m.matches() || Integer.parseInt(m.group(2)) > 65535)
            throw new IllegalArgumentException("agentAddress: '" + address
                + "' (expected: host:port with port 0..65535, IPv6 hosts in brackets)");
        return address;
    }

    private static String checkReason(FabricStatus status, String reason) {
        if (reason == null || reason.isBlank()) {
            if (status != FabricStatus.ONLINE)
                throw new IllegalArgumentException("statusReason: '" + reason + "' (expected: a reason when status is "
                    + status + ")");
            return "";
        }
        String r = reason.trim();
        return r.length() > MAX_REASON_LENGTH ? r.substring(0, MAX_REASON_LENGTH) : r;
    }

    private static String text(String value, String field) {
        if (value == null || value.isBlank())
            return "";
        String v = value.strip();
        if (v.length() > MAX_DEVICE_TEXT_LENGTH)
            throw new IllegalArgumentException(field + ": " + v.length() + " characters (expected: at most "
                + MAX_DEVICE_TEXT_LENGTH + ")");
        return v;
    }

    private static String checkPci(String address) {
        if (address == null || address.isBlank())
            return "";
        if (!PCI_ADDRESS.matcher(address).matches())
            throw new IllegalArgumentException("pciAddress: '" + address + "' (expected: empty, or domain:bus:device"
                + ".function in lower case, e.g. 0000:3b:00.0)");
        return address;
    }

    private static SortedMap<String, FunctionImplementation> functions(Map<String, FunctionImplementation> values) {
        if (values == null || values.isEmpty())
            return Collections.emptySortedMap();
        SortedMap<String, FunctionImplementation> map = new TreeMap<>();
        values.forEach((name, impl) -> map.put(Checks.name(name, "functions key"),
            Checks.notNull(impl, "functions[" + name + "]")));
        return Collections.unmodifiableSortedMap(map);
    }

    private static SortedSet<String> names(Collection<String> values, String field) {
        if (values == null || values.isEmpty())
            return Collections.emptySortedSet();
        TreeSet<String> set = new TreeSet<>();
        for (String v : values)
            set.add(Checks.name(v, field + " element"));
        return Collections.unmodifiableSortedSet(set);
    }

    /** Starts an empty builder; status defaults to ONLINE, latency to 0 ms. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this entry's values. */
    public Builder toBuilder() {
        return new Builder()
            .fabricId(fabricId).nodeId(nodeId).agentAddress(agentAddress).site(site).fabricType(fabricType)
            .model(model).resourceUnit(resourceUnit).resourceCount(resourceCount).resourceFree(resourceFree)
            .latencyMs(latencyMs).speedFactor(speedFactor).deviceKey(deviceKey).pciAddress(pciAddress).driver(driver)
            .functions(functions).features(features).status(status).statusReason(statusReason).updatedAt(updatedAt);
    }

    /** A copy with another status and reason, updated at {@code at}. */
    public FabricEntry withStatus(FabricStatus newStatus, String reason, Instant at) {
        return toBuilder().status(newStatus).statusReason(reason).updatedAt(at).build();
    }

    /** Stable identity of the device across restarts (derived from host and device identity). */
    public UUID getFabricId() {
        return fabricId;
    }

    /** The Ignite node whose agent hosts this fabric. */
    public UUID getNodeId() {
        return nodeId;
    }

    /** {@code host:port} of the agent's data-path endpoint; port 0 while none is bound. */
    public String getAgentAddress() {
        return agentAddress;
    }

    /** Network segment or site label; fabrics on the same site share a direct path. */
    public String getSite() {
        return site;
    }

    /** GPU, FPGA, ASIC or CPU. */
    public FabricType getFabricType() {
        return fabricType;
    }

    /** What the probe read, for example {@code NVIDIA H100 80GB HBM3}. */
    public String getModel() {
        return model;
    }

    /** The unit resources are counted in: {@code MiB}, {@code slices}, {@code regions}, {@code cores}, ... */
    public String getResourceUnit() {
        return resourceUnit;
    }

    /** Total resources, in {@link #getResourceUnit()}; at least 1. */
    public long getResourceCount() {
        return resourceCount;
    }

    /** Free resources, in {@link #getResourceUnit()}; {@code 0..resourceCount}. */
    public long getResourceFree() {
        return resourceFree;
    }

    /**
     * The fabric's own latency beyond its node's network, in milliseconds: a declared (simulated) distance, 0 for
     * probed devices. The cost function adds the round trip measured from the task's origin to the fabric's node.
     */
    public double getLatencyMs() {
        return latencyMs;
    }

    /**
     * How fast the fabric computes relative to the host CPU running the same code, {@code (0, 1000]}: a declared
     * fabric's configured factor; for a probed device, the geometric mean of the speeds its agent measured for its
     * functions (1 while none is measured, and for the host CPU, the reference). A task that names a function is
     * weighed by {@link #speedFor(String)}; partitioned tasks share work in proportion to it.
     */
    public double getSpeedFactor() {
        return speedFactor;
    }

    /**
     * The fabric's speed for {@code function}: what its agent measured or was configured with for that function,
     * else {@link #getSpeedFactor()} (also for a null function: a closure).
     */
    public double speedFor(String function) {
        FunctionImplementation f = function == null ? null : functions.get(function);
        return f == null || f.speedFactor() == 0 ? speedFactor : f.speedFactor();
    }

    /** The device's identity on its host ({@code nvidia:GPU-...}, {@code opencl:...}, {@code cpu}); may be empty. */
    public String getDeviceKey() {
        return deviceKey;
    }

    /** The device's PCI address, {@code 0000:3b:00.0}; empty when it has none (a CPU, a declared fabric). */
    public String getPciAddress() {
        return pciAddress;
    }

    /** The driver version its probe read (nvidia-smi's, the OpenCL driver's); empty when unknown. */
    public String getDriver() {
        return driver;
    }

    /** Names of the acceleration functions this fabric can run, sorted. */
    @JsonIgnore
    public SortedSet<String> getSupportedFunctions() {
        return supportedFunctions;
    }

    /** The functions this fabric runs, by name, each with its runtime, implementation and speed. */
    public SortedMap<String, FunctionImplementation> getFunctions() {
        return functions;
    }

    /**
     * The runtimes that execute this fabric's functions, in the order JAVA, OPENCL, PROCESS, comma-separated
     * ({@code OPENCL}, {@code OPENCL,PROCESS}); empty when it runs none.
     */
    @JsonIgnore
    public String getRuntime() {
        java.util.EnumSet<FabricRuntime> set = java.util.EnumSet.noneOf(FabricRuntime.class);
        functions.values().forEach(f -> set.add(f.runtime()));
        StringBuilder sb = new StringBuilder();
        for (FabricRuntime r : set)
            sb.append(sb.length() == 0 ? "" : ",").append(r.name());
        return sb.toString();
    }

    /** Device features the probe read (SIMD flags, driver version, manager state), sorted. */
    public SortedSet<String> getFeatures() {
        return features;
    }

    /** ONLINE, DEGRADED or OFFLINE. */
    public FabricStatus getStatus() {
        return status;
    }

    /** Why the status is what it is; empty for a plain ONLINE. */
    public String getStatusReason() {
        return statusReason;
    }

    /** When this entry was last reported. */
    public Instant getUpdatedAt() {
        return updatedAt;
    }

    /** Resources in use: {@code resourceCount - resourceFree}. */
    @JsonIgnore
    public long getResourceUsed() {
        return resourceCount - resourceFree;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof FabricEntry))
            return false;
        FabricEntry e = (FabricEntry)o;
        return resourceCount == e.resourceCount && resourceFree == e.resourceFree
            && Double.compare(latencyMs, e.latencyMs) == 0 && Double.compare(speedFactor, e.speedFactor) == 0
            && fabricId.equals(e.fabricId) && nodeId.equals(e.nodeId)
            && agentAddress.equals(e.agentAddress) && site.equals(e.site) && fabricType == e.fabricType
            && model.equals(e.model) && resourceUnit.equals(e.resourceUnit) && deviceKey.equals(e.deviceKey)
            && pciAddress.equals(e.pciAddress) && driver.equals(e.driver)
            && functions.equals(e.functions) && features.equals(e.features) && status == e.status
            && statusReason.equals(e.statusReason) && updatedAt.equals(e.updatedAt);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fabricId, nodeId, status, resourceFree, updatedAt);
    }

    @Override
    public String toString() {
        return "FabricEntry [fabricId=" + fabricId + ", type=" + fabricType + ", model=" + model + ", site=" + site
            + ", resources=" + resourceFree + '/' + resourceCount + ' ' + resourceUnit + ", status=" + status
            + (statusReason.isEmpty() ? "" : " (" + statusReason + ')') + ", nodeId=" + nodeId
            + (deviceKey.isEmpty() ? "" : ", device=" + deviceKey) + ", functions=" + functions.keySet()
            + (functions.isEmpty() ? "" : ", runtime=" + getRuntime()) + ']';
    }

    /** Collects and validates the fields of a {@link FabricEntry}; every check runs in {@link #build()}. */
    @JsonPOJOBuilder(withPrefix = "")
    public static final class Builder {
        private UUID fabricId;
        private UUID nodeId;
        private String agentAddress;
        private String site;
        private FabricType fabricType;
        private String model;
        private String resourceUnit;
        private long resourceCount;
        private long resourceFree;
        private double latencyMs;
        private double speedFactor = 1.0;
        private String deviceKey;
        private String pciAddress;
        private String driver;
        private Map<String, FunctionImplementation> functions;
        private Collection<String> features;
        private FabricStatus status = FabricStatus.ONLINE;
        private String statusReason;
        private Instant updatedAt;

        private Builder() {
        }

        public Builder fabricId(UUID fabricId) {
            this.fabricId = fabricId;
            return this;
        }

        public Builder nodeId(UUID nodeId) {
            this.nodeId = nodeId;
            return this;
        }

        public Builder agentAddress(String agentAddress) {
            this.agentAddress = agentAddress;
            return this;
        }

        public Builder site(String site) {
            this.site = site;
            return this;
        }

        public Builder fabricType(FabricType fabricType) {
            this.fabricType = fabricType;
            return this;
        }

        public Builder model(String model) {
            this.model = model;
            return this;
        }

        public Builder resourceUnit(String resourceUnit) {
            this.resourceUnit = resourceUnit;
            return this;
        }

        public Builder resourceCount(long resourceCount) {
            this.resourceCount = resourceCount;
            return this;
        }

        public Builder resourceFree(long resourceFree) {
            this.resourceFree = resourceFree;
            return this;
        }

        public Builder latencyMs(double latencyMs) {
            this.latencyMs = latencyMs;
            return this;
        }

        public Builder speedFactor(double speedFactor) {
            this.speedFactor = speedFactor;
            return this;
        }

        /** The functions by name alone: each runs in Java at the fabric's own speed. Replaces {@link #functions}. */
        @JsonIgnore
        public Builder supportedFunctions(Collection<String> supportedFunctions) {
            if (supportedFunctions == null) {
                functions = null;
                return this;
            }
            Map<String, FunctionImplementation> map = new TreeMap<>();
            for (String fn : supportedFunctions)
                map.put(fn, FunctionImplementation.unspecified());
            functions = map;
            return this;
        }

        /** The functions with how each runs. Replaces {@link #supportedFunctions}. */
        public Builder functions(Map<String, FunctionImplementation> functions) {
            this.functions = functions == null ? null : new TreeMap<>(functions);
            return this;
        }

        public Builder deviceKey(String deviceKey) {
            this.deviceKey = deviceKey;
            return this;
        }

        public Builder pciAddress(String pciAddress) {
            this.pciAddress = pciAddress;
            return this;
        }

        public Builder driver(String driver) {
            this.driver = driver;
            return this;
        }

        public Builder features(Collection<String> features) {
            this.features = features;
            return this;
        }

        public Builder status(FabricStatus status) {
            this.status = status;
            return this;
        }

        public Builder statusReason(String statusReason) {
            this.statusReason = statusReason;
            return this;
        }

        public Builder updatedAt(Instant updatedAt) {
            this.updatedAt = updatedAt;
            return this;
        }

        /**
         * @throws IllegalArgumentException naming the first invalid field, the value and the accepted range
         */
        public FabricEntry build() {
            return new FabricEntry(this);
        }
    }
}
