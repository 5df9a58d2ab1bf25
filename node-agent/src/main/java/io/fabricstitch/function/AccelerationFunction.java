package io.fabricstitch.function;

import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import java.util.Set;

/**
 * One named computation a fabric runs: bytes in, bytes out.
 * <p>
 * Implementations are stateless and thread-safe: the agent calls one instance from many threads at once. Register one
 * in {@code META-INF/services/io.fabricstitch.function.AccelerationFunction} or name its class in the plugin's
 * {@code functionClasses}; it needs a public no-arg constructor.
 */
public interface AccelerationFunction {
    /** Registered name, e.g. {@code "sha256"} (letters, digits, '.', '_', '-'; at most 128). */
    String name();

    /** Fabric types whose real hardware this implementation drives; the built-ins: {@code Set.of(FabricType.CPU)}. */
    Set<FabricType> fabricTypes();

    /**
     * Runs on {@code ctx.fabric()}. {@code input} is never null; the function must not keep references to it, and
     * polls {@link
     * FunctionContext#checkCancelled()} in long loops.
     *
     * @return the output, never null
     * @throws FunctionException for bad input, naming what was wrong and what is accepted
     */
    byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException;

    /** One line for docs and the CLI. */
    default String description() {
        return "";
    }

    /**
     * What executes this implementation: {@link FabricRuntime#JAVA} for Java code (the default),
     * {@link FabricRuntime#OPENCL} for a kernel on the fabric's device, {@link FabricRuntime#PROCESS} for an external
     * program. Shown per fabric and function in {@code FABRIC.FABRIC_FUNCTION.RUNTIME}.
     */
    default FabricRuntime runtime() {
        return FabricRuntime.JAVA;
    }

    /** What runs, for {@code FABRIC.FABRIC_FUNCTION.IMPLEMENTATION}: by default the class name. */
    default String implementation() {
        return getClass().getName();
    }

    /**
     * A representative input the agent may time this function on, to measure how fast a fabric runs it against this
     * (CPU) implementation; null (the default) when the function offers none. Keep it small: the agent times a few
     * runs of it within {@code calibrationBudgetMs}.
     */
    default byte[] calibrationInput() {
        return null;
    }
}
