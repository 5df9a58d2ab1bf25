package io.fabricstitch.function;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.FabricEntry;
import java.util.function.BooleanSupplier;

/** Where and under what terms one function call runs: the fabric, whether it is simulated, and cancellation. */
public final class FunctionContext {
    private final FabricEntry fabric;
    private final boolean simulated;
    private final BooleanSupplier cancelled;

    private FunctionContext(FabricEntry fabric, boolean simulated, BooleanSupplier cancelled) {
        this.fabric = Checks.notNull(fabric, "fabric");
        this.simulated = simulated;
        this.cancelled = Checks.notNull(cancelled, "cancelled");
    }

    /**
     * @param cancelled polled by {@link #isCancelled()}; must be cheap and thread-safe
     * @throws IllegalArgumentException when {@code fabric} or {@code cancelled} is null
     */
    public static FunctionContext of(FabricEntry fabric, boolean simulated, BooleanSupplier cancelled) {
        return new FunctionContext(fabric, simulated, cancelled);
    }

    /** The fabric the call runs on. */
    public FabricEntry fabric() {
        return fabric;
    }

    /** True for declared fabrics: they run the CPU implementation in place of their own hardware. */
    public boolean simulated() {
        return simulated;
    }

    /** Whether the caller has cancelled the call. */
    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    /** @throws FunctionCancelledException when the caller has cancelled the call */
    public void checkCancelled() throws FunctionCancelledException {
        if (cancelled.getAsBoolean())
            throw new FunctionCancelledException("cancelled on fabric " + fabric.getFabricId() + " ("
                + fabric.getModel() + ')');
    }

    @Override
    public String toString() {
        return "FunctionContext [fabricId=" + fabric.getFabricId() + ", model=" + fabric.getModel() + ", simulated="
            + simulated + ']';
    }
}
