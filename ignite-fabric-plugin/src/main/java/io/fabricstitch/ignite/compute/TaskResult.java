package io.fabricstitch.ignite.compute;

import java.io.Serializable;

/** The output of a function run by {@link FabricCompute#execute}, with the placement that produced it. Immutable. */
public final class TaskResult implements Serializable {
    private static final long serialVersionUID = 1L;

    private final byte[] output;
    private final Placement placement;

    public TaskResult(byte[] output, Placement placement) {
        this.output = output.clone();
        this.placement = placement;
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
        return "TaskResult [" + output.length + " bytes, " + placement + ']';
    }
}
