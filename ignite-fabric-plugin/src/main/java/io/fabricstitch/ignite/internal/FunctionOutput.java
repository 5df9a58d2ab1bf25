package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FunctionImplementation;
import java.io.Serializable;

/**
 * What a function's job sends back: its output (the bytes, or a {@link StagedOutputRef} to fetch over the data path)
 * and the implementation that produced it on the fabric (an OpenCL kernel, a process, Java code).
 */
final class FunctionOutput implements Serializable {
    private static final long serialVersionUID = 1L;

    private final Object output;
    private final FunctionImplementation ranAs;

    FunctionOutput(Object output, FunctionImplementation ranAs) {
        this.output = output;
        this.ranAs = ranAs;
    }

    /** {@code byte[]} or {@link StagedOutputRef}. */
    Object output() {
        return output;
    }

    /** The implementation that ran, as the fabric's agent reports it. */
    FunctionImplementation ranAs() {
        return ranAs;
    }
}
