package io.fabricstitch.ignite.compute;

/**
 * Marks a compute job or closure with what it needs from a fabric, for {@link FabricLoadBalancingSpi}: a
 * {@code ComputeJob} of a task that maps through the injected {@code ComputeLoadBalancer}, or an
 * {@code IgniteCallable}/{@code IgniteRunnable} given to {@code ignite.compute().call(...)}. The balancer routes it to
 * the node of the cheapest fabric that fits; it does not reserve resources (use {@link FabricCompute} for that).
 */
public interface FabricJob {
    /** What the job needs: function, fabric types, amount, priority or weights (input and timeout are ignored). */
    TaskRequest fabricRequest();
}
