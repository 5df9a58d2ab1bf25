package io.fabricstitch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class DeviceBindingTest {
    private static final UUID ID = UUID.fromString("6b1d5c2e-8f0a-3c4d-9e1f-2a3b4c5d6e7f");

    private static FabricEntry.Builder fabric(FabricType type, String key, String pci) {
        return FabricEntry.builder().fabricId(ID).nodeId(UUID.randomUUID()).agentAddress("10.0.0.7:47420")
            .site("default").fabricType(type).model("model").resourceUnit("MiB").resourceCount(81920)
            .resourceFree(81920).deviceKey(key).pciAddress(pci).updatedAt(Instant.EPOCH);
    }

    @Test
    void nvidiaGpuSeesOnlyItsUuidAndFabricVariables() {
        DeviceBinding b = DeviceBinding.of(fabric(FabricType.GPU, "nvidia:GPU-aa", "0000:3b:00.0").build(), "NVIDIA",
            Map.of(DeviceBinding.GPU_UUID, "GPU-aa", DeviceBinding.NVIDIA_INDEX, "1"), false, 4096);
        Map<String, String> env = b.environment();
        assertEquals("GPU-aa", env.get("CUDA_VISIBLE_DEVICES"));
        assertEquals("GPU-aa", env.get("NVIDIA_VISIBLE_DEVICES"));
        assertEquals("PCI_BUS_ID", env.get("CUDA_DEVICE_ORDER"));
        assertEquals(ID.toString(), env.get("FABRIC_ID"));
        assertEquals("0000:3b:00.0", env.get("FABRIC_PCI_ADDRESS"));
        assertEquals("4096", env.get("FABRIC_RESERVED"));
        assertEquals("81920", env.get("FABRIC_RESOURCE_COUNT"));
        assertEquals(OptionalInt.of(1), b.vendorIndex());
        assertFalse(env.containsKey("ROCR_VISIBLE_DEVICES"));
        assertEquals(List.of("FABRIC_ID", "FABRIC_TYPE", "FABRIC_MODEL", "FABRIC_DEVICE_KEY", "FABRIC_VENDOR",
            "FABRIC_PCI_ADDRESS", "FABRIC_RESERVED", "FABRIC_RESOURCE_COUNT", "FABRIC_RESOURCE_UNIT",
            "CUDA_VISIBLE_DEVICES", "NVIDIA_VISIBLE_DEVICES", "CUDA_DEVICE_ORDER"), List.copyOf(env.keySet()));
    }

    @Test
    void amdAndIntelGpusGetTheirVendorsSelectionByOrdinal() {
        FabricEntry gpu = fabric(FabricType.GPU, "pci:0000:c1:00.0", "0000:c1:00.0").build();
        Map<String, String> ordinal = Map.of(DeviceBinding.VENDOR_ORDINAL, "2");
        assertEquals("2", DeviceBinding.of(gpu, "AMD", ordinal, false, 0).environment().get("ROCR_VISIBLE_DEVICES"));
        Map<String, String> intel = DeviceBinding.of(gpu, "Intel", ordinal, false, 0).environment();
        assertEquals("2", intel.get("ZE_AFFINITY_MASK"));
        assertEquals("1", intel.get("ZE_ENABLE_PCI_ID_DEVICE_ORDER"), "Level Zero numbers devices in PCI order then");
        assertEquals("", DeviceBinding.of(gpu, "AMD", ordinal, false, 0).environment().get("CUDA_VISIBLE_DEVICES"),
            "an AMD GPU's task sees no CUDA device");
    }

    @Test
    void xilinxFpgaNamesItsBdfForXrtAndItsManager() {
        FabricEntry fpga = fabric(FabricType.FPGA, "fpga:0000:d8:00.1", "0000:d8:00.1").resourceUnit("regions")
            .resourceCount(2).resourceFree(2).build();
        Map<String, String> env = DeviceBinding.of(fpga, "Xilinx", Map.of(DeviceBinding.FPGA_MANAGER, "fpga0",
            DeviceBinding.DEVICE_PATH, "/sys/devices/pci0000:d7/0000:d8:00.1"), false, 1).environment();
        assertEquals("0000:d8:00.1", env.get("FABRIC_XRT_BDF"));
        assertEquals("fpga0", env.get("FABRIC_FPGA_MANAGER"));
        assertEquals("/sys/devices/pci0000:d7/0000:d8:00.1", env.get("FABRIC_DEVICE_PATH"));
    }

    @Test
    void declaredFabricGetsFabricVariablesOnly_andNoCudaDevice() {
        Map<String, String> env = DeviceBinding.of(fabric(FabricType.GPU, "declared:demo-gpu-0", "").build(), "",
            Map.of(DeviceBinding.GPU_UUID, "GPU-x"), true, 1024).environment();
        assertEquals("true", env.get("FABRIC_DECLARED"));
        assertEquals("", env.get("CUDA_VISIBLE_DEVICES"), "no device stands behind a declared GPU");
        assertEquals("none", env.get("NVIDIA_VISIBLE_DEVICES"));
        assertTrue(env.keySet().stream().allMatch(k -> k.startsWith(DeviceBinding.FABRIC_PREFIX)
            || k.equals("CUDA_VISIBLE_DEVICES") || k.equals("NVIDIA_VISIBLE_DEVICES")), env.toString());
    }

    @Test
    void openClDeviceNamesItsPlatformAndDeviceIndexes() {
        DeviceBinding b = DeviceBinding.of(fabric(FabricType.CPU, "opencl:pocl/cpu", "").resourceUnit("cores")
            .resourceCount(1).resourceFree(1).build(), "Intel", Map.of(DeviceBinding.OPENCL_PLATFORM_INDEX, "0",
            DeviceBinding.OPENCL_DEVICE_INDEX, "3", DeviceBinding.OPENCL_PLATFORM, "Portable Computing Language"),
            false, 1);
        assertEquals("0", b.environment().get("FABRIC_OPENCL_PLATFORM_INDEX"));
        assertEquals("3", b.environment().get("FABRIC_OPENCL_DEVICE_INDEX"));
        assertEquals("Portable Computing Language", b.openClPlatform().orElseThrow());
    }

    @Test
    void refusesAReservationLargerThanTheDevice() {
        assertEquals("reservedAmount: 90000 (expected: 0..81920)", assertThrows(IllegalArgumentException.class,
            () -> DeviceBinding.of(fabric(FabricType.GPU, "k", "").build(), "", Map.of(), false, 90_000))
            .getMessage());
    }
}
