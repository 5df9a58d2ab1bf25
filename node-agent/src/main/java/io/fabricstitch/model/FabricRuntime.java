package io.fabricstitch.model;

import java.util.Locale;

/** What executes a function on a fabric: the map's {@code RUNTIME} column names these. */
public enum FabricRuntime {
    /** Java code in the node's JVM: the built-ins on the host CPU, and every function of a declared fabric. */
    JAVA,
    /** An OpenCL kernel on the fabric's own device, through the device vendor's OpenCL driver. */
    OPENCL,
    /** An external program started for the call, bound to the fabric's device by its environment. */
    PROCESS;

    /**
     * Parses a runtime name, ignoring case and surrounding blanks.
     *
     * @throws IllegalArgumentException naming the value and the accepted names
     */
    public static FabricRuntime parse(String name) {
        if (name != null) {
            String n = name.trim().toUpperCase(Locale.ROOT);
            for (FabricRuntime r : values()) {
                if (r.name().equals(n))
                    return r;
            }
        }
        throw new IllegalArgumentException("runtime: '" + name + "' (expected one of: JAVA, OPENCL, PROCESS)");
    }
}
