package io.fabricstitch.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabricstitch.agent.probe.ProbeUnavailableException;
import io.fabricstitch.agent.probe.ProbeResult;
import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.FabricProbe;
import io.fabricstitch.agent.opencl.OpenClProbe;
import io.fabricstitch.function.builtin.GaussianBlurFunction;
import io.fabricstitch.function.builtin.MatmulF32Function;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricRuntime;
import io.fabricstitch.model.FabricType;
import io.fabricstitch.model.FunctionImplementation;
import io.fabricstitch.model.SpeedSource;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent with real devices: the OpenCL probe and runtime, bindings, merged sightings, calibration. */
class FabricAgentDeviceTest {
    private static final FabricProbe TWO_CORES = FabricAgentTest.fixed("cpu", 0, DetectedFabric.builder()
        .deviceKey("cpu").source("cpu").fabricType(FabricType.CPU).model("Test CPU").resourceUnit("cores")
        .resourceCount(2).build());

    @TempDir
    Path claimDir;

    private AgentConfiguration.Builder config() {
        return AgentConfiguration.builder().agentName("n0").nodeId(UUID.randomUUID()).hostId("host-1")
            .claimDirectory(claimDir).calibrationBudget(Duration.ZERO);
    }

    /** This host's OpenCL probe, giving an OpenCL CPU device one of two cores; skips the test without OpenCL. */
    private static OpenClProbe openClHere() {
        OpenClProbe probe = new OpenClProbe(1, 2);
        try {
            assumeTrue(probe.probe().fabrics().stream()
                .anyMatch(f -> f.features().contains(OpenClProbe.COMPILER_FEATURE)), "no OpenCL device with a compiler");
        }
        catch (ProbeUnavailableException e) {
            System.out.println("skipped: no OpenCL here: " + e.getMessage());
            assumeTrue(false, e.getMessage());
        }
        return probe;
    }

    private static FabricEntry only(List<FabricEntry> fabrics, FabricRuntime runtime) {
        List<FabricEntry> found = fabrics.stream().filter(f -> f.getRuntime().equals(runtime.name())).toList();
        assertEquals(1, found.size(), "fabrics run by " + runtime + ": " + fabrics);
        return found.get(0);
    }

    @Test
    void openClCpuDeviceIsAFabricOfItsOwn_andItsCoreIsSetAsideFromTheCpuFabric() {
        try (FabricAgent agent = new FabricAgent(config().probe(TWO_CORES).probe(openClHere()).build())) {
            List<FabricEntry> fabrics = agent.start();
            FabricEntry cpu = only(fabrics, FabricRuntime.JAVA);
            FabricEntry cl = fabrics.stream().filter(f -> f.getRuntime().contains("OPENCL")).findFirst().orElseThrow();
            assertEquals(1, cpu.getResourceCount(), "the CPU fabric keeps the core OpenCL does not use");
            assertEquals(1, cl.getResourceCount());
            assertEquals("cores", cl.getResourceUnit());
            assertTrue(cl.getDeviceKey().startsWith("opencl:"), cl.getDeviceKey());
            assertFalse(cl.getModel().contains("declared"));
            assertEquals(List.of("image.gaussian-blur", "matmul.f32"), List.copyOf(cl.getSupportedFunctions()));
            assertEquals(FabricRuntime.OPENCL, cl.getFunctions().get("matmul.f32").runtime());
            assertTrue(cl.getFunctions().get("image.gaussian-blur").implementation().contains("blur_cols"));
            assertEquals(SpeedSource.UNMEASURED, cl.getFunctions().get("matmul.f32").speedSource());
            FunctionImplementation ref = cpu.getFunctions().get("matmul.f32");
            assertEquals(FunctionImplementation.of(FabricRuntime.JAVA, MatmulF32Function.class.getName(), 1.0,
                SpeedSource.REFERENCE), ref);
            assertFalse(cl.getSupportedFunctions().contains("sha256"), "Java code does not run on OpenCL's cores");
        }
    }

