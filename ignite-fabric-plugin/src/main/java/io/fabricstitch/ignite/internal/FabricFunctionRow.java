package io.fabricstitch.ignite.internal;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FunctionImplementation;
import io.fabricstitch.model.SpeedSource;
import java.util.Objects;
import java.util.UUID;
import org.apache.ignite.cache.query.annotations.QuerySqlField;

/**
 * A row of {@code FABRIC.FABRIC_FUNCTION}: one function one fabric runs, with how it runs it (runtime and
 * implementation) and the fabric's speed for it. Rows are compared by value ({@link #equals}), so a writer can tell a
 * changed row from one it wrote already. Not API.
 */
public final class FabricFunctionRow {
    @QuerySqlField(name = "FABRIC_ID", index = true, notNull = true)
    private UUID fabricId;

    @QuerySqlField(name = "FUNCTION_NAME", index = true, notNull = true)
    private String functionName;

    /** {@code JAVA}, {@code OPENCL} or {@code PROCESS}. */
    @QuerySqlField(name = "RUNTIME")
    private String runtime;

    /** A class name, the OpenCL kernels or the command line; null when unknown. */
    @QuerySqlField(name = "IMPLEMENTATION")
    private String implementation;

    /** The fabric's speed for the function: its own when it has one, else the fabric's {@code SPEED_FACTOR}. */
    @QuerySqlField(name = "SPEED_FACTOR")
    private double speedFactor;

    /** {@code DECLARED}, {@code REFERENCE}, {@code MEASURED} or {@code UNMEASURED}. */
    @QuerySqlField(name = "SPEED_SOURCE")
    private String speedSource;

    /**
     * True when the function has no speed of its own and {@code SPEED_FACTOR} repeats the fabric's (no SQL column): so
     * that the entry read back is the entry written.
     */
    private boolean fabricSpeed;

    /** For the marshaller. */
    public FabricFunctionRow() {
    }

    /** The row of {@code function} of fabric {@code e}, which must run it. */
    public static FabricFunctionRow of(FabricEntry e, String function) {
        FunctionImplementation f = e.getFunctions().get(function);
        if (f == null)
            throw new IllegalArgumentException("function: '" + function + "' (expected: one of "
                + e.getFunctions().keySet() + " that fabric " + e.getFabricId() + " runs)");
        FabricFunctionRow r = new FabricFunctionRow();
        r.fabricId = e.getFabricId();
        r.functionName = function;
        r.runtime = f.runtime().name();
        r.implementation = f.implementation().isEmpty() ? null : f.implementation();
        r.fabricSpeed = f.speedFactor() == 0;
        r.speedFactor = e.speedFor(function);
        r.speedSource = f.speedSource().name();
        return r;
    }

    /** The cache key of the row: {@code <fabricId>/<functionName>}. */
    public static String key(UUID fabricId, String functionName) {
        return fabricId + "/" + functionName;
    }

    /** The fabric id of a cache key, or null when {@code key} is not one. */
    public static UUID fabricOf(String key) {
        int slash = key.indexOf('/');
        if (slash <= 0)
            return null;
        try {
            return UUID.fromString(key.substring(0, slash));
        }
        catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** This row's cache key. */
    public String key() {
        return key(fabricId, functionName);
    }

    /**
     * How the fabric runs the function, as written; a row without runtime or source (written by an older version)
     * reads as Java, unmeasured, at the fabric's own speed.
     *
     * @throws IllegalArgumentException naming the column that holds an unknown value
     */
    public FunctionImplementation implementation() {
        FabricRuntime rt = runtime == null ? FabricRuntime.JAVA : FabricRuntime.parse(runtime);
        SpeedSource src = speedSource == null ? SpeedSource.UNMEASURED : SpeedSource.parse(speedSource);
        boolean own = !fabricSpeed && speedFactor > 0 && speedFactor <= FabricEntry.MAX_SPEED_FACTOR;
        return FunctionImplementation.of(rt, implementation, own ? speedFactor : 0, src);
    }

    public UUID fabricId() {
        return fabricId;
    }

    public String functionName() {
        return functionName;
    }

    /** {@code SPEED_FACTOR}: the fabric's speed for the function. */
    public double speedFactor() {
        return speedFactor;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o)
            return true;
        if (!(o instanceof FabricFunctionRow))
            return false;
        FabricFunctionRow r = (FabricFunctionRow)o;
        return Double.compare(speedFactor, r.speedFactor) == 0 && fabricSpeed == r.fabricSpeed
            && Objects.equals(fabricId, r.fabricId) && Objects.equals(functionName, r.functionName)
            && Objects.equals(runtime, r.runtime) && Objects.equals(implementation, r.implementation)
            && Objects.equals(speedSource, r.speedSource);
    }

    @Override
    public int hashCode() {
        return Objects.hash(fabricId, functionName, runtime, speedFactor);
    }

    @Override
    public String toString() {
        return "FabricFunctionRow [fabricId=" + fabricId + ", function=" + functionName + ", runtime=" + runtime
            + (implementation == null ? "" : ", implementation=" + implementation) + ", speed=" + speedFactor + " ("
            + speedSource + (fabricSpeed ? ", the fabric's" : "") + ")]";
    }
}
