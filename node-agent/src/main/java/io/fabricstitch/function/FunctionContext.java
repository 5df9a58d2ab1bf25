package io.fabricstitch.function;

import io.fabricstitch.internal.Checks;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricEntry;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * Where and under what terms one function call runs: the fabric, the device binding (what the call may use of which
 * device), whether the fabric is simulated, cancellation, and the node's budget for decoding inputs.
 */
public final class FunctionContext {
    private final FabricEntry fabric;
    private final DeviceBinding device;
    private final boolean simulated;
    private final BooleanSupplier cancelled;
    private final DecodeBudget decodeBudget;

    private FunctionContext(FabricEntry fabric, DeviceBinding device, boolean simulated, BooleanSupplier cancelled,
        DecodeBudget decodeBudget) {
        this.fabric = Checks.notNull(fabric, "fabric");
        this.device = Checks.notNull(device, "device");
        this.simulated = simulated;
        this.cancelled = Checks.notNull(cancelled, "cancelled");
        this.decodeBudget = Checks.notNull(decodeBudget, "decodeBudget");
    }

    /**
     * A context whose device binding knows the fabric alone (no vendor identifiers, nothing reserved).
     *
     * @param cancelled polled by {@link #isCancelled()}; must be cheap and thread-safe
     * @throws IllegalArgumentException when {@code fabric} or {@code cancelled} is null
     */
    public static FunctionContext of(FabricEntry fabric, boolean simulated, BooleanSupplier cancelled) {
        Checks.notNull(fabric, "fabric");
        return new FunctionContext(fabric, DeviceBinding.of(fabric, "", Map.of(), simulated, 0), simulated,
            cancelled, DecodeBudget.jvmDefault());
    }

    /**
     * @param device the binding of the device the call may use
     * @param cancelled polled by {@link #isCancelled()}; must be cheap and thread-safe
     * @throws IllegalArgumentException when an argument is null
     */
    public static FunctionContext of(FabricEntry fabric, DeviceBinding device, boolean simulated,
        BooleanSupplier cancelled) {
        return new FunctionContext(fabric, device, simulated, cancelled, DecodeBudget.jvmDefault());
    }

    /**
     * This context with {@code budget} for the memory decoding the input takes; the factories give the JVM's shared
     * {@link DecodeBudget#jvmDefault() default}.
     *
     * @throws IllegalArgumentException when {@code budget} is null
     */
    public FunctionContext withDecodeBudget(DecodeBudget budget) {
        return new FunctionContext(fabric, device, simulated, cancelled, budget);
    }

    /** The node's budget for decoding inputs: take from it before decoding an input that may be large. */
    public DecodeBudget decodeBudget() {
        return decodeBudget;
    }

    /** The device the call runs on, with the vendor's identifiers and the environment that selects it. */
    public DeviceBinding device() {
        return device;
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
