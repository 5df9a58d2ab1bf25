package io.fabricstitch.agent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.FabricProbe;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.FunctionRegistry;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FabricAgentFunctionTest {
    private static final List<String> BUILT_INS = List.of("deflate", "image.gaussian-blur", "matmul.f32", "sha256");
    private static final byte[] ABC = "abc".getBytes(StandardCharsets.US_ASCII);
    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    private static final FabricProbe CPU = FabricAgentTest.fixed("cpu", 0, DetectedFabric.builder().deviceKey("cpu")
        .source("cpu").fabricType(FabricType.CPU).model("Test CPU").resourceUnit("cores").resourceCount(8).build());

    private static final FabricProbe GPU = FabricAgentTest.fixed("nvidia-smi", 20, DetectedFabric.builder()
        .deviceKey("nvidia:GPU-1").source("nvidia-smi").fabricType(FabricType.GPU).model("NVIDIA H100")
        .resourceUnit("MiB").resourceCount(81559).build());

    @TempDir
    Path claimDir;

    /** A time source that advances one millisecond after each read and remembers the last value it gave. */
    static final class SteppingClock implements LongSupplier {
        private final AtomicLong next = new AtomicLong();
        private final AtomicLong last = new AtomicLong(-1);
        private final long step;

        SteppingClock() {
            this(MS);
        }

        SteppingClock(long step) {
            this.step = step;
        }

        @Override
        public long getAsLong() {
            long now = next.getAndAdd(step);
            last.set(now);
            return now;
        }

        long lastRead() {
            return last.get();
        }
    }

    private AgentConfiguration.Builder config() {
        return AgentConfiguration.builder().agentName("n0").nodeId(UUID.randomUUID()).hostId("host-1")
            .claimDirectory(claimDir);
    }

    private static DeclaredFabric declared(String name, FabricType type, String... functions) {
        return new DeclaredFabric().setName(name).setType(type).setModel(type + " (declared)").setResourceUnit("MiB")
            .setResourceCount(1024).setFunctions(List.of(functions));
    }

    private static Map<FabricType, FabricEntry> byType(List<FabricEntry> fabrics) {
        return fabrics.stream().collect(Collectors.toMap(FabricEntry::getFabricType, e -> e));
    }

    private static byte[] sha256(byte[] input) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(input);
    }

    @Test
    void probedCpuFabric_runsTheFourBuiltIns_andAProbedGpuNone() throws Exception {
        try (FabricAgent agent = new FabricAgent(config().probe(CPU).probe(GPU).build())) {
            Map<FabricType, FabricEntry> fabrics = byType(agent.start());
            FabricEntry cpu = fabrics.get(FabricType.CPU);
            assertEquals(BUILT_INS, List.copyOf(cpu.getSupportedFunctions()));
            assertEquals(Set.of(), fabrics.get(FabricType.GPU).getSupportedFunctions());
            assertArrayEquals(sha256(ABC), agent.execute(cpu.getFabricId(), "sha256", ABC, () -> false));
            assertFalse(agent.isSimulated(cpu.getFabricId()));
            assertEquals(1.0, agent.speedFactor(cpu.getFabricId()));
            assertEquals(BUILT_INS, List.copyOf(agent.functionRegistry().names()));
        }
    }

    @Test
    void probedFunctions_mustBeRegisteredOrOpenCl_namingTheSettingByItsPath() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
            () -> config().probedFunctions(List.of("sha256", "fft")).build());
        assertEquals("agent.probedFunctions element: 'fft' is not a registered function (registered: deflate [CPU], "
            + "image.gaussian-blur [CPU], matmul.f32 [CPU], sha256 [CPU]; OpenCL: image.gaussian-blur, matmul.f32)",
            unknown.getMessage());
    }

    @Test
    void probedFunctions_giveEachTypeThoseItCanRun() {
        AgentConfiguration cfg = config().probedFunctions(List.of("sha256", "matmul.f32")).build();
        assertEquals(Set.of("sha256", "matmul.f32"), cfg.defaultFunctions(FabricType.CPU));
        assertEquals(Set.of("matmul.f32"), cfg.defaultFunctions(FabricType.GPU), "sha256 has no GPU implementation");
    }

    @Test
    void declaredFabricNamingAnUnregisteredFunction_failsStart() {
        try (FabricAgent agent = new FabricAgent(config().probe(new DeclaredFabricProbe(
            List.of(declared("x", FabricType.FPGA, "sha256", "foo")))).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, agent::start);
            assertEquals("declared fabric 'x': functions element 'foo' is not a registered function (registered: "
                + "deflate, image.gaussian-blur, matmul.f32, sha256)", e.getMessage());
        }
    }

    @Test
    void declaredFabricNamingAFunctionWithNoCpuImplementation_failsStart() {
        FunctionRegistry gpuOnly = FunctionRegistry.of(List.of(new Named("fft", FabricType.GPU)));
        try (FabricAgent agent = new FabricAgent(config().functionRegistry(gpuOnly).probe(new DeclaredFabricProbe(
            List.of(declared("f0", FabricType.FPGA, "fft")))).build())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, agent::start);
            assertEquals("declared fabric 'f0': functions element 'fft' has no implementation for FPGA or CPU "
                + "(implemented for: GPU)", e.getMessage());
        }
    }

    @Test
    void declaredFabric_runsTheRealCpuCode_andReportsItsLatency() throws Exception {
        DeclaredFabric gpu = declared("g0", FabricType.GPU, "matmul.f32", "sha256").setLatencyMs(2.5);
        try (FabricAgent agent = new FabricAgent(config().probe(new DeclaredFabricProbe(List.of(gpu))).build())) {
            FabricEntry e = agent.start().get(0);
            assertEquals(2.5, e.getLatencyMs());
            assertTrue(agent.isSimulated(e.getFabricId()));
            assertArrayEquals(sha256(ABC), agent.execute(e.getFabricId(), "sha256", ABC, () -> false));
            ByteBuffer in = ByteBuffer.allocate(12 + 4 * (4 + 2)).order(ByteOrder.LITTLE_ENDIAN).putInt(2).putInt(2)
                .putInt(1).putFloat(1).putFloat(2).putFloat(3).putFloat(4).putFloat(10).putFloat(100);
            ByteBuffer out = ByteBuffer.wrap(agent.execute(e.getFabricId(), "matmul.f32", in.array(), () -> false))
                .order(ByteOrder.LITTLE_ENDIAN);
            assertEquals(2, out.getInt());
            assertEquals(1, out.getInt());
            assertEquals(210f, out.getFloat());
            assertEquals(430f, out.getFloat());
        }
    }

    @Test
    void execute_refusesUnknownFabricsAndUnlistedFunctions_namingThem() {
        try (FabricAgent agent = new FabricAgent(config().probe(CPU).probe(new DeclaredFabricProbe(
            List.of(declared("g0", FabricType.GPU, "sha256")))).build())) {
            FabricEntry gpu = byType(agent.start()).get(FabricType.GPU);
            UUID stranger = UUID.fromString("00000000-0000-0000-0000-000000000001");
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> agent.execute(stranger, "sha256", ABC, () -> false));
            assertEquals("fabricId: " + stranger + " (expected: one of the 2 fabrics agent n0 reports)",
                unknown.getMessage());
            FunctionException unlisted = assertThrows(FunctionException.class,
                () -> agent.execute(gpu.getFabricId(), "deflate", ABC, () -> false));
            assertEquals("fabric " + gpu.getFabricId() + " (GPU (declared)) does not run deflate (it runs: sha256)",
                unlisted.getMessage());
            assertThrows(IllegalArgumentException.class, () -> agent.speedFactor(stranger));
        }
    }

    @Test
    void execute_throwsFunctionCancelled_whenTheCallerCancels() {
        try (FabricAgent agent = new FabricAgent(config().probe(CPU).build())) {
            UUID cpu = agent.start().get(0).getFabricId();
            assertThrows(FunctionCancelledException.class, () -> agent.execute(cpu, "deflate", ABC, () -> true));
        }
    }

    @Test
    void slowedDeclaredFabric_holdsTheCallUntilComputeTimeOverSpeedFactor() throws Exception {
        for (double factor : new double[] {0.2, 0.5, 1.0, 4.0}) {
            SteppingClock clock = new SteppingClock();
            try (FabricAgent agent = pacedAgent(clock, factor)) {
                UUID id = agent.start().get(0).getFabricId();
                assertEquals(factor, agent.speedFactor(id));
                assertArrayEquals(sha256(ABC), agent.execute(id, "sha256", ABC, () -> false));
                long computeNanos = MS;
                long expectedLastRead = factor < 1 ? Math.round(computeNanos / factor) : computeNanos;
                assertEquals(expectedLastRead, clock.lastRead(), "speedFactor " + factor);
            }
        }
    }

    @Test
    void slowedDeclaredFabric_stopsHoldingWhenCancelled() {
        SteppingClock clock = new SteppingClock();
        try (FabricAgent agent = pacedAgent(clock, 0.1)) {
            UUID id = agent.start().get(0).getFabricId();
            assertThrows(FunctionCancelledException.class,
                () -> agent.execute(id, "sha256", ABC, () -> clock.lastRead() >= 3 * MS));
            assertEquals(3 * MS, clock.lastRead(), "no reading after the cancellation was seen");
        }
    }

    @Test
    void slowedDeclaredFabric_treatsInterruptionAsCancellation_andKeepsTheFlag() {
        try (FabricAgent agent = pacedAgent(new SteppingClock(), 0.1)) {
            UUID id = agent.start().get(0).getFabricId();
            Thread.currentThread().interrupt();
            FunctionCancelledException e = assertThrows(FunctionCancelledException.class,
                () -> agent.execute(id, "sha256", ABC, () -> false));
            assertTrue(Thread.interrupted(), "interrupt flag kept");
            assertTrue(e.getMessage().startsWith("interrupted while pacing fabric " + id), e.getMessage());
        }
    }

    @Test
    void slowedDeclaredFabric_countsTheThreadsCpuTime_soAPauseDuringTheCallIsNotStretched() throws Exception {
        SteppingClock wall = new SteppingClock(100 * MS); // 100 ms pass between two readings: a pause
        SteppingClock cpu = new SteppingClock(MS);        // of which the thread computed 1 ms
        try (FabricAgent agent = pacedAgent(wall, cpu, 0.1)) {
            UUID id = agent.start().get(0).getFabricId();
            assertArrayEquals(sha256(ABC), agent.execute(id, "sha256", ABC, () -> false));
            // held until 1 ms / 0.1 = 10 ms after the start, which the first reading after the call has passed;
            // by wall time it would have been held until 100 ms / 0.1 = 1 s
            assertEquals(2 * 100 * MS, wall.lastRead());
        }
    }

    /** An agent whose one ASIC has {@code speedFactor}; the JVM measures no thread CPU time, so wall time counts. */
    private FabricAgent pacedAgent(LongSupplier clock, double speedFactor) {
        return pacedAgent(clock, () -> -1, speedFactor);
    }

    private FabricAgent pacedAgent(LongSupplier clock, LongSupplier cpu, double speedFactor) {
        DeclaredFabric asic = declared("a0", FabricType.ASIC, "sha256").setSpeedFactor(speedFactor);
        return new FabricAgent(config().nanoTime(clock).threadCpuTime(cpu)
            .probe(new DeclaredFabricProbe(List.of(asic))).build());
    }

    @Test
    void execute_wrapsAFunctionsUnexpectedFailure() {
        FunctionRegistry registry = FunctionRegistry.of(List.of(new Named("broken", FabricType.CPU)));
        try (FabricAgent agent = new FabricAgent(config().functionRegistry(registry).probe(CPU).build())) {
            FabricEntry cpu = agent.start().get(0);
            assertEquals(List.of("broken"), List.copyOf(cpu.getSupportedFunctions()));
            FunctionException e = assertThrows(FunctionException.class,
                () -> agent.execute(cpu.getFabricId(), "broken", ABC, () -> false));
            assertEquals("function broken failed on fabric " + cpu.getFabricId() + " (Test CPU): "
                + "java.lang.IllegalStateException: bug", e.getMessage());
        }
    }

    @Test
    void declaredFabric_refusesOutOfRangeLatencyAndSpeedFactor() {
        assertEquals("declared fabric 'g0': speedFactor: 0.0 (expected: a number > 0 and <= 1000.0)",
            assertThrows(IllegalArgumentException.class,
                () -> declared("g0", FabricType.GPU).setSpeedFactor(0).toDetected()).getMessage());
        assertEquals("declared fabric 'g0': speedFactor: 1000.5 (expected: a number > 0 and <= 1000.0)",
            assertThrows(IllegalArgumentException.class,
                () -> declared("g0", FabricType.GPU).setSpeedFactor(1000.5).toDetected()).getMessage());
        assertEquals("declared fabric 'g0': latencyMs: -1.0 (expected: a finite number >= 0)",
            assertThrows(IllegalArgumentException.class,
                () -> declared("g0", FabricType.GPU).setLatencyMs(-1).toDetected()).getMessage());
        DetectedFabric d = declared("g0", FabricType.GPU).toDetected();
        assertTrue(d.simulated());
        assertEquals(0.0, d.latencyMs());
        assertEquals(1.0, d.speedFactor());
    }

    /** A function of one name and type that fails with a bug. */
    static final class Named implements AccelerationFunction {
        private final String name;
        private final FabricType type;

        Named(String name, FabricType type) {
            this.name = name;
            this.type = type;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public Set<FabricType> fabricTypes() {
            return Set.of(type);
        }

        @Override
        public byte[] execute(FunctionContext ctx, byte[] input) {
            throw new IllegalStateException("bug");
        }
    }
}
