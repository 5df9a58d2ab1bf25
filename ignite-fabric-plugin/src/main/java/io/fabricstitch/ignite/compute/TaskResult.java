package io.fabricstitch.ignite.compute;

import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FunctionImplementation;
import java.io.Serializable;

/**
 * The output of a function run by {@link FabricCompute#execute}, with the placement that produced it and the
 * implementation that ran it there (an OpenCL kernel on the fabric's device, a process bound to it, Java code).
 * Immutable.
 */
public final class TaskResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] output;
    private final Placement placement;
    private final FunctionImplementation ranAs;

    public TaskResult(byte[] output, Placement placement) {
        this(output, placement, FunctionImplementation.unspecified());
    }

    /** A result whose function ran as {@code ranAs} on the placed fabric. */
    public TaskResult(byte[] output, Placement placement, FunctionImplementation ranAs) {
        this.output = output.clone();
        this.placement = placement;
        this.ranAs = ranAs == null ? FunctionImplementation.unspecified() : ranAs;
    }

    /** What executed the function: {@code JAVA}, {@code OPENCL} or {@code PROCESS}. */
    public FabricRuntime runtime() {
        return ranAs.runtime();
    }

    /**
     * The implementation that ran, with the fabric's speed for it, as the fabric's agent reported it: e.g.
     * {@code OPENCL OpenCL gaussian_blur.cl (blur_rows, blur_cols)}.
     */
    public FunctionImplementation ranAs() {
        return ranAs;
    }

    /** The function's output bytes (a copy). */
    public byte[] output() {
        return output.clone();
    }

    /** Output length in bytes. */
    public int outputLength() {
        return output.length;
    }

    /** The fabric, node and cost terms of the attempt that succeeded. */
    public Placement placement() {
        return placement;
    }

    @Override
    public String toString() {
        return "TaskResult [" + output.length + " bytes, " + placement + ", ran as " + ranAs + ']';
    }
}
