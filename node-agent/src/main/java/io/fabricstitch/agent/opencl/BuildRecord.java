package io.fabricstitch.agent.opencl;

/**
 * How one OpenCL program was built for one device: the program, the device, the wall time of
 * {@code clCreateProgramWith*} plus {@code clBuildProgram}, and whether the agent's per-device cache served it (no
 * build at all). A driver's own compiler cache (pocl's, NVIDIA's) shows as a shorter build, not as a cache hit.
 */
public final class BuildRecord {
    private final String program;
    private final String device;
    private final double millis;
    private final boolean binary;

    BuildRecord(String program, String device, double millis, boolean binary) {
        this.program = program;
        this.device = device;
        this.millis = millis;
        this.binary = binary;
    }

    /** The program's name, e.g. {@code gaussian_blur.cl}. */
    public String program() {
        return program;
    }

    /** The device's name. */
    public String device() {
        return device;
    }

    /** Milliseconds the build took. */
    public double millis() {
        return millis;
    }

    /** Whether it was loaded from a device binary rather than compiled from source. */
    public boolean binary() {
        return binary;
    }

    @Override
    public String toString() {
        return program + (binary ? " (binary)" : "") + " on " + device + ": " + String.format("%.1f ms", millis);
    }
}