    @Test
    void blurRoutedToTheOpenClFabricRunsAsAKernel_withTheCpuFabricsBytes() throws Exception {
        try (FabricAgent agent = new FabricAgent(config().probe(TWO_CORES).probe(openClHere()).build())) {
            List<FabricEntry> fabrics = agent.start();
            FabricEntry cpu = only(fabrics, FabricRuntime.JAVA);
            FabricEntry cl = only(fabrics, FabricRuntime.OPENCL);
            byte[] png = new GaussianBlurFunction().calibrationInput();
            assertArrayEquals(agent.execute(cpu.getFabricId(), "image.gaussian-blur", png, () -> false),
                agent.execute(cl.getFabricId(), "image.gaussian-blur", png, () -> false, 1));
            DeviceBinding b = agent.binding(cl.getFabricId(), 1);
            assertEquals("1", b.environment().get("FABRIC_RESERVED"));
            assertTrue(b.openClDeviceIndex().isPresent());
            assertEquals(cl.getModel(), b.openClDevice().orElseThrow());
        }
    }

    @Test
    void calibrationMeasuresTheOpenClFabricAgainstTheCpu_andPublishesTheSpeeds() throws Exception {
        List<List<FabricEntry>> changes = new CopyOnWriteArrayList<>();
        try (FabricAgent agent = new FabricAgent(config().probe(TWO_CORES).probe(openClHere())
            .calibrationBudget(Duration.ofMillis(300)).build())) {
            agent.addListener(new FabricListener() {
                @Override
                public void onFabricsChanged(List<FabricEntry> fabrics) {
                    changes.add(fabrics);
                }
            });
            agent.start();
            assertTrue(agent.awaitCalibration(Duration.ofSeconds(60)), "calibration still running after 60 s");
            FabricEntry cl = only(agent.fabrics(), FabricRuntime.OPENCL);
            for (String fn : List.of("image.gaussian-blur", "matmul.f32")) {
                FunctionImplementation f = cl.getFunctions().get(fn);
                assertEquals(SpeedSource.MEASURED, f.speedSource(), fn);
                assertTrue(f.speedFactor() > 0, fn + ": " + f);
            }
            double mean = Math.sqrt(cl.speedFor("image.gaussian-blur") * cl.speedFor("matmul.f32"));
            assertEquals(mean, cl.getSpeedFactor(), mean * 0.01);
            assertEquals(SpeedSource.REFERENCE, only(agent.fabrics(), FabricRuntime.JAVA).getFunctions()
                .get("matmul.f32").speedSource());
            assertTrue(changes.size() >= 2, "listeners heard of the measured speeds: " + changes.size());
        }
    }

    @Test
    void gpuSeenByNvidiaSmiAndByOpenCl_isOneFabricWithBothBindings() {
        DetectedFabric smi = DetectedFabric.builder().deviceKey("nvidia:GPU-aaaa").pciAddress("0000:3b:00.0")
            .source("nvidia-smi").fabricType(FabricType.GPU).model("NVIDIA H100 80GB HBM3").resourceUnit("MiB")
            .resourceCount(81559).vendor("NVIDIA").driver("NVIDIA 550.54.15")
            .handles(Map.of(DeviceBinding.GPU_UUID, "GPU-aaaa", DeviceBinding.NVIDIA_INDEX, "0")).build();
        DetectedFabric cl = DetectedFabric.builder().deviceKey("opencl:NVIDIA CUDA/NVIDIA H100 80GB HBM3")
            .pciAddress("0000:3b:00.0").source("opencl").fabricType(FabricType.GPU).model("NVIDIA H100 80GB HBM3")
            .resourceUnit("MiB").resourceCount(81000).vendor("NVIDIA").driver("NVIDIA CUDA 550.54.15")
            .handles(Map.of(DeviceBinding.OPENCL_PLATFORM, "NVIDIA CUDA", DeviceBinding.OPENCL_PLATFORM_INDEX, "9",
                DeviceBinding.OPENCL_DEVICE, "NVIDIA H100 80GB HBM3", DeviceBinding.OPENCL_DEVICE_INDEX, "0"))
            .build();
        try (FabricAgent agent = new FabricAgent(config().probe(TWO_CORES)
            .probe(FabricAgentTest.fixed("opencl", 5, cl)).probe(FabricAgentTest.fixed("nvidia-smi", 20, smi))
            .build())) {
            List<FabricEntry> gpus = agent.start().stream().filter(f -> f.getFabricType() == FabricType.GPU).toList();
            assertEquals(1, gpus.size(), "one device, one fabric: " + gpus);
            FabricEntry gpu = gpus.get(0);
            assertEquals("nvidia:GPU-aaaa", gpu.getDeviceKey());
            assertEquals("0000:3b:00.0", gpu.getPciAddress());
            assertEquals("NVIDIA 550.54.15", gpu.getDriver());
            Map<String, String> env = agent.binding(gpu.getFabricId(), 4096).environment();
            assertEquals("GPU-aaaa", env.get("CUDA_VISIBLE_DEVICES"));
            assertEquals("9", env.get("FABRIC_OPENCL_PLATFORM_INDEX"), "the OpenCL sighting's handles merged in");
            assertEquals("4096", env.get("FABRIC_RESERVED"));
            // platform 9 does not exist here: the GPU stays (nvidia-smi sees it) but runs no OpenCL function
            assertEquals("", gpu.getRuntime());
        }
    }

