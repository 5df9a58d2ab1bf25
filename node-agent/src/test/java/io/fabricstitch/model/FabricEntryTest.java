package io.fabricstitch.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

class FabricEntryTest {
    static FabricEntry.Builder valid() {
        return FabricEntry.builder()
            .fabricId(UUID.fromString("6b1d5c2e-8f0a-3c4d-9e1f-2a3b4c5d6e7f"))
            .nodeId(UUID.fromString("11111111-2222-3333-4444-555555555555"))
            .agentAddress("10.0.0.7:47700")
            .site("site-a")
            .fabricType(FabricType.FPGA)
            .model("Xilinx Alveo U250")
            .resourceUnit("slices")
            .resourceCount(1024)
            .resourceFree(1000)
            .latencyMs(0.25)
            .supportedFunctions(List.of("sha256", "image.gaussian-blur"))
            .features(List.of("declared"))
            .updatedAt(Instant.parse("2026-11-26T10:15:30.123Z"));
    }

    private static String rejection(UnaryOperator<FabricEntry.Builder> change) {
        return assertThrows(IllegalArgumentException.class, () -> change.apply(valid()).build()).getMessage();
    }

    @Test
    void buildsWithSortedFunctionsAndEmptyReasonWhenOnline() {
        FabricEntry e = valid().build();
        assertEquals(List.of("image.gaussian-blur", "sha256"), List.copyOf(e.getSupportedFunctions()));
        assertEquals("", e.getStatusReason());
        assertEquals(24, e.getResourceUsed());
    }

    @Test
    void rejectsFreeResourcesAboveCount_namingFieldAndRange() {
        assertEquals("resourceFree: 2000 (expected: 0..1024)", rejection(b -> b.resourceFree(2000)));
    }

    @Test
    void rejectsEachInvalidField_withItsName() {
        assertEquals("fabricId: null (expected: a value)", rejection(b -> b.fabricId(null)));
        assertEquals("nodeId: null (expected: a value)", rejection(b -> b.nodeId(null)));
        assertTrue(rejection(b -> b.agentAddress("10.0.0.7")).startsWith("agentAddress: '10.0.0.7' (expected: host:port"));
        assertTrue(rejection(b -> b.agentAddress("host:70000")).startsWith("agentAddress: 'host:70000'"));
        assertTrue(rejection(b -> b.site("site a")).startsWith("site: 'site a' (expected: 1-128 letters"));
        assertEquals("fabricType: null (expected: a value)", rejection(b -> b.fabricType(null)));
        assertEquals("model: '  ' (expected: a non-blank string)", rejection(b -> b.model("  ")));
        assertTrue(rejection(b -> b.resourceUnit("")).startsWith("resourceUnit: ''"));
        assertEquals("resourceCount: 0 (expected: 1.." + Long.MAX_VALUE + ")", rejection(b -> b.resourceCount(0)));
        assertEquals("resourceFree: -1 (expected: 0..1024)", rejection(b -> b.resourceFree(-1)));
        assertEquals("latencyMs: -0.5 (expected: a finite number >= 0)", rejection(b -> b.latencyMs(-0.5)));
        assertEquals("latencyMs: NaN (expected: a finite number >= 0)", rejection(b -> b.latencyMs(Double.NaN)));
        assertTrue(rejection(b -> b.supportedFunctions(List.of("ok", "bad name")))
            .startsWith("functions key: 'bad name'"));
        assertTrue(rejection(b -> b.pciAddress("3b:00.0")).startsWith("pciAddress: '3b:00.0' (expected: empty, or "
            + "domain:bus:device.function"));
        assertEquals("deviceKey: 300 characters (expected: at most 256)", rejection(b -> b.deviceKey("k".repeat(300))));
        assertEquals("status: null (expected: a value)", rejection(b -> b.status(null)));
        assertEquals("updatedAt: null (expected: a value)", rejection(b -> b.updatedAt(null)));
    }

    @Test
    void requiresReasonForOfflineAndDegraded() {
        assertEquals("statusReason: 'null' (expected: a reason when status is OFFLINE)",
            rejection(b -> b.status(FabricStatus.OFFLINE)));
        FabricEntry degraded = valid().status(FabricStatus.DEGRADED).statusReason(" hot: 91 C ").build();
        assertEquals("hot: 91 C", degraded.getStatusReason());
    }

    @Test
    void acceptsIpv6AndHostNameAddresses() {
        assertEquals("[fe80::1]:47700", valid().agentAddress("[fe80::1]:47700").build().getAgentAddress());
        assertEquals("gpu-host-3.lab:0", valid().agentAddress("gpu-host-3.lab:0").build().getAgentAddress());
    }

