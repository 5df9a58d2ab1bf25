package io.fabricstitch.agent.opencl;

import java.util.List;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/**
 * Loads the OpenCL library once per JVM and lists its platforms and devices. JOCL's jar brings the native bridge; the
 * bridge opens the host's {@code libOpenCL.so} (the ICD loader, which finds the vendors' drivers under
 * {@code /etc/OpenCL/vendors}). Every failure is turned into one line saying what is missing.
 */
final class ClLibrary {
    /** JOCL's code for "no platform" from the ICD loader ({@code CL_PLATFORM_NOT_FOUND_KHR}). */
    private static final int PLATFORM_NOT_FOUND_KHR = -1001;

    private static final Object LOCK = new Object();
    private static boolean loaded;
    private static String loadProblem;

    private ClLibrary() {
    }

    /**
     * Why OpenCL cannot be used in this JVM, or null when it can: the native library did not load. Loads it on the
     * first call; the answer never changes afterwards.
     */
    static String unavailableReason() {
        synchronized (LOCK) {
            if (!loaded) {
                loaded = true;
                try {
                    CL.setExceptionsEnabled(true);
                }
                catch (LinkageError e) {
                    loadProblem = "libOpenCL.so could not be loaded (" + firstLine(e) + ") (expected: an OpenCL ICD "
                        + "loader; on Debian: apt-get install ocl-icd-opencl-dev, or a libOpenCL.so link to "
                        + "libOpenCL.so.1 on LD_LIBRARY_PATH)";
                }
            }
            return loadProblem;
        }
    }

    private static String firstLine(Throwable e) {
        String m = String.valueOf(e.getMessage());
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }

    /**
     * The platforms the ICD loader reports; empty when none is installed.
     *
     * @throws IllegalStateException when the library is not usable (see {@link #unavailableReason()})
     */
    static List<cl_platform_id> platforms() {
        String problem = unavailableReason();
        if (problem != null)
            throw new IllegalStateException(problem);
        int[] count = new int[1];
        try {
            CL.clGetPlatformIDs(0, null, count);
        }
        catch (CLException e) {
            if (e.getStatus() == PLATFORM_NOT_FOUND_KHR)
                return List.of();
            throw e;
        }
        cl_platform_id[] ids = new cl_platform_id[count[0]];
        if (count[0] > 0)
            CL.clGetPlatformIDs(count[0], ids, null);
        return List.of(ids);
    }

    /** Every device of a platform, in the platform's order ({@code CL_DEVICE_TYPE_ALL}). */
    static List<cl_device_id> devices(cl_platform_id platform) {
        int[] count = new int[1];
        try {
            CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, 0, null, count);
        }
        catch (CLException e) {
            if (e.getStatus() == CL.CL_DEVICE_NOT_FOUND)
                return List.of();
            throw e;
        }
        cl_device_id[] ids = new cl_device_id[count[0]];
        CL.clGetDeviceIDs(platform, CL.CL_DEVICE_TYPE_ALL, count[0], ids, null);
        return List.of(ids);
    }
}
