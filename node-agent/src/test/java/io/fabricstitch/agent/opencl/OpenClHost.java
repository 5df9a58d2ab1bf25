package io.fabricstitch.agent.opencl;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabricstitch.agent.probe.DetectedFabric;
import io.fabricstitch.agent.probe.ProbeResult;
import io.fabricstitch.agent.probe.ProbeUnavailableException;
import io.fabricstitch.function.FunctionContext;
import io.fabricstitch.model.FabricEntry;
import java.time.Instant;
import java.util.UUID;

/**
 * This host's OpenCL device for tests: the first device with a compiler (Debian's pocl CPU device in CI, which
 * {@code .ci/run} installs). Tests that need one are skipped, with the probe's reason printed, where there is none.
 */
final class OpenClHost {
    private OpenClHost() {
    }

    /** The first OpenCL device with a compiler, as the probe reports it; skips the test when there is none. */
    static DetectedFabric device() {
        ProbeResult r;
        try {
            r = new OpenClProbe(0, Math.max(2, Runtime.getRuntime().availableProcessors())).probe();
        }
        catch (ProbeUnavailableException e) {
            System.out.println("skipped: no OpenCL here: " + e.getMessage());
            assumeTrue(false, e.getMessage());
            return null;
        }
        DetectedFabric d = r.fabrics().stream().filter(f -> f.features().contains(OpenClProbe.COMPILER_FEATURE))
            .findFirst().orElse(null);
        if (d == null)
            System.out.println("skipped: no OpenCL device with a compiler here: " + r);
        assumeTrue(d != null, "no OpenCL device with a compiler");
        return d;
    }

    /** The entry of a fabric standing for {@code d}. */
    static FabricEntry entry(UUID fabricId, DetectedFabric d) {
        return FabricEntry.builder().fabricId(fabricId).nodeId(UUID.randomUUID()).agentAddress("127.0.0.1:0")
            .site("default").fabricType(d.fabricType()).model(d.model()).resourceUnit(d.resourceUnit())
            .resourceCount(d.resourceCount()).resourceFree(d.resourceFree()).deviceKey(d.deviceKey())
            .updatedAt(Instant.now()).build();
    }

    /** A context on that fabric that is never cancelled. */
    static FunctionContext context(UUID fabricId, DetectedFabric d) {
        return FunctionContext.of(entry(fabricId, d), false, () -> false);
    }
}
