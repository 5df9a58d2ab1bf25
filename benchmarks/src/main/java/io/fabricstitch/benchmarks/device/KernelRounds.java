package io.fabricstitch.benchmarks.device;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.ProbeUnavailableException;
import io.fabricstitch.agent.opencl.OpenClProbe;
import io.fabricstitch.agent.opencl.OpenClRuntime;
import io.fabricstitch.benchmarks.Percentiles;
import io.fabricstitch.function.AccelerationFunction;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.FabricEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * One function timed on this host, side by side in interleaved rounds: the Java implementation on the calling thread
 * (one core, as the CPU fabric runs it), the OpenCL kernel on a sub-device of one compute unit (as the agent runs an
 * OpenCL CPU device next to the CPU fabric), and the kernel on the whole OpenCL device. Each round runs the three in
 * turn, so a disturbance of the machine falls on all of them alike.
 */
final class KernelRounds {
    /** The three ways one function ran, in round order. */
    static final String[] WAYS = {"Java, 1 thread", "OpenCL, 1 compute unit", "OpenCL, whole device"};

    private KernelRounds() {
    }

    /** The first OpenCL device with a compiler, given {@code units} compute units (0: all of them). */
    static DetectedFabric device(int units) throws ProbeUnavailableException {
        int all = 4096;
        OpenClProbe probe = units == 0 ? new OpenClProbe(all, all + 1) : new OpenClProbe(units, units + 1);
        return probe.probe().fabrics().stream().filter(f -> f.features().contains(OpenClProbe.COMPILER_FEATURE))
            .findFirst().orElseThrow(() -> new ProbeUnavailableException("no OpenCL device with a compiler"));
    }

    /**
     * Times {@code java} and the OpenCL implementation of the same name on {@code input}: one warm-up call each,
     * then {@code rounds} rounds; the nanoseconds of every call, {@code [way][round]}.
     */
    static long[][] time(AccelerationFunction java, byte[] input, int rounds) throws Exception {
        try (OpenClRuntime one = new OpenClRuntime(List.of()); OpenClRuntime whole = new OpenClRuntime(List.of())) {
            UUID oneId = UUID.randomUUID();
            UUID wholeId = UUID.randomUUID();
            DetectedFabric d1 = device(1);
            DetectedFabric dAll = device(0);
            AccelerationFunction k1 = one.attach(oneId, d1).get(java.name());
            AccelerationFunction kAll = whole.attach(wholeId, dAll).get(java.name());
            FunctionContext cpu = context(UUID.randomUUID(), d1);
            FunctionContext c1 = context(oneId, d1);
            FunctionContext cAll = context(wholeId, dAll);
            AccelerationFunction[] fns = {java, k1, kAll};
            FunctionContext[] ctxs = {cpu, c1, cAll};
            long[][] nanos = new long[3][rounds];
            for (int w = 0; w < 3; w++)
                fns[w].execute(ctxs[w], input);
            for (int r = 0; r < rounds; r++) {
                for (int w = 0; w < 3; w++) {
                    long start = System.nanoTime();
                    fns[w].execute(ctxs[w], input);
                    nanos[w][r] = System.nanoTime() - start;
                }
            }
            return nanos;
        }
    }

    private static FunctionContext context(UUID id, DetectedFabric d) {
        FabricEntry e = FabricEntry.builder().fabricId(id).nodeId(UUID.randomUUID()).agentAddress("127.0.0.1:0")
            .site("default").fabricType(d.fabricType()).model(d.model()).resourceUnit(d.resourceUnit())
            .resourceCount(d.resourceCount()).updatedAt(Instant.now()).build();
        return FunctionContext.of(e, false, () -> false);
    }

    /** Median of {@code nanos}, in milliseconds. */
    static double medianMs(long[] nanos) {
        return inMs(nanos).median();
    }

    /** {@code min..max} of {@code nanos} in milliseconds, one decimal. */
    static String spreadMs(long[] nanos) {
        Percentiles p = inMs(nanos);
        return String.format(java.util.Locale.ROOT, "%.1f..%.1f", p.min(), p.max());
    }

    private static Percentiles inMs(long[] nanos) {
        return Percentiles.of(Arrays.stream(nanos).mapToDouble(n -> n / 1e6).toArray());
    }

    /** The output of every way on {@code input}, to check they agree. */
    static List<byte[]> outputs(AccelerationFunction java, byte[] input) throws FunctionException {
        List<byte[]> out = new ArrayList<>();
        try (OpenClRuntime rt = new OpenClRuntime(List.of())) {
            UUID id = UUID.randomUUID();
            DetectedFabric d;
            try {
                d = device(1);
            }
            catch (ProbeUnavailableException e) {
                throw new FunctionException(e.getMessage());
            }
            Map<String, AccelerationFunction> fns = rt.attach(id, d);
            out.add(java.execute(context(UUID.randomUUID(), d), input));
            out.add(fns.get(java.name()).execute(context(id, d), input));
        }
        return out;
    }
}
