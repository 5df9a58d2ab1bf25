package io.fabricstitch.agent.opencl;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * One OpenCL program a kernel function needs: C source (built by the device's compiler) or a prebuilt binary (an
 * FPGA's {@code .xclbin} or {@code .aocx}, loaded with {@code clCreateProgramWithBinary}), its build options, and the
 * kernels it defines. Its id (a digest of all of that) keys the per-device cache: a program is built once per device.
 */
final class KernelProgram {
    private final String name;
    private final String source;
    private final byte[] binary;
    private final String options;
    private final List<String> kernels;
    private final String id;

    private KernelProgram(String name, String source, byte[] binary, String options, List<String> kernels) {
        this.name = name;
        this.source = source;
        this.binary = binary;
        this.options = options == null ? "" : options;
        this.kernels = List.copyOf(kernels);
        this.id = digest();
    }

    /** A program built from OpenCL C source. */
    static KernelProgram source(String name, String source, String options, List<String> kernels) {
        return new KernelProgram(name, source, null, options, kernels);
    }

    /** A program loaded from a device binary. */
    static KernelProgram binary(String name, byte[] binary, String options, List<String> kernels) {
        return new KernelProgram(name, null, binary.clone(), options, kernels);
    }

    private String digest() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(options.getBytes(StandardCharsets.UTF_8));
            md.update((byte)0);
            md.update(source != null ? source.getBytes(StandardCharsets.UTF_8) : binary);
            return name + '@' + HexFormat.of().formatHex(md.digest(), 0, 8);
        }
        catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 missing from this JVM", e);
        }
    }

    /** A readable name, e.g. {@code gaussian_blur.cl}. */
    String name() {
        return name;
    }

    /** Unique per source (or binary) and options. */
    String id() {
        return id;
    }

    boolean isBinary() {
        return binary != null;
    }

    String sourceText() {
        return source;
    }

    byte[] binaryBytes() {
        return binary;
    }

    String options() {
        return options;
    }

    /** The kernels this program defines that its function calls. */
    List<String> kernels() {
        return kernels;
    }

    @Override
    public String toString() {
        return name + (isBinary() ? " (binary)" : "") + (options.isEmpty() ? "" : " [" + options + ']');
    }
}
