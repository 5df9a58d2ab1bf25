package io.fabricstitch.agent;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricType;
import java.util.ArrayList;
import java.util.List;

/**
 * A fabric named in configuration rather than found by a probe: hardware no probe can see, or the simulated GPU, FPGA
 * and ASIC fabrics of demo and test clusters. A JavaBean with chaining setters, so it works as a Spring XML bean:
 * <pre>{@code
 * <bean class="io.fabricstitch.agent.DeclaredFabric">
 *     <property name="name" value="demo-fpga-0"/>
 *     <property name="type" value="FPGA"/>
 *     <property name="model" value="Xilinx Alveo U250 (declared)"/>
 *     <property name="resourceUnit" value="slices"/>
 *     <property name="resourceCount" value="1024"/>
 *     <property name="functions"><list><value>image.gaussian-blur</value></list></property>
 * </bean>
 * }</pre>
 * The name is the device's identity on its host: the same name on the same host gives the same fabric id.
 */
public class DeclaredFabric {
    /** Default {@link #getSpeedFactor()}: as fast as the CPU code that simulates the fabric. */
    public static final double DFLT_SPEED_FACTOR = 1.0;

    private String name;
    private FabricType type;
    private String model;
    private String resourceUnit;
    private long resourceCount;
    private List<String> functions = new ArrayList<>();
    private String site;
    private double latencyMs;
    private double speedFactor = DFLT_SPEED_FACTOR;

    /** Unique name on the host (letters, digits, '.', '_', '-'); the device key is {@code declared:<name>}. */
    public String getName() {
        return name;
    }

    public DeclaredFabric setName(String name) {
        this.name = name;
        return this;
    }

    /** GPU, FPGA, ASIC or CPU. */
    public FabricType getType() {
        return type;
    }

    public DeclaredFabric setType(FabricType type) {
        this.type = type;
        return this;
    }

    /** Free text shown in the map, e.g. {@code NVIDIA A100 80GB (declared)}. */
    public String getModel() {
        return model;
    }

    public DeclaredFabric setModel(String model) {
        this.model = model;
        return this;
    }

    /** The unit {@link #getResourceCount()} is counted in: {@code MiB}, {@code slices}, {@code lanes}, ... */
    public String getResourceUnit() {
        return resourceUnit;
    }

    public DeclaredFabric setResourceUnit(String resourceUnit) {
        this.resourceUnit = resourceUnit;
        return this;
    }

    /** How many units the fabric has; at least 1. */
    public long getResourceCount() {
        return resourceCount;
    }

    public DeclaredFabric setResourceCount(long resourceCount) {
        this.resourceCount = resourceCount;
        return this;
    }

    /** Names of the acceleration functions it runs. */
    public List<String> getFunctions() {
        return functions;
    }

    public DeclaredFabric setFunctions(List<String> functions) {
        this.functions = functions == null ? new ArrayList<>() : new ArrayList<>(functions);
        return this;
    }

    /** Site label; unset means the node's site. */
    public String getSite() {
        return site;
    }

    public DeclaredFabric setSite(String site) {
        this.site = site;
        return this;
    }

    /** Simulated network distance in milliseconds, reported as the fabric's latency; {@code >= 0}, default 0. */
    public double getLatencyMs() {
        return latencyMs;
    }

    public DeclaredFabric setLatencyMs(double latencyMs) {
        this.latencyMs = latencyMs;
        return this;
    }

    /**
     * Speed relative to the CPU code that runs the fabric's functions, {@code (0, 1000]}, default
     * {@value #DFLT_SPEED_FACTOR}. Below 1 each call is held until {@code compute time / speedFactor} has passed
     * (0.25: four times slower than the CPU); 1 and above add nothing, as real code cannot run faster than its CPU.
     */
    public double getSpeedFactor() {
        return speedFactor;
    }

    public DeclaredFabric setSpeedFactor(double speedFactor) {
        this.speedFactor = speedFactor;
        return this;
    }

    /**
     * The device this declaration stands for; simulated, with its latency and speed factor.
     *
     * @throws IllegalArgumentException naming the declaration and the first invalid property
     */
    public DetectedFabric toDetected() {
        try {
            Checks.name(name, "name");
            for (String fn : functions)
                Checks.name(fn, "functions element");
            return DetectedFabric.builder()
                .deviceKey(FabricAgent.DECLARED_PREFIX + name)
                .source("declared")
                .fabricType(Checks.notNull(type, "type"))
                .model(Checks.notBlank(model, "model", 256))
                .resourceUnit(resourceUnit)
                .resourceCount(resourceCount)
                .supportedFunctions(functions)
                .site(site)
                .features(List.of("declared"))
                .simulated(true)
                .latencyMs(latencyMs)
                .speedFactor(speedFactor)
                .build();
        }
        catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("declared fabric '" + name + "': " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return "DeclaredFabric [name=" + name + ", type=" + type + ", model=" + model + ", resources=" + resourceCount
            + ' ' + resourceUnit + ", functions=" + functions + ", site=" + site + ", latencyMs=" + latencyMs
            + ", speedFactor=" + speedFactor + ']';
    }
}
