package io.fabricstitch.ignite.compute;

import io.fabricstitch.agent.FabricAgent;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.DeviceBinding;
import io.fabricstitch.model.FabricEntry;
import java.util.function.BooleanSupplier;
import org.apache.ignite.IgniteException;

/**
 * What a closure run by {@link FabricCompute#call} sees of its fabric: the placement (fabric, reserved amount, cost),
 * the fabric itself, the {@link #device() device binding} (what to hand a child process so that it uses this device
 * and no other), and a way to run registered acceleration functions on it. Available through {@link #current()}
 * on the thread that runs the closure, on the fabric's node.
 * <pre>{@code
 * fabrics.call(request, () -> {
 *     FabricTaskContext ctx = FabricTaskContext.current();
 *     byte[] digest = ctx.execute("sha256", data);
 *     return ctx.fabric().getModel() + ": " + HexFormat.of().formatHex(digest);
 * });
 * }</pre>
 */
public final class FabricTaskContext {
    private static final ThreadLocal<FabricTaskContext> CURRENT = new ThreadLocal<>();

    private final Placement placement;
    private final FabricEntry fabric;
    private final FabricAgent agent;
    private final BooleanSupplier cancelled;

    /**
     * The context of one placed closure, as the engine creates it on the fabric's node: {@code agent} runs its
     * functions, {@code cancelled} tells whether the task was cancelled.
     */
    public FabricTaskContext(Placement placement, FabricEntry fabric, FabricAgent agent, BooleanSupplier cancelled) {
        this.placement = placement;
        this.fabric = fabric;
        this.agent = agent;
        this.cancelled = cancelled;
    }

    /**
     * The context of the fabric task running on this thread.
     *
     * @throws IllegalStateException outside a closure run by {@link FabricCompute#call}
     */
    public static FabricTaskContext current() {
        FabricTaskContext ctx = CURRENT.get();
        if (ctx == null)
            throw new IllegalStateException("no fabric task runs on thread " + Thread.currentThread().getName()
                + " (expected: a closure run by FabricCompute.call)");
        return ctx;
    }

    /** Where the task was placed: fabric, node, reserved amount, cost terms. */
    public Placement placement() {
        return placement;
    }

    /** The fabric reserved for this task, as this node's agent reports it. */
    public FabricEntry fabric() {
        return fabric;
    }

    /**
     * The device this task reserved: type, vendor, device key, PCI address, the vendor's own index and id (nvidia-smi
     * index and GPU UUID, OpenCL platform and device, FPGA manager), the amount reserved of its total, and
     * {@link DeviceBinding#environment()}: what a child process needs to see this device and no other.
     * <pre>{@code
     * DeviceBinding device = FabricTaskContext.current().device();
     * ProcessBuilder pb = new ProcessBuilder("python3", "train.py");
     * pb.environment().keySet().removeAll(DeviceBinding.SELECTION_VARIABLES);
     * pb.environment().putAll(device.environment());   // CUDA_VISIBLE_DEVICES=GPU-..., FABRIC_ID=...
     * }</pre>
     */
    public DeviceBinding device() {
        return agent.binding(placement.fabricId(), placement.amount());
    }

    /** True once the task is cancelled or timed out; long closures should check it and stop. */
    public boolean isCancelled() {
        return cancelled.getAsBoolean();
    }

    /**
     * Runs a registered acceleration function on this task's fabric.
     *
     * @throws IgniteException when the fabric does not run the function or the function refuses its input
     */
    public byte[] execute(String function, byte[] input) {
        try {
            return agent.execute(placement.fabricId(), function, input, cancelled, placement.amount());
        }
        catch (FunctionException e) {
            throw new IgniteException(function + " on " + fabric.getFabricType() + ' ' + fabric.getModel()
                + " failed: " + e.getMessage(), e);
        }
    }

    /** Runs {@code callable} on this thread with this context as {@link #current()}, and clears it after. */
    public <T> T callWithin(java.util.concurrent.Callable<T> callable) throws Exception {
        CURRENT.set(this);
        try {
            return callable.call();
        }
        finally {
            CURRENT.remove();
        }
    }
}
