package io.fabricstitch.agent.opencl;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;

/** Kernel sources shipped in the jar, and kernel arguments. */
final class ClSources {
    private ClSources() {
    }

    /** The text of {@code io/fabricstitch/agent/opencl/<name>} on the class path. */
    static String text(String name) {
        try (InputStream in = ClSources.class.getResourceAsStream(name)) {
            if (in == null)
                throw new IllegalStateException("kernel source " + name + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        catch (IOException e) {
            throw new UncheckedIOException("kernel source " + name + " unreadable", e);
        }
    }

    /** Sets a kernel's arguments in order: {@link cl_mem} buffers and {@code int} scalars. */
    static void args(cl_kernel k, Object... values) {
        for (int i = 0; i < values.length; i++) {
            Object v = values[i];
            if (v instanceof cl_mem)
                org.jocl.CL.clSetKernelArg(k, i, Sizeof.cl_mem, Pointer.to((cl_mem)v));
            else if (v instanceof Integer)
                org.jocl.CL.clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {(Integer)v}));
            else
                throw new IllegalArgumentException("kernel argument " + i + ": " + v + " (expected: cl_mem or int)");
        }
    }

    /** {@code value} rounded up to a multiple of {@code step}. */
    static long roundUp(long value, long step) {
        return (value + step - 1) / step * step;
    }
}
