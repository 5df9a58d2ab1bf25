package io.fabricstitch.agent.opencl;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.jocl.CL;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.cl_device_id;
import org.jocl.cl_platform_id;

/** Reads platform and device properties; a property the driver does not know reads as null (or -1). */
final class ClInfo {
    /** {@code cl_khr_pci_bus_info}: {@code CL_DEVICE_PCI_BUS_INFO_KHR}, four cl_uint (domain, bus, device, function). */
    static final int PCI_BUS_INFO_KHR = 0x410F;
    /** {@code cl_nv_device_attribute_query}: bus, slot ({@code device << 3 | function}) and domain. */
    static final int PCI_BUS_ID_NV = 0x4008;
    static final int PCI_SLOT_ID_NV = 0x4009;
    static final int PCI_DOMAIN_ID_NV = 0x400A;
    /** {@code cl_amd_device_attribute_query}: {@code CL_DEVICE_TOPOLOGY_AMD}, 24 bytes, type 1 = PCIe. */
    static final int TOPOLOGY_AMD = 0x4037;

    private ClInfo() {
    }

    static String platformString(cl_platform_id p, int param) {
        try {
            long[] size = new long[1];
            CL.clGetPlatformInfo(p, param, 0, null, size);
            byte[] b = new byte[(int)size[0]];
            CL.clGetPlatformInfo(p, param, b.length, Pointer.to(b), null);
            return text(b);
        }
        catch (CLException e) {
            return null;
        }
    }

    /** A string property; null when unknown. */
    static String string(cl_device_id d, int param) {
        byte[] b = bytes(d, param);
        return b == null ? null : text(b);
    }

    /** A cl_ulong, cl_bitfield or size_t property; -1 when unknown. */
    static long longValue(cl_device_id d, int param) {
        try {
            long[] v = new long[1];
            CL.clGetDeviceInfo(d, param, 8, Pointer.to(v), null);
            return v[0];
        }
        catch (CLException e) {
            return -1;
        }
    }

    /** A cl_uint or cl_bool property; -1 when unknown. */
    static int intValue(cl_device_id d, int param) {
        try {
            int[] v = new int[1];
            CL.clGetDeviceInfo(d, param, 4, Pointer.to(v), null);
            return v[0];
        }
        catch (CLException e) {
            return -1;
        }
    }

    /** A property's raw bytes; null when unknown. */
    static byte[] bytes(cl_device_id d, int param) {
        try {
            long[] size = new long[1];
            CL.clGetDeviceInfo(d, param, 0, null, size);
            byte[] b = new byte[(int)size[0]];
            CL.clGetDeviceInfo(d, param, b.length, Pointer.to(b), null);
            return b;
        }
        catch (CLException e) {
            return null;
        }
    }

    /** Whether the device accepts {@code CL_DEVICE_PARTITION_EQUALLY} (it can be cut into sub-devices). */
    static boolean partitionsEqually(cl_device_id d) {
        byte[] props = bytes(d, CL.CL_DEVICE_PARTITION_PROPERTIES);
        if (props == null)
            return false;
        ByteBuffer b = ByteBuffer.wrap(props).order(ByteOrder.nativeOrder());
        while (b.remaining() >= 8) {
            long p = b.getLong();
            if (p == CL.CL_DEVICE_PARTITION_EQUALLY)
                return true;
        }
        return false;
    }

    /**
     * The device's PCI address in sysfs form ({@code 0000:3b:00.0}) from whichever extension the driver offers
     * ({@code cl_khr_pci_bus_info}, NVIDIA's or AMD's attribute queries); null when none does.
     */
    static String pciAddress(cl_device_id d, String extensions) {
        String ext = extensions == null ? "" : extensions;
        if (ext.contains("cl_khr_pci_bus_info")) {
            byte[] b = bytes(d, PCI_BUS_INFO_KHR);
            if (b != null && b.length >= 16) {
                ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.nativeOrder());
                return address(bb.getInt(), bb.getInt(), bb.getInt(), bb.getInt());
            }
        }
        if (ext.contains("cl_nv_device_attribute_query")) {
            int bus = intValue(d, PCI_BUS_ID_NV);
            int slot = intValue(d, PCI_SLOT_ID_NV);
            int domain = intValue(d, PCI_DOMAIN_ID_NV);
            if (bus >= 0 && slot >= 0)
                return address(Math.max(0, domain), bus, slot >>> 3, slot & 7);
        }
        if (ext.contains("cl_amd_device_attribute_query")) {
            byte[] b = bytes(d, TOPOLOGY_AMD);
            if (b != null && b.length >= 24 && ByteBuffer.wrap(b).order(ByteOrder.nativeOrder()).getInt(0) == 1)
                return address(0, b[21] & 0xFF, b[22] & 0xFF, b[23] & 0xFF);
        }
        return null;
    }

    private static String address(int domain, int bus, int device, int function) {
        if (domain < 0 || domain > 0xFFFF || bus < 0 || bus > 0xFF || device < 0 || device > 0x1F || function < 0
            || function > 7)
            return null;
        return String.format(Locale.ROOT, "%04x:%02x:%02x.%x", domain, bus, device, function);
    }

    private static String text(byte[] b) {
        int n = b.length;
        while (n > 0 && b[n - 1] == 0)
            n--;
        return new String(b, 0, n, StandardCharsets.UTF_8).strip();
    }
}
