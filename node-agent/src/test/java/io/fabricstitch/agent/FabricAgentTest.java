package io.fabricstitch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.probe.ProbeUnavailableException;
import io.fabricstitch.agent.probe.ProbeResult;
import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.FabricProbe;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricAgentTest {
    @TempDir
    Path claimDir;

    private static final FabricProbe CPU = fixed("cpu", 0, DetectedFabric.builder().deviceKey("cpu").source("cpu")
        .fabricType(FabricType.CPU).model("Test CPU").resourceUnit("cores").resourceCount(8).build());

    private static final DetectedFabric H100_BY_PCI = DetectedFabric.builder().deviceKey("pci:0000:18:00.0")
        .pciAddress("0000:18:00.0").source("pci-sysfs").fabricType(FabricType.GPU).model("NVIDIA 0x2330")
        .resourceUnit("devices").resourceCount(1).build();

    private static final DetectedFabric H100_BY_SMI = DetectedFabric.builder().deviceKey("nvidia:GPU-5c8b1f0e")
        .pciAddress("00000000:18:00.0").source("nvidia-smi").fabricType(FabricType.GPU)
        .model("NVIDIA H100 80GB HBM3").resourceUnit("MiB").resourceCount(81559).resourceFree(81008).build();

    static FabricProbe fixed(String name, int precedence, DetectedFabric... found) {
        return new FabricProbe() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public int precedence() {
                return precedence;
            }

            @Override
            public ProbeResult probe() {
                return ProbeResult.of(List.of(found));
            }
        };
    }

    private AgentConfiguration.Builder config(String agentName) {
        return AgentConfiguration.builder().agentName(agentName).nodeId(UUID.randomUUID()).hostId("host-1")
            .claimDirectory(claimDir);
    }

    private static DeclaredFabric declared(String name, FabricType type) {
        return new DeclaredFabric().setName(name).setType(type).setModel(type + " (declared)").setResourceUnit("slices")
            .setResourceCount(100).setFunctions(List.of("sha256"));
    }

    @Test
    void mergesOneDeviceSeenByTwoProbes_keepingTheRicherProbe() {
        FabricAgent agent = new FabricAgent(config("n0").probe(fixed("pci-sysfs", 0, H100_BY_PCI))
            .probe(fixed("nvidia-smi", 20, H100_BY_SMI)).build());
        List<FabricEntry> fabrics = agent.start();
        assertEquals(1, fabrics.size(), fabrics::toString);
        assertEquals("NVIDIA H100 80GB HBM3", fabrics.get(0).getModel());
        assertEquals(81008, fabrics.get(0).getResourceFree());
        agent.stop();
    }

    @Test
    void givesEachDeviceToTheFirstNodeOfTheHost_andEachNodeItsOwnCpu() {
        DeclaredFabricProbe gpus = new DeclaredFabricProbe(List.of(declared("g0", FabricType.GPU)));
        try (FabricAgent first = new FabricAgent(config("n0").probe(CPU).probe(gpus).build());
             FabricAgent second = new FabricAgent(config("n1").probe(CPU).probe(gpus).build())) {
            assertEquals(Map.of(FabricType.CPU, 1L, FabricType.GPU, 1L), countByType(first.start()));
            assertEquals(Map.of(FabricType.CPU, 1L), countByType(second.start()));
            assertNotEquals(first.fabrics().get(0).getFabricId(), second.fabrics().get(0).getFabricId());
        }
    }

    @Test
    void releasesClaimsOnStop_soTheDeviceKeepsItsIdOnTheNextNode() {
        DeclaredFabricProbe gpus = new DeclaredFabricProbe(List.of(declared("g0", FabricType.GPU)));
        FabricAgent first = new FabricAgent(config("n0").probe(gpus).build());
        UUID id = first.start().get(0).getFabricId();
        first.stop();
        try (FabricAgent restarted = new FabricAgent(config("n0").probe(gpus).build())) {
            assertEquals(List.of(id), restarted.start().stream().map(FabricEntry::getFabricId)
                .collect(Collectors.toList()));
        }
    }

    @Test
    void claimsOnlyAllowListedDevices_butAlwaysItsCpu() {
        DeclaredFabricProbe all = new DeclaredFabricProbe(List.of(declared("demo-gpu-0", FabricType.GPU),
            declared("demo-fpga-0", FabricType.FPGA), declared("demo-asic-0", FabricType.ASIC)));
        try (FabricAgent agent = new FabricAgent(config("n0").probe(CPU).probe(all)
            .deviceAllowList(List.of("declared:demo-fpga-*", "pci:0000:3b:*")).build())) {
            assertEquals(Map.of(FabricType.CPU, 1L, FabricType.FPGA, 1L), countByType(agent.start()));
        }
    }

    @Test
    void rejectsMalformedAllowListPattern() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
            () -> config("n0").deviceAllowList(List.of("gpu 0")).build());
        assertTrue(e.getMessage().startsWith("agent.deviceAllowList element: 'gpu 0' (expected: a glob"),
            e.getMessage());
    }

    @Test
    void keepsRunning_whenAProbeIsUnavailableOrThrows() {
        FabricProbe missing = new FabricProbe() {
            @Override
            public String name() {
                return "missing";
            }

            @Override
            public ProbeResult probe() throws ProbeUnavailableException {
                throw new ProbeUnavailableException("tool not found");
            }
        };
        FabricProbe broken = fixed("broken", 0);
        FabricProbe throwing = new FabricProbe() {
            @Override
            public String name() {
                return "throwing";
            }

            @Override
            public ProbeResult probe() {
                throw new IllegalStateException("bug in probe");
            }
        };
        try (FabricAgent agent = new FabricAgent(config("n0").probe(missing).probe(broken).probe(throwing).probe(CPU)
            .build())) {
            assertEquals(Map.of(FabricType.CPU, 1L), countByType(agent.start()));
        }
    }

    @Test
    void givesDeclaredFabricsTheirFunctions_andProbedOnesTheTypeDefaults() {
        try (FabricAgent agent = new FabricAgent(config("n0").probe(CPU)
            .probe(new DeclaredFabricProbe(List.of(declared("f0", FabricType.FPGA).setSite("site-b"))))
            .probedFunctions(List.of("deflate")).build())) {
            Map<FabricType, FabricEntry> byType = agent.start().stream()
                .collect(Collectors.toMap(FabricEntry::getFabricType, e -> e));
            assertEquals(List.of("deflate"), List.copyOf(byType.get(FabricType.CPU).getSupportedFunctions()));
            assertEquals(List.of("sha256"), List.copyOf(byType.get(FabricType.FPGA).getSupportedFunctions()));
            assertEquals("site-b", byType.get(FabricType.FPGA).getSite());
            assertEquals("default", byType.get(FabricType.CPU).getSite());
            assertEquals(List.of("deflate", "sha256"), List.copyOf(agent.functions()));
        }
    }

    @Test
    void rejectsInvalidOrDuplicateDeclarations_namingThem() {
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
            () -> new DeclaredFabricProbe(List.of(declared("g0", FabricType.GPU).setResourceCount(0))));
        assertEquals("declared fabric 'g0': resourceCount: 0 (expected: 1.." + Long.MAX_VALUE + ")", bad.getMessage());
        IllegalArgumentException dup = assertThrows(IllegalArgumentException.class, () -> new DeclaredFabricProbe(
            List.of(declared("g0", FabricType.GPU), declared("g0", FabricType.FPGA))));
        assertTrue(dup.getMessage().startsWith("declared fabric 'g0': name declared twice"), dup.getMessage());
    }

    @Test
    void unnamedNodesTakeHostSlots_andARestartedNodeFindsItsCpuIdAgain() {
        AgentConfiguration.Builder unnamed = config(null).probe(CPU);
        FabricAgent a = new FabricAgent(unnamed.build());
        try (FabricAgent b = new FabricAgent(config(null).probe(CPU).build())) {
            assertEquals("slot-0", a.agentName());
            assertEquals("slot-1", b.agentName());
            UUID cpuOfA = a.start().get(0).getFabricId();
            a.stop();
            try (FabricAgent restarted = new FabricAgent(config(null).probe(CPU).build())) {
                assertEquals("slot-0", restarted.agentName());
                assertEquals(cpuOfA, restarted.start().get(0).getFabricId());
            }
        }
    }

    @Test
    void refusesSecondStart() {
        try (FabricAgent agent = new FabricAgent(config("n0").build())) {
            agent.start();
            assertThrows(IllegalStateException.class, agent::start);
        }
    }

    private static Map<FabricType, Long> countByType(List<FabricEntry> fabrics) {
        return fabrics.stream().collect(Collectors.groupingBy(FabricEntry::getFabricType, Collectors.counting()));
    }
}
