package io.fabricstitch.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.probe.ProbeUnavailableException;
import io.fabricstitch.agent.probe.ProbeResult;
import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.FabricProbe;
import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.DecodeBudget;
import io.fabricstitch.function.DecodeBudgetExceededException;
import io.fabricstitch.function.FabricUnavailableException;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.function.FunctionRegistry;
import io.fabricstitch.function.InvalidInputException;
import io.fabricstitch.function.builtin.GaussianBlurFunction;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's health checks: every status and reason, fault injection, and what listeners hear. */
class FabricAgentHealthTest {
    /** Checks run by hand in these tests: the agent's own schedule is an hour apart. */
    private static final HealthPolicy BY_HAND = HealthPolicy.builder().interval(Duration.ofHours(1)).build();

    private static final DetectedFabric H100 = DetectedFabric.builder().deviceKey("nvidia:GPU-1")
        .pciAddress("0000:18:00.0").source("nvidia-smi").fabricType(FabricType.GPU).model("NVIDIA H100")
        .resourceUnit("MiB").resourceCount(81559).build();

    @TempDir
    Path claimDir;

    /** A probe whose answer the test sets: devices, or a failure. */
    static final class SwitchableProbe implements FabricProbe {
        final AtomicReference<List<DetectedFabric>> devices = new AtomicReference<>();
        final AtomicReference<String> unavailable = new AtomicReference<>();
        volatile long delayMs;

        SwitchableProbe(DetectedFabric... found) {
            devices.set(List.of(found));
        }

        @Override
        public String name() {
            return "nvidia-smi";
        }

        @Override
        public int precedence() {
            return 20;
        }

        @Override
        public ProbeResult probe() throws ProbeUnavailableException {
            if (delayMs > 0) {
                try {
                    Thread.sleep(delayMs); // a slow tool, by design: this is the behaviour under test
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            String why = unavailable.get();
            if (why != null)
                throw new ProbeUnavailableException(why);
            return ProbeResult.of(devices.get());
        }
    }

    /** Fails or succeeds as told; refuses input {@code "bad"}. */
    static final class Flaky implements AccelerationFunction {
        final AtomicInteger failuresLeft = new AtomicInteger();

        @Override
        public String name() {
            return "flaky";
        }

        @Override
        public Set<FabricType> fabricTypes() {
            return Set.of(FabricType.CPU, FabricType.GPU);
        }

        @Override
        public byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
            if (new String(input).equals("bad"))
                throw new InvalidInputException("input: 'bad' (expected: anything else)");
            if (failuresLeft.getAndDecrement() > 0)
                throw new FunctionException("device error 42");
            return input;
        }
    }

    /** Waits, polling cancellation, until cancelled; tells the test it started. */
    static final class Waiter implements AccelerationFunction {
        final CountDownLatch started = new CountDownLatch(1);

        @Override
        public String name() {
            return "wait";
        }

        @Override
        public Set<FabricType> fabricTypes() {
            return Set.of(FabricType.CPU);
        }

        @Override
        public byte[] execute(FunctionContext ctx, byte[] input) throws FunctionException {
            started.countDown();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (System.nanoTime() < deadline) {
                ctx.checkCancelled();
                try {
                    Thread.sleep(1); // the work, polling cancellation as functions must
                }
                catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FunctionException("interrupted");
                }
            }
            return input;
        }
    }

    /** Records what listeners hear. */
    static final class Recorder implements FabricListener {
        final List<List<FabricEntry>> changes = new ArrayList<>();
        final AtomicInteger checks = new AtomicInteger();

        @Override
        public synchronized void onFabricsChanged(List<FabricEntry> fabrics) {
            changes.add(fabrics);
        }

        @Override
        public void onHealthChecked(List<FabricEntry> fabrics) {
            checks.incrementAndGet();
        }
    }

    private AgentConfiguration.Builder config(HealthPolicy policy) {
        return AgentConfiguration.builder().agentName("n0").nodeId(UUID.randomUUID()).hostId("host-1")
            .claimDirectory(claimDir).health(policy);
    }

    private static FabricEntry gpu(FabricAgent agent) {
        return agent.fabrics().stream().filter(f -> f.getFabricType() == FabricType.GPU).findFirst().orElseThrow();
    }

    private static DeclaredFabric declared(String name, String... functions) {
        return new DeclaredFabric().setName(name).setType(FabricType.FPGA).setModel("FPGA (declared)")
            .setResourceUnit("slices").setResourceCount(100).setFunctions(List.of(functions));
    }

