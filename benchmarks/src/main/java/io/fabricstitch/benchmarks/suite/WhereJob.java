package io.fabricstitch.benchmarks.suite;

import io.fabricstitch.ignite.compute.FabricJob;
import io.fabricstitch.ignite.compute.TaskRequest;
import java.util.UUID;
import org.apache.ignite.Ignite;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;

/**
 * The trivial call of the overhead figure: returns the id of the node it ran on. With a request it is a
 * {@link FabricJob}, which {@code FabricLoadBalancingSpi} routes; without, a plain closure.
 */
public final class WhereJob implements IgniteCallable<UUID>, FabricJob {
    private static final long serialVersionUID = 1L;

    private final TaskRequest request;

    @IgniteInstanceResource
    private transient Ignite ignite;

    public WhereJob(TaskRequest request) {
        this.request = request;
    }

    @Override
    public UUID call() {
        return ignite.cluster().localNode().id();
    }

    @Override
    public TaskRequest fabricRequest() {
        return request;
    }
}
