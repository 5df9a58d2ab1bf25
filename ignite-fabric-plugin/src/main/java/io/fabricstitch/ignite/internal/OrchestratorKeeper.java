package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.FabricMapSchema;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteLogger;
import org.apache.ignite.services.ServiceConfiguration;
import org.apache.ignite.services.ServiceDescriptor;

/**
 * Keeps the orchestrator deployed: Ignite moves a cluster singleton when its node leaves, but nothing brings it back
 * once it is cancelled ({@code KILL SERVICE 'fabric-orchestrator'} from any SQL client, {@code services().cancel} from
 * a node). The oldest server looks every {@link #CHECK_EVERY_MS} ms and deploys it again when it is gone; the new
 * instance reads the ledger from the caches and callers waiting for it carry on. Not API.
 */
public final class OrchestratorKeeper implements AutoCloseable {
    /** How often the deployment is checked, ms. */
    static final long CHECK_EVERY_MS = 250;

    private final Ignite ignite;
    private final Supplier<ServiceConfiguration> configuration;
    private final IgniteLogger log;
    private final ScheduledExecutorService executor;
    private volatile boolean seen;
    private volatile int redeployed;

    public OrchestratorKeeper(Ignite ignite, Supplier<ServiceConfiguration> configuration, IgniteLogger log) {
        this.ignite = ignite;
        this.configuration = configuration;
        this.log = log;
        this.executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "fabric-orchestrator-keeper-" + ignite.name());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts looking. */
    public OrchestratorKeeper start() {
        executor.scheduleWithFixedDelay(this::check, CHECK_EVERY_MS, CHECK_EVERY_MS, TimeUnit.MILLISECONDS);
        return this;
    }

    private void check() {
        if (((org.apache.ignite.internal.IgniteEx)ignite).context().isStopping())
            return; // the node's services are being cancelled: not to be brought back here
        try {
            boolean deployed = isDeployed();
            if (deployed) {
                seen = true;
                return;
            }
            // Before the first deployment completes there is nothing to bring back; only the oldest server acts.
            if (!seen || !ClusterNodes.isOldestServer(ignite))
                return;
            seen = false;
            redeployed++;
            log.warning("Fabric Stitch: the orchestrator service '" + FabricMapSchema.ORCHESTRATOR_SERVICE + "' was "
                + "cancelled (by KILL SERVICE from a SQL client or a services().cancel() call: Ignite does not say "
                + "who); deploying it again, its ledger is in the caches. Block KILL SERVICE for clients without the "
                + "cluster's credentials (see the security model in docs/operations.md)");
            ignite.services().deployAsync(configuration.get()).listen(f -> {
                try {
                    f.get();
                }
                catch (RuntimeException e) {
                    seen = true; // not deployed: the next check tries again
                    log.warning("Fabric Stitch: deploying the orchestrator again failed (tried again in "
                        + CHECK_EVERY_MS + " ms): " + e.getMessage());
                }
            });
        }
        catch (RuntimeException e) {
            log.warning("Fabric Stitch: could not check the orchestrator's deployment (retried): " + e);
        }
    }

    private boolean isDeployed() {
        for (ServiceDescriptor d : ignite.services().serviceDescriptors()) {
            if (FabricMapSchema.ORCHESTRATOR_SERVICE.equals(d.name()))
                return true;
        }
        return false;
    }

    /** How many times this node deployed the orchestrator again. */
    public int redeployed() {
        return redeployed;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