    @Test
    void turnsFabricOffline_whenItsProbeNoLongerSeesTheDevice_andOnlineWhenItIsBack() {
        SwitchableProbe smi = new SwitchableProbe(H100);
        try (FabricAgent agent = new FabricAgent(config(BY_HAND).probe(smi).build())) {
            agent.start();
            Recorder rec = new Recorder();
            agent.addListener(rec);
            smi.devices.set(List.of());
            agent.checkHealth();
            FabricEntry gone = gpu(agent);
            assertEquals(FabricStatus.OFFLINE, gone.getStatus());
            assertEquals("device gone: probe nvidia-smi no longer reports NVIDIA H100 (nvidia:GPU-1)",
                gone.getStatusReason());
            smi.devices.set(List.of(H100));
            agent.checkHealth();
            assertEquals(FabricStatus.ONLINE, gpu(agent).getStatus());
            assertEquals("", gpu(agent).getStatusReason());
            assertEquals(2, rec.changes.size(), "one change each way");
        }
    }

    @Test
    void degradesFabric_whenItsProbeFailsOnce_andTurnsItOffline_whenItFailsAgain() {
        SwitchableProbe smi = new SwitchableProbe(H100);
        try (FabricAgent agent = new FabricAgent(config(BY_HAND).probe(smi).build())) {
            agent.start();
            smi.unavailable.set("nvidia-smi: exit code 9, 'NVIDIA-SMI has failed' (expected: exit code 0)");
            agent.checkHealth();
            assertEquals(FabricStatus.DEGRADED, gpu(agent).getStatus(), "one failed run may be a hiccup");
            assertEquals("probe nvidia-smi failed 1 run(s) in a row (OFFLINE after 2): nvidia-smi: exit code 9, "
                + "'NVIDIA-SMI has failed' (expected: exit code 0)", gpu(agent).getStatusReason());
            agent.checkHealth();
            assertEquals(FabricStatus.OFFLINE, gpu(agent).getStatus());
            assertEquals("probe nvidia-smi failing: nvidia-smi: exit code 9, 'NVIDIA-SMI has failed' (expected: exit "
                + "code 0)", gpu(agent).getStatusReason());
        }
    }

    @Test
    void degradesFabric_whenReadingsPassTheirThresholds_namingEveryReason() {
        SwitchableProbe smi = new SwitchableProbe(H100);
        HealthPolicy policy = HealthPolicy.builder().interval(Duration.ofHours(1)).maxTemperatureC(80)
            .maxUtilizationPct(95).build();
        try (FabricAgent agent = new FabricAgent(config(policy).probe(smi).build())) {
            agent.start();
            smi.devices.set(List.of(DetectedFabric.builder().deviceKey("nvidia:GPU-1").pciAddress("0000:18:00.0")
                .source("nvidia-smi").fabricType(FabricType.GPU).model("NVIDIA H100").resourceUnit("MiB")
                .resourceCount(81559).readings(Map.of("temperature.c", 91.0, "memory.errors", 2.0,
                    "utilization.pct", 99.5)).build()));
            agent.checkHealth();
            assertEquals(FabricStatus.DEGRADED, gpu(agent).getStatus());
            assertEquals("temperature 91 C (threshold 80 C); 2 uncorrected memory error(s) (threshold 0); "
                + "utilization 99.5% (threshold 95%)", gpu(agent).getStatusReason());
        }
    }

    @Test
    void degradesFabric_whenItsProbeReportsLate() {
        SwitchableProbe smi = new SwitchableProbe(H100);
        HealthPolicy policy = HealthPolicy.builder().interval(Duration.ofMillis(10)).build();
        try (FabricAgent agent = new FabricAgent(config(policy).probe(smi).build())) {
            agent.start();
            smi.delayMs = 60;
            agent.checkHealth();
            assertEquals(FabricStatus.DEGRADED, gpu(agent).getStatus());
            String reason = gpu(agent).getStatusReason();
            assertTrue(reason.matches("late report: probe nvidia-smi took \\d+ ms \\(expected: under the 10 ms health "
                + "interval\\)"), reason);
        }
    }