    @Test
    void roundTripsThroughJson() {
        FabricEntry e = valid().status(FabricStatus.DEGRADED).statusReason("late report").build();
        String json = FabricJson.toJson(e);
        assertTrue(json.contains("\"updatedAt\":\"2026-11-26T10:15:30.123Z\""), json);
        assertTrue(json.contains("\"fabricType\":\"FPGA\""), json);
        assertEquals(e, FabricJson.fromJson(json));
    }

    @Test
    void rejectsInvalidJson_withFieldNameNotStackTrace() {
        String json = FabricJson.toJson(valid().build()).replace("\"resourceFree\":1000", "\"resourceFree\":5000");
        assertEquals("resourceFree: 5000 (expected: 0..1024)",
            assertThrows(IllegalArgumentException.class, () -> FabricJson.fromJson(json)).getMessage());
        String unknown = FabricJson.toJson(valid().build()).replace("{", "{\"colour\":\"red\",");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FabricJson.fromJson(unknown)).getMessage()
            .contains("colour"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> FabricJson.fromJson("{\"model\":")).getMessage()
            .startsWith("fabric entry JSON: "));
    }

    @Test
    void roundTripsFunctionImplementationsAndDeviceFieldsThroughJson() {
        FabricEntry e = valid().fabricType(FabricType.GPU).deviceKey("nvidia:GPU-1").pciAddress("0000:3b:00.0")
            .driver("NVIDIA 550.54.15").functions(Map.of(
                "matmul.f32", FunctionImplementation.of(FabricRuntime.OPENCL, "OpenCL matmul_f32.cl", 42.5,
                    SpeedSource.MEASURED),
                "encode", FunctionImplementation.of(FabricRuntime.PROCESS, "ffmpeg -i {input} {output}", 0,
                    SpeedSource.UNMEASURED)))
            .build();
        assertEquals(e, FabricJson.fromJson(FabricJson.toJson(e)));
        assertEquals("OPENCL,PROCESS", e.getRuntime());
        assertEquals(List.of("encode", "matmul.f32"), List.copyOf(e.getSupportedFunctions()));
    }

    @Test
    void speedForAFunctionIsItsOwnElseTheFabrics() {
        FabricEntry e = valid().speedFactor(3).functions(Map.of(
            "matmul.f32", FunctionImplementation.of(FabricRuntime.OPENCL, "k", 40, SpeedSource.MEASURED),
            "sha256", FunctionImplementation.unspecified())).build();
        assertEquals(40, e.speedFor("matmul.f32"));
        assertEquals(3, e.speedFor("sha256"));
        assertEquals(3, e.speedFor("unknown"));
        assertEquals(3, e.speedFor(null));
        assertEquals("JAVA,OPENCL", e.getRuntime());
        assertEquals("", valid().supportedFunctions(List.of()).build().getRuntime());
    }

    @Test
    void rejectsAFunctionSpeedOutsideItsRange() {
        assertEquals("speedFactor: 2000.0 (expected: a number > 0 and <= 1000.0)", assertThrows(
            IllegalArgumentException.class, () -> FunctionImplementation.of(FabricRuntime.OPENCL, "k", 2000,
                SpeedSource.MEASURED)).getMessage());
        assertEquals("runtime: 'CUDA' (expected one of: JAVA, OPENCL, PROCESS)",
            assertThrows(IllegalArgumentException.class, () -> FabricRuntime.parse("CUDA")).getMessage());
    }

    @Test
    void withStatusKeepsIdentityAndChangesStatus() {
        FabricEntry e = valid().build();
        Instant later = e.getUpdatedAt().plusSeconds(5);
        FabricEntry off = e.withStatus(FabricStatus.OFFLINE, "node left", later);
        assertEquals(e.getFabricId(), off.getFabricId());
        assertEquals(FabricStatus.OFFLINE, off.getStatus());
        assertEquals(later, off.getUpdatedAt());
    }

    @Test
    void parsesTypeAndStatusIgnoringCase_andNamesAcceptedValues() {
        assertEquals(FabricType.GPU, FabricType.parse(" gpu "));
        assertEquals("fabricType: 'TPU' (expected one of: GPU, FPGA, ASIC, CPU)",
            assertThrows(IllegalArgumentException.class, () -> FabricType.parse("TPU")).getMessage());
        assertEquals(FabricStatus.DEGRADED, FabricStatus.parse("degraded"));
    }
}
