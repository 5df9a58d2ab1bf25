package io.fabricstitch.agent.probe;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.util.Collection;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * One device as a probe saw it, before the agent gives it a fabric id, a node and an address.
 * <p>
 * {@link #deviceKey()} identifies the device on this host (a GPU UUID, a PCI address, a declared name) and is the
 * source of the stable fabric id. {@link #pciAddress()}, when known, lets the agent recognise one device seen by two
 * probes and is what a node claims, so that two nodes on one host never both report it.
 */
public final class DetectedFabric {
    /** Canonical PCI address: domain:bus:device.function, lower case. */
    private static final Pattern PCI_ADDRESS = Pattern.compile("[0-9a-f]{4}:[0-9a-f]{2}:[0-9a-f]{2}\\.[0-7]");

    /** Largest {@link #speedFactor()}. */
    public static final double MAX_SPEED_FACTOR = 1000;

    private final String deviceKey;
    private final String pciAddress;
    private final String source;
    private final FabricType fabricType;
    private final String model;
    private final String resourceUnit;
    private final long resourceCount;
    private final long resourceFree;
    private final SortedSet<String> features;
    private final SortedSet<String> supportedFunctions;
    private final String site;
    private final FabricStatus status;
    private final String statusReason;
    private final Map<String, Double> readings;
    private final boolean simulated;
    private final double latencyMs;
    private final double speedFactor;
    private final String vendor;
    private final String driver;
    private final Map<String, String> handles;

    private DetectedFabric(Builder b) {
        deviceKey = Checks.notBlank(b.deviceKey, "deviceKey", 256);
        pciAddress = b.pciAddress == null ? null : normalizePciAddress(b.pciAddress);
        source = Checks.notBlank(b.source, "source", 64);
        fabricType = Checks.notNull(b.fabricType, "fabricType");
        model = Checks.notBlank(b.model, "model", 256);
        resourceUnit = Checks.name(b.resourceUnit, "resourceUnit");
        resourceCount = Checks.inRange(b.resourceCount, 1, Long.MAX_VALUE, "resourceCount");
        resourceFree = Checks.inRange(b.resourceFree == null ? resourceCount : b.resourceFree, 0, resourceCount,
            "resourceFree");
        features = sorted(b.features);
        supportedFunctions = sorted(b.supportedFunctions);
        site = b.site == null ? null : Checks.name(b.site, "site");
        status = Checks.notNull(b.status, "status");
        statusReason = b.statusReason == null ? "" : b.statusReason;
        readings = b.readings == null ? Map.of() : Map.copyOf(b.readings);
        simulated = b.simulated;
        latencyMs = Checks.nonNegative(b.latencyMs, "latencyMs");
        speedFactor = Checks.positiveAtMost(b.speedFactor, MAX_SPEED_FACTOR, "speedFactor");
        vendor = b.vendor == null ? "" : b.vendor.strip();
        driver = b.driver == null ? "" : b.driver.strip();
        handles = b.handles == null ? Map.of() : Map.copyOf(b.handles);
    }

    /**
     * Brings a PCI address to the sysfs form {@code 0000:3b:00.0}: lower case, a 4-digit domain (nvidia-smi prints
     * an 8-digit one, {@code 00000000:3B:00.0}).
     *
     * @throws IllegalArgumentException when it is not a PCI address
     */
    public static String normalizePciAddress(String address) {
        String a = address.trim().toLowerCase(Locale.ROOT);
        int firstColon = a.indexOf(':');
        if (firstColon > 4 && a.substring(0, firstColon - 4).chars().allMatch(c -> c == '0'))
            a = a.substring(firstColon - 4);
        else if (firstColon == 2)
            a = "0000:" + a;
        if (!PCI_ADDRESS.matcher(a).matches())
            throw new IllegalArgumentException("pciAddress: '" + address + "' (expected: domain:bus:device.function, "
                + "e.g. 0000:3b:00.0)");
        return a;
    }

    private static SortedSet<String> sorted(Collection<String> values) {
        return values == null || values.isEmpty() ? Collections.emptySortedSet()
            : Collections.unmodifiableSortedSet(new TreeSet<>(values));
    }

    /**
     * Starts a builder; status defaults to ONLINE, free resources to the count, latency to 0 ms, speed factor to 1
     * and simulated to false.
     */
    public static Builder builder() {
        return new Builder();
    }

    /** Identity of the device on this host, e.g. {@code nvidia:GPU-5c8b...}, {@code pci:0000:3b:00.0}. */
    public String deviceKey() {
        return deviceKey;
    }

    /** The device's PCI address in sysfs form, if known. */
    public Optional<String> pciAddress() {
        return Optional.ofNullable(pciAddress);
    }

    /** What a node claims to own this device: the PCI address when known, else the device key. */
    public String claimKey() {
        return pciAddress != null ? "pci:" + pciAddress : deviceKey;
    }

    /** The probe that saw it. */
    public String source() {
        return source;
    }

    public FabricType fabricType() {
        return fabricType;
    }

    public String model() {
        return model;
    }

    public String resourceUnit() {
        return resourceUnit;
    }

    public long resourceCount() {
        return resourceCount;
    }

    public long resourceFree() {
        return resourceFree;
    }

    /** Features read by the probe (SIMD flags, driver version, temperature class ...). */
    public SortedSet<String> features() {
        return features;
    }

    /** Functions the configuration says this device runs; empty means the agent's defaults for its type. */
    public SortedSet<String> supportedFunctions() {
        return supportedFunctions;
    }

    /** Site the configuration puts this device on; empty means the agent's site. */
    public Optional<String> site() {
        return Optional.ofNullable(site);
    }

    public FabricStatus status() {
        return status;
    }

    public String statusReason() {
        return statusReason;
    }

    /**
     * Point-in-time readings the probe took, by name with the unit in the name: {@code temperature.c},
     * {@code utilization.pct}. Health checks read them; they are not part of the device's identity.
     */
    public Map<String, Double> readings() {
        return readings;
    }

    /**
     * True for a declared fabric: its functions run the CPU implementation when none exists for its type, and
     * {@link #speedFactor()} paces them.
     */
    public boolean simulated() {
        return simulated;
    }

    /** Network distance in milliseconds the fabric reports as its latency; 0 for probed devices. */
    public double latencyMs() {
        return latencyMs;
    }

    /**
     * How fast the fabric runs relative to the CPU code that simulates it, {@code (0, 1000]}; below 1 the agent
     * holds each call until {@code compute time / speedFactor} has passed. 1 for probed devices.
     */
    public double speedFactor() {
        return speedFactor;
    }

    /** The device's vendor: {@code NVIDIA}, {@code AMD}, {@code Intel}, {@code Xilinx}, ...; empty when unknown. */
    public String vendor() {
        return vendor;
    }

    /** The driver version the probe read; empty when unknown. */
    public String driver() {
        return driver;
    }

    /**
     * The vendor's identifiers of the device by the handle names of {@link io.fabricstitch.model.DeviceBinding}
     * ({@code gpu.uuid}, {@code nvidia.index}, {@code opencl.platformIndex}, ...): what a task needs to reach it.
     */
    public Map<String, String> handles() {
        return handles;
    }

    /** Whether an OpenCL driver serves the device (a probe saw it as an OpenCL device). */
    public boolean hasOpenCl() {
        return handles.containsKey(io.fabricstitch.model.DeviceBinding.OPENCL_PLATFORM_INDEX);
    }

    /**
     * This sighting completed by another of the same device: identifiers it lacks, the other's features (an OpenCL
     * sighting's {@code opencl-compiler} among them), its vendor and driver when it has none. What this one says wins
     * where both say something.
     */
    public DetectedFabric mergedWith(DetectedFabric other) {
        Map<String, String> merged = new java.util.TreeMap<>(other.handles);
        merged.putAll(handles);
        java.util.Set<String> allFeatures = new TreeSet<>(features);
        allFeatures.addAll(other.features);
        return toBuilder().handles(merged).features(allFeatures).vendor(vendor.isEmpty() ? other.vendor : vendor)
            .driver(driver.isEmpty() ? other.driver : driver).build();
    }

    /** A builder holding this sighting's values. */
    public Builder toBuilder() {
        return new Builder().deviceKey(deviceKey).pciAddress(pciAddress).source(source).fabricType(fabricType)
            .model(model).resourceUnit(resourceUnit).resourceCount(resourceCount).resourceFree(resourceFree)
            .features(features).supportedFunctions(supportedFunctions).site(site).status(status, statusReason)
            .readings(readings).simulated(simulated).latencyMs(latencyMs).speedFactor(speedFactor).vendor(vendor)
            .driver(driver).handles(handles);
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof DetectedFabric))
            return false;
        DetectedFabric d = (DetectedFabric)o;
        return resourceCount == d.resourceCount && resourceFree == d.resourceFree && deviceKey.equals(d.deviceKey)
            && Objects.equals(pciAddress, d.pciAddress) && source.equals(d.source) && fabricType == d.fabricType
            && model.equals(d.model) && resourceUnit.equals(d.resourceUnit) && features.equals(d.features)
            && supportedFunctions.equals(d.supportedFunctions) && Objects.equals(site, d.site)
            && status == d.status && statusReason.equals(d.statusReason) && readings.equals(d.readings)
            && simulated == d.simulated && Double.compare(latencyMs, d.latencyMs) == 0
            && Double.compare(speedFactor, d.speedFactor) == 0 && vendor.equals(d.vendor) && driver.equals(d.driver)
            && handles.equals(d.handles);
    }

    @Override
    public int hashCode() {
        return Objects.hash(deviceKey, pciAddress, fabricType, resourceCount, resourceFree);
    }

    @Override
    public String toString() {
        return "DetectedFabric [key=" + deviceKey + (pciAddress != null ? ", pci=" + pciAddress : "") + ", source="
            + source + ", type=" + fabricType + ", model=" + model + ", resources=" + resourceFree + '/'
            + resourceCount + ' ' + resourceUnit + ", features=" + features + ", status=" + status
            + (statusReason.isEmpty() ? "" : " (" + statusReason + ')')
            + (simulated ? ", simulated, latencyMs=" + latencyMs + ", speedFactor=" + speedFactor : "")
            + (handles.isEmpty() ? "" : ", handles=" + handles) + ']';
    }

    /** Builder for {@link DetectedFabric}; {@link #build()} validates every field. */
    public static final class Builder {
        private String deviceKey;
        private String pciAddress;
        private String source;
        private FabricType fabricType;
        private String model;
        private String resourceUnit;
        private long resourceCount;
        private Long resourceFree;
        private Collection<String> features;
        private Collection<String> supportedFunctions;
        private String site;
        private FabricStatus status = FabricStatus.ONLINE;
        private String statusReason;
        private Map<String, Double> readings;
        private boolean simulated;
        private double latencyMs;
        private double speedFactor = 1.0;
        private String vendor;
        private String driver;
        private Map<String, String> handles;

        private Builder() {
        }

        public Builder vendor(String vendor) {
            this.vendor = vendor;
            return this;
        }

        public Builder driver(String driver) {
            this.driver = driver;
            return this;
        }

        /** Vendor identifiers by the handle names of {@link io.fabricstitch.model.DeviceBinding}. */
        public Builder handles(Map<String, String> handles) {
            this.handles = handles;
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

        public Builder source(String source) {
            this.source = source;
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

        public Builder features(Collection<String> features) {
            this.features = features;
            return this;
        }

        public Builder supportedFunctions(Collection<String> supportedFunctions) {
            this.supportedFunctions = supportedFunctions;
            return this;
        }

        public Builder site(String site) {
            this.site = site;
            return this;
        }

        public Builder status(FabricStatus status, String reason) {
            this.status = status;
            this.statusReason = reason;
            return this;
        }

        public Builder readings(Map<String, Double> readings) {
            this.readings = readings;
            return this;
        }

        public Builder simulated(boolean simulated) {
            this.simulated = simulated;
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

        public DetectedFabric build() {
            return new DetectedFabric(this);
        }
    }
}