    @Test
    void staysOnline_whenItsCallsAreRefusedForTheAgentsFullDecodeBudget() throws Exception {
        HealthPolicy policy = HealthPolicy.builder().interval(Duration.ofHours(1)).errorWindow(4).errorMinCalls(4)
            .maxErrorRate(0.5).build();
        DecodeBudget budget = DecodeBudget.of(1 << 20, Duration.ZERO, DecodeBudget.DFLT_MAX_PIXELS);
        byte[] png = GaussianBlurFunction.encode(new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB));
        try (FabricAgent agent = new FabricAgent(config(policy).decodeBudget(budget).probe(new DeclaredFabricProbe(
                List.of(declared("f0", GaussianBlurFunction.NAME)))).build());
             DecodeBudget.Reservation full = budget.reserve("another call", 1 << 20)) {
            UUID id = agent.start().get(0).getFabricId();
            for (int i = 0; i < 6; i++)
                assertThrows(DecodeBudgetExceededException.class,
                    () -> agent.execute(id, GaussianBlurFunction.NAME, png, () -> false));
            agent.checkHealth();
            assertEquals(FabricStatus.ONLINE, agent.fabrics().get(0).getStatus(), "a full budget is the node's load");
        }
    }

    @Test
    void degradesFabric_whenTooManyCallsFail_butNotForRefusedInput() throws Exception {
        Flaky flaky = new Flaky();
        HealthPolicy policy = HealthPolicy.builder().interval(Duration.ofHours(1)).errorWindow(4).errorMinCalls(4)
            .maxErrorRate(0.5).build();
        try (FabricAgent agent = new FabricAgent(config(policy).functionRegistry(FunctionRegistry.of(List.of(flaky)))
            .probe(new DeclaredFabricProbe(List.of(declared("f0", "flaky")))).build())) {
            UUID id = agent.start().get(0).getFabricId();
            for (int i = 0; i < 6; i++)
                assertThrows(InvalidInputException.class, () -> agent.execute(id, "flaky", "bad".getBytes(), () -> false));
            agent.checkHealth();
            assertEquals(FabricStatus.ONLINE, agent.fabrics().get(0).getStatus(), "refused input is the caller's");
            flaky.failuresLeft.set(3);
            for (int i = 0; i < 3; i++)
                assertThrows(FunctionException.class, () -> agent.execute(id, "flaky", "x".getBytes(), () -> false));
            agent.execute(id, "flaky", "x".getBytes(), () -> false);
            agent.checkHealth();
            assertEquals(FabricStatus.DEGRADED, agent.fabrics().get(0).getStatus());
            assertEquals("error rate 75% over the last 4 calls (threshold 50%)", agent.fabrics().get(0).getStatusReason());
            for (int i = 0; i < 3; i++)
                agent.execute(id, "flaky", "x".getBytes(), () -> false);
            agent.checkHealth();
            assertEquals(FabricStatus.ONLINE, agent.fabrics().get(0).getStatus(), "1 of the last 4 failed");
        }
    }

    @Test
    void errorRateDegradation_endsOnceTheFailuresAgeOut_evenWithoutNewCalls() throws Exception {
        Flaky flaky = new Flaky();
        HealthPolicy policy = HealthPolicy.builder().interval(Duration.ofHours(1)).errorWindow(4).errorMinCalls(2)
            .errorWindowSpan(Duration.ofMillis(200)).build();
        try (FabricAgent agent = new FabricAgent(config(policy).functionRegistry(FunctionRegistry.of(List.of(flaky)))
            .probe(new DeclaredFabricProbe(List.of(declared("f0", "flaky")))).build())) {
            UUID id = agent.start().get(0).getFabricId();
            flaky.failuresLeft.set(2);
            for (int i = 0; i < 2; i++)
                assertThrows(FunctionException.class, () -> agent.execute(id, "flaky", "x".getBytes(), () -> false));
            agent.checkHealth();
            assertEquals(FabricStatus.DEGRADED, agent.fabrics().get(0).getStatus());
            Await.until("the flaky fabric to recover ONLINE", () -> {
                agent.checkHealth();
                return agent.fabrics().get(0).getStatus() == FabricStatus.ONLINE;
            });
        }
    }

    @Test
    void injectedFault_turnsDeclaredFabricOfflineAtOnce_andFailsItsRunningCall() throws Exception {
        Waiter waiter = new Waiter();
        Recorder rec = new Recorder();
        try (FabricAgent agent = new FabricAgent(config(BY_HAND).functionRegistry(FunctionRegistry.of(List.of(waiter)))
            .probe(new DeclaredFabricProbe(List.of(declared("fpga-0", "wait")))).build())) {
            UUID id = agent.start().get(0).getFabricId();
            agent.addListener(rec);
            CompletableFuture<byte[]> call = CompletableFuture.supplyAsync(() -> {
                try {
                    return agent.execute(id, "wait", new byte[1], () -> false);
                }
                catch (FunctionException e) {
                    throw new RuntimeException(e);
                }
            });
            assertTrue(waiter.started.await(10, TimeUnit.SECONDS));
            assertEquals(id, agent.injectFault("fpga-0", FabricStatus.OFFLINE, "fan stopped"));
            ExecutionException ended = assertThrows(ExecutionException.class, () -> call.get(10, TimeUnit.SECONDS));
            FabricUnavailableException lost = (FabricUnavailableException)ended.getCause().getCause();
            assertEquals(id, lost.fabricId());
            assertEquals("fabric " + id + " (FPGA FPGA (declared)) went OFFLINE while running it (wait): injected fault: "
                + "fan stopped", lost.getMessage());
            assertEquals(FabricStatus.OFFLINE, agent.fabrics().get(0).getStatus());
            assertEquals("injected fault: fan stopped", agent.fabrics().get(0).getStatusReason());
            FabricUnavailableException refused = assertThrows(FabricUnavailableException.class,
                () -> agent.execute(id, "wait", new byte[1], () -> false));
            assertTrue(refused.getMessage().contains("went OFFLINE (wait): injected fault: fan stopped"),
                refused.getMessage());
            assertTrue(agent.clearFault(id.toString()));
            assertEquals(FabricStatus.ONLINE, agent.fabrics().get(0).getStatus());
            assertEquals(2, rec.changes.size());
        }
    }

    @Test
    void injectedDegradation_keepsTheFabricUsable() throws Exception {
        Flaky flaky = new Flaky();
        try (FabricAgent agent = new FabricAgent(config(BY_HAND).functionRegistry(FunctionRegistry.of(List.of(flaky)))
            .probe(new DeclaredFabricProbe(List.of(declared("f0", "flaky")))).build())) {
            UUID id = agent.start().get(0).getFabricId();
            agent.injectFault("f0", FabricStatus.DEGRADED, "thermal throttling");
            assertEquals(FabricStatus.DEGRADED, agent.fabrics().get(0).getStatus());
            assertEquals("injected fault: thermal throttling", agent.fabrics().get(0).getStatusReason());
            assertEquals("x", new String(agent.execute(id, "flaky", "x".getBytes(), () -> false)));
            assertEquals(Map.of(id, agent.faults().get(id)), agent.faults());
        }
    }

    @Test
    void faultInjection_refusesProbedFabricsAndOnlineStatus_namingWhatIsAccepted() {
        SwitchableProbe smi = new SwitchableProbe(H100);
        try (FabricAgent agent = new FabricAgent(config(BY_HAND).probe(smi)
            .probe(new DeclaredFabricProbe(List.of(declared("f0", "sha256"), declared("f1", "sha256")))).build())) {
            agent.start();
            IllegalArgumentException probed = assertThrows(IllegalArgumentException.class,
                () -> agent.injectFault(gpu(agent).getFabricId().toString(), FabricStatus.OFFLINE, "x"));
            assertEquals("fabric: '" + gpu(agent).getFabricId() + "' (expected: the name or id of a declared fabric "
                + "of agent n0; declared: f0, f1)", probed.getMessage());
            IllegalArgumentException online = assertThrows(IllegalArgumentException.class,
                () -> agent.injectFault("f0", FabricStatus.ONLINE, "x"));
            assertEquals("status: ONLINE (expected: DEGRADED or OFFLINE; restore a fabric by clearing its fault)",
                online.getMessage());
        }
    }

    @Test
    void listenersHearEveryCheck_butOnlyRealChangesAsChanges() {
        SwitchableProbe smi = new SwitchableProbe(H100);
        try (FabricAgent agent = new FabricAgent(config(BY_HAND).probe(smi).build())) {
            agent.start();
            Recorder rec = new Recorder();
            agent.addListener(rec);
            for (int i = 0; i < 3; i++)
                agent.checkHealth();
            assertEquals(3, rec.checks.get());
            assertEquals(0, rec.changes.size());
        }
    }

    @Test
    void healthLoop_runsOnItsOwn_everyInterval() {
        SwitchableProbe smi = new SwitchableProbe(H100);
        HealthPolicy fast = HealthPolicy.builder().interval(Duration.ofMillis(20)).build();
        try (FabricAgent agent = new FabricAgent(config(fast).probe(smi).build())) {
            Recorder rec = new Recorder();
            agent.addListener(rec);
            agent.start();
            smi.devices.set(List.of());
            Await.until("the vanished GPU to turn OFFLINE", () -> gpu(agent).getStatus() == FabricStatus.OFFLINE);
            assertTrue(rec.checks.get() >= 1);
        }
    }

    @Test
    void healthPolicy_refusesBadValues_namingThem() {
        assertEquals("maxTemperatureC: -1.0 (expected: a number > 0 and <= 1000.0)", assertThrows(
            IllegalArgumentException.class, () -> HealthPolicy.builder().maxTemperatureC(-1).build()).getMessage());
        assertEquals("healthIntervalMs: 0 (expected: 10..3600000)", assertThrows(IllegalArgumentException.class,
            () -> HealthPolicy.builder().interval(Duration.ZERO).build()).getMessage());
        assertEquals("errorMinCalls: 30 (expected: 1..20)", assertThrows(IllegalArgumentException.class,
            () -> HealthPolicy.builder().errorMinCalls(30).build()).getMessage());
    }
}
