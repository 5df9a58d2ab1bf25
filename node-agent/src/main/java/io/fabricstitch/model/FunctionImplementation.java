package io.fabricstitch.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabricstitch.internal.Checks;
import java.io.Serializable;
import java.util.Objects;

/**
 * How one fabric serves one function: the runtime that executes it, which implementation (a Java class, OpenCL
 * kernels, a command line), and the fabric's speed for it with where that speed comes from. A row of
 * {@code FABRIC.FABRIC_FUNCTION}. Immutable.
 */
public final class FunctionImplementation implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Longest implementation text kept. */
    public static final int MAX_IMPLEMENTATION_LENGTH = 512;

    /** Unknown: an entry built from function names alone runs them in Java at the fabric's own speed. */
    private static final FunctionImplementation UNSPECIFIED =
        new FunctionImplementation(FabricRuntime.JAVA, "", 0, SpeedSource.UNMEASURED);

    private final FabricRuntime runtime;
    private final String implementation;
    private final double speedFactor;
    private final SpeedSource speedSource;

    @JsonCreator
    private FunctionImplementation(@JsonProperty("runtime") FabricRuntime runtime,
        @JsonProperty("implementation") String implementation, @JsonProperty("speedFactor") double speedFactor,
        @JsonProperty("speedSource") SpeedSource speedSource) {
        this.runtime = Checks.notNull(runtime, "runtime");
        String impl = implementation == null ? "" : implementation.strip();
        this.implementation = impl.length() > MAX_IMPLEMENTATION_LENGTH ? impl.substring(0, MAX_IMPLEMENTATION_LENGTH)
            : impl;
        if (speedFactor != 0)
            Checks.positiveAtMost(speedFactor, FabricEntry.MAX_SPEED_FACTOR, "speedFactor");
        this.speedFactor = speedFactor;
        this.speedSource = Checks.notNull(speedSource, "speedSource");
    }

    /**
     * @param implementation what runs: a class name, the OpenCL kernels, the command line (cut to
     *     {@value #MAX_IMPLEMENTATION_LENGTH} characters)
     * @param speedFactor the fabric's speed for this function, {@code (0, 1000]}; 0 when it is the fabric's own
     * @throws IllegalArgumentException naming an invalid argument
     */
    public static FunctionImplementation of(FabricRuntime runtime, String implementation, double speedFactor,
        SpeedSource speedSource) {
        return new FunctionImplementation(runtime, implementation, speedFactor, speedSource);
    }

    /** A function known by name only: Java, at the fabric's own speed. */
    public static FunctionImplementation unspecified() {
        return UNSPECIFIED;
    }

    /** The same implementation with another speed and its source. */
    public FunctionImplementation withSpeed(double speedFactor, SpeedSource speedSource) {
        return new FunctionImplementation(runtime, implementation, speedFactor, speedSource);
    }

    @JsonProperty("runtime")
    public FabricRuntime runtime() {
        return runtime;
    }

    /** A class name, the OpenCL kernels, or the command line; empty when unknown. */
    @JsonProperty("implementation")
    public String implementation() {
        return implementation;
    }

    /** The fabric's speed for this function relative to the reference (the host CPU's Java code); 0: the fabric's. */
    @JsonProperty("speedFactor")
    public double speedFactor() {
        return speedFactor;
    }

    @JsonProperty("speedSource")
    public SpeedSource speedSource() {
        return speedSource;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof FunctionImplementation))
            return false;
        FunctionImplementation f = (FunctionImplementation)o;
        return runtime == f.runtime && implementation.equals(f.implementation)
            && Double.compare(speedFactor, f.speedFactor) == 0 && speedSource == f.speedSource;
    }

    @Override
    public int hashCode() {
        return Objects.hash(runtime, implementation, speedFactor, speedSource);
    }

    @Override
    public String toString() {
        return runtime + (implementation.isEmpty() ? "" : " " + implementation)
            + (speedFactor == 0 ? "" : ", speed " + speedFactor + " (" + speedSource + ')');
    }
}