    @Test
    void gpuSeenByAVendorToolAndByOpenCl_runsTheBuiltInKernels() throws Exception {
        // The real OpenCL device of this host, given a PCI address that a vendor tool's sighting shares: merged, the
        // fabric is described by the tool and must keep OpenCL's compiler feature to run the kernels.
        DetectedFabric real = openClHere().probe().fabrics().stream()
            .filter(f -> f.features().contains(OpenClProbe.COMPILER_FEATURE)).findFirst().orElseThrow();
        DetectedFabric cl = real.toBuilder().deviceKey("pci:0000:3b:00.0").pciAddress("0000:3b:00.0").build();
        DetectedFabric smi = DetectedFabric.builder().deviceKey("nvidia:GPU-bbbb").pciAddress("0000:3b:00.0")
            .source("nvidia-smi").fabricType(FabricType.GPU).model("NVIDIA test GPU").resourceUnit("MiB")
            .resourceCount(1024).vendor("NVIDIA").features(List.of("nvidia-index-0"))
            .handles(Map.of(DeviceBinding.GPU_UUID, "GPU-bbbb", DeviceBinding.NVIDIA_INDEX, "0")).build();
        try (FabricAgent agent = new FabricAgent(config().probe(TWO_CORES).probe(FabricAgentTest.fixed("opencl", 5, cl))
            .probe(FabricAgentTest.fixed("nvidia-smi", 20, smi)).build())) {
            FabricEntry gpu = agent.start().stream().filter(f -> f.getFabricType() == FabricType.GPU).findFirst()
                .orElseThrow();
            assertEquals("nvidia:GPU-bbbb", gpu.getDeviceKey());
            assertEquals("OPENCL", gpu.getRuntime(), gpu.toString());
            assertEquals(List.of("image.gaussian-blur", "matmul.f32"), List.copyOf(gpu.getSupportedFunctions()));
            assertTrue(gpu.getFeatures().contains(OpenClProbe.COMPILER_FEATURE) && gpu.getFeatures()
                .contains("nvidia-index-0"), gpu.getFeatures().toString());
        }
    }

    @Test
    void openClOnlyDeviceThatCannotBeOpened_isLeftOutAndUnclaimed() throws Exception {
        DetectedFabric ghost = DetectedFabric.builder().deviceKey("opencl:Gone/Ghost").source("opencl")
            .fabricType(FabricType.GPU).model("Ghost").resourceUnit("MiB").resourceCount(1024)
            .handles(Map.of(DeviceBinding.OPENCL_PLATFORM, "Gone", DeviceBinding.OPENCL_PLATFORM_INDEX, "42",
                DeviceBinding.OPENCL_DEVICE, "Ghost", DeviceBinding.OPENCL_DEVICE_INDEX, "0")).build();
        openClHere(); // the runtime must load for the attach to be tried
        AgentConfiguration.Builder cfg = config().probe(TWO_CORES).probe(FabricAgentTest.fixed("opencl", 5, ghost));
        try (FabricAgent agent = new FabricAgent(cfg.build())) {
            assertTrue(agent.start().stream().noneMatch(f -> f.getModel().equals("Ghost")));
        }
        try (FabricAgent other = new FabricAgent(cfg.agentName("n1").build())) {
            other.start();
            assertTrue(new io.fabricstitch.agent.internal.DeviceClaims(claimDir, "probe").tryClaim("opencl:Gone/Ghost")
                == io.fabricstitch.agent.internal.DeviceClaims.Outcome.CLAIMED, "its claim was given up");
        }
    }

