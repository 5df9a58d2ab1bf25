package io.fabricstitch.function;

import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricType;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/** Contexts and cancellation switches for function tests. */
public final class FunctionFixtures {
    private FunctionFixtures() {
    }

    /** A CPU fabric entry. */
    public static FabricEntry cpuFabric() {
        return FabricEntry.builder().fabricId(UUID.fromString("00000000-0000-0000-0000-00000000c0de"))
            .nodeId(UUID.fromString("11111111-2222-3333-4444-555555555555")).agentAddress("127.0.0.1:0")
            .site("default").fabricType(FabricType.CPU).model("Test CPU").resourceUnit("cores").resourceCount(4)
            .resourceFree(4).updatedAt(Instant.EPOCH).build();
    }

    /** A context on {@link #cpuFabric()} that is never cancelled. */
    public static FunctionContext context() {
        return FunctionContext.of(cpuFabric(), false, () -> false);
    }

    /** A context on {@link #cpuFabric()} cancelled from the {@code (polls + 1)}-th poll on. */
    public static FunctionContext cancelledAfter(int polls) {
        return FunctionContext.of(cpuFabric(), false, cancelAfter(polls));
    }

    /** A switch answering false to the first {@code polls} polls and true from then on. */
    public static BooleanSupplier cancelAfter(int polls) {
        AtomicInteger seen = new AtomicInteger();
        return () -> seen.incrementAndGet() > polls;
    }
}
