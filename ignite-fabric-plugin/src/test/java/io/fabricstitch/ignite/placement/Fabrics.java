package io.fabricstitch.ignite.placement;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.model.FabricType;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** Builds Fabric Map entries for selection tests. */
final class Fabrics {
    private Fabrics() {
    }

    /** A fabric with id {@code 00000000-0000-0000-0000-<n>} (so ids order as {@code n}). */
    static FabricEntry fabric(int n, FabricType type, long count, long free, double latencyMs, FabricStatus status,
        String... functions) {
        FabricEntry.Builder b = FabricEntry.builder()
            .fabricId(id(n))
            .nodeId(new UUID(1, n))
            .agentAddress("127.0.0.1:0")
            .site("default")
            .fabricType(type)
            .model(type + " model " + n)
            .resourceUnit(unit(type))
            .resourceCount(count)
            .resourceFree(free)
            .latencyMs(latencyMs)
            .supportedFunctions(List.of(functions))
            .status(status)
            .updatedAt(Instant.EPOCH);
        if (status != FabricStatus.ONLINE)
            b.statusReason("test");
        return b.build();
    }

    static FabricEntry online(int n, FabricType type, long count, long free, double latencyMs, String... functions) {
        return fabric(n, type, count, free, latencyMs, FabricStatus.ONLINE, functions);
    }

    static UUID id(int n) {
        return new UUID(0, n);
    }

    static String unit(FabricType type) {
        switch (type) {
            case GPU: return "MiB";
            case FPGA: return "slices";
            case ASIC: return "lanes";
            default: return "cores";
        }
    }
}