    @Test
    void openClCpuDeviceOnAOneCoreHost_isSkippedSoNoCoreCountsTwice() throws Exception {
        openClHere();
        ProbeResult r = new OpenClProbe(0, 1).probe();
        assertTrue(r.fabrics().stream().noneMatch(f -> f.fabricType() == FabricType.CPU), r.toString());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("a CPU device on a host with 1 core(s) (expected: "
            + "at least 2, one for the CPU fabric and one for OpenCL); skipped so no core counts twice")), r.toString());
    }

    @Test
    void coresThatNoLongerFit_leaveTheOpenClDeviceOut() {
        DetectedFabric host = DetectedFabric.builder().deviceKey("cpu").source("cpu").fabricType(FabricType.CPU)
            .model("CPU").resourceUnit("cores").resourceCount(4).build();
        DetectedFabric a = host.toBuilder().deviceKey("opencl:a").source("opencl").resourceCount(2).resourceFree(2)
            .build();
        DetectedFabric b = host.toBuilder().deviceKey("opencl:b").source("opencl").resourceCount(2).resourceFree(2)
            .build();
        HostDevices.CoreShare share = HostDevices.shareCores(List.of(host, a, b), FabricAgent::isCpu);
        assertEquals(2, share.setAside);
        assertEquals(List.of(b), share.left);
        assertEquals(2, share.devices.get(0).resourceCount());
        assertEquals(a, share.devices.get(1));
    }

    @Test
    void openClDeviceWithoutPciAddress_isPairedWithTheOneCardOfItsKind_orLeftOutWhenAmbiguous() {
        DetectedFabric.Builder fpga = DetectedFabric.builder().fabricType(FabricType.FPGA).model("Xilinx card")
            .resourceUnit("devices").resourceCount(1).vendor("Xilinx");
        DetectedFabric card = fpga.deviceKey("pci:0000:d8:00.1").pciAddress("0000:d8:00.1").source("pci-sysfs")
            .handles(Map.of()).build();
        DetectedFabric other = fpga.deviceKey("pci:0000:af:00.1").pciAddress("0000:af:00.1").source("pci-sysfs")
            .handles(Map.of()).build();
        DetectedFabric cl = DetectedFabric.builder().deviceKey("opencl:Xilinx/xilinx_u250").source("opencl")
            .fabricType(FabricType.FPGA).model("xilinx_u250").resourceUnit("devices").resourceCount(1)
            .vendor("Xilinx").handles(Map.of(DeviceBinding.OPENCL_PLATFORM, "Xilinx",
                DeviceBinding.OPENCL_PLATFORM_INDEX, "0", DeviceBinding.OPENCL_DEVICE, "xilinx_u250",
                DeviceBinding.OPENCL_DEVICE_INDEX, "0")).build();
        List<String> warnings = new java.util.ArrayList<>();
        List<DetectedFabric> one = HostDevices.pairUnaddressedOpenCl(List.of(card, cl), warnings::add);
        assertEquals(1, one.size(), one.toString());
        assertEquals("pci:0000:d8:00.1", one.get(0).deviceKey());
        assertTrue(one.get(0).hasOpenCl(), "the card gains OpenCL's identifiers");
        List<DetectedFabric> two = HostDevices.pairUnaddressedOpenCl(List.of(card, other, cl), warnings::add);
        assertEquals(List.of(card, other), two, "which card is it? neither: the OpenCL sighting is left out");
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).startsWith("OpenCL device xilinx_u250 (opencl:Xilinx/xilinx_u250) left out: its "
            + "driver gives no PCI address, and 2 Xilinx FPGA card(s)"), warnings.get(0));
    }

    @Test
    void amdGpusGetVendorOrdinalsInPciOrder_nvidiaKeepsItsOwnIndex() {
        DetectedFabric.Builder gpu = DetectedFabric.builder().source("pci-sysfs").fabricType(FabricType.GPU)
            .model("GPU").resourceUnit("devices").resourceCount(1);
        DetectedFabric late = gpu.deviceKey("pci:0000:c1:00.0").pciAddress("0000:c1:00.0").vendor("AMD").build();
        DetectedFabric early = gpu.deviceKey("pci:0000:41:00.0").pciAddress("0000:41:00.0").vendor("AMD").build();
        DetectedFabric nv = gpu.deviceKey("pci:0000:01:00.0").pciAddress("0000:01:00.0").vendor("NVIDIA").build();
        List<DetectedFabric> out = HostDevices.withVendorOrdinals(List.of(late, early, nv));
        assertEquals("1", out.get(0).handles().get(DeviceBinding.VENDOR_ORDINAL));
        assertEquals("0", out.get(1).handles().get(DeviceBinding.VENDOR_ORDINAL));
        assertFalse(out.get(2).handles().containsKey(DeviceBinding.VENDOR_ORDINAL));
    }
}
