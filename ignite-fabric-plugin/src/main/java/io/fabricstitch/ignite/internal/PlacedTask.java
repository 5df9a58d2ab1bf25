package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.FabricFailoverException;
import io.fabricstitch.ignite.compute.FabricTaskContext;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.agent.FabricAgent;
import io.fabricstitch.function.FabricUnavailableException;
import io.fabricstitch.function.FunctionCancelledException;
import io.fabricstitch.function.FunctionException;
import io.fabricstitch.model.FabricEntry;
import io.fabricstitch.model.FabricStatus;
import io.fabricstitch.agent.datapath.DataPathServer;
import io.fabricstitch.agent.datapath.StagedInput;
import io.fabricstitch.agent.datapath.TransferGrant;
import io.fabricstitch.agent.datapath.TransferToken;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.cluster.ClusterTopologyException;
import org.apache.ignite.compute.ComputeJob;
import org.apache.ignite.compute.ComputeJobAdapter;
import org.apache.ignite.compute.ComputeJobFailoverException;
import org.apache.ignite.compute.ComputeJobResult;
import org.apache.ignite.compute.ComputeJobResultPolicy;
import org.apache.ignite.lang.IgniteCallable;
import org.apache.ignite.resources.IgniteInstanceResource;
import org.apache.ignite.spi.collision.jobstealing.JobStealingDisabled;

/**
 * One attempt of a fabric task as an Ignite compute task: a single job mapped to the node of the placed fabric. It
 * never fails over by itself; {@link FabricCompute} re-places failed attempts through the orchestrator. One that carries
 * a user closure deploys as the closure's class ({@link UserCodeTask}), so that a server without the closure's class
 * peer-loads it from the caller when peer class loading is on.
 */
final class PlacedTask<T> extends UserCodeTask<Object, T> {
    private static final long serialVersionUID = 1L;

    private final Placement placement;
    private final Job job;

    private PlacedTask(Placement placement, Job job) {
        this.placement = placement;
        this.job = job;
    }

    /** An attempt that runs a registered function on the placed fabric, its input in the job. */
    static PlacedTask<Object> function(Placement p, String function, byte[] input) {
        return new PlacedTask<>(p, new Job(p, function, input, null, null, false));
    }

    /**
     * An attempt that runs a registered function on the input the caller uploaded to the fabric's agent as
     * {@code transferId}; it returns the output (bytes), or a {@link StagedOutputRef} when the output grew past the
     * data-path threshold.
     */
    static PlacedTask<Object> staged(Placement p, String function, UUID transferId, boolean tls) {
        return new PlacedTask<>(p, new Job(p, function, null, null, transferId, tls));
    }

    /** An attempt that runs a user closure on the placed fabric's node. */
    static <T> PlacedTask<T> closure(Placement p, IgniteCallable<T> callable) {
        return new PlacedTask<>(p, new Job(p, null, null, callable, null, false));
    }

    @Override
    protected Object userObject() {
        return job.callable;
    }

    @Override
    public Map<? extends ComputeJob, ClusterNode> map(List<ClusterNode> subgrid, Object arg) {
        for (ClusterNode n : subgrid) {
            if (n.id().equals(placement.nodeId()))
                return Map.of(job, n);
        }
        throw new ClusterTopologyException("node " + placement.nodeName() + " of fabric " + placement.fabricId()
            + " is not in the cluster");
    }

    @Override
    public ComputeJobResultPolicy result(ComputeJobResult res, List<ComputeJobResult> rcvd) {
        if (res.getException() != null)
            throw res.getException();
        return ComputeJobResultPolicy.WAIT;
    }

    @SuppressWarnings("unchecked")
    @Override
    public T reduce(List<ComputeJobResult> results) {
        return (T)results.get(0).getData();
    }

    /**
     * The job: runs on the fabric's node, through its agent. Never stolen by another node: its fabric is reserved
     * here.
     */
    @JobStealingDisabled
    private static final class Job extends ComputeJobAdapter {
        private static final long serialVersionUID = 1L;

        private final Placement placement;
        private final String function;
        private final byte[] input;
        private final IgniteCallable<?> callable;
        private final UUID transferId;
        private final boolean tls;

        @IgniteInstanceResource
        private transient Ignite ignite;

        Job(Placement placement, String function, byte[] input, IgniteCallable<?> callable, UUID transferId,
            boolean tls) {
            this.placement = placement;
            this.function = function;
            this.input = input;
            this.callable = callable;
            this.transferId = transferId;
            this.tls = tls;
        }

        @Override
        public Object execute() {
            FabricAgent agent = FabricPlugin.of(ignite).agent();
            FabricEntry fabric = agent == null ? null : agent.fabrics().stream()
                .filter(f -> f.getFabricId().equals(placement.fabricId())).findFirst().orElse(null);
            if (fabric == null) {
                throw new FabricFailoverException(placement.fabricId(), "fabric " + placement.fabricId()
                    + " is no longer reported by node " + ignite.name());
            }
            checkOnline(agent, "");
            if (transferId != null)
                return runStaged(agent, fabric);
            if (function != null)
                return runFunction(agent, fabric);
            try {
                BooleanSupplier stop = () -> isCancelled() || isOffline(agent);
                return new FabricTaskContext(placement, fabric, agent, stop).callWithin(callable);
            }
            catch (IgniteException | Error e) {
                checkOnline(agent, " while the closure ran");
                throw e;
            }
            catch (Exception e) {
                checkOnline(agent, " while the closure ran");
                throw new IgniteException("closure failed on " + fabric.getFabricType() + ' ' + fabric.getModel()
                    + ": " + e, e);
            }
        }

        private boolean isOffline(FabricAgent agent) {
            return agent.fabric(placement.fabricId()).map(f -> f.getStatus() == FabricStatus.OFFLINE).orElse(true);
        }

        /** Fails the job over when its fabric is OFFLINE: the work cannot be trusted to that fabric. */
        private void checkOnline(FabricAgent agent, String when) {
            FabricEntry f = agent.fabric(placement.fabricId()).orElse(null);
            if (f == null || f.getStatus() == FabricStatus.OFFLINE) {
                throw new FabricFailoverException(placement.fabricId(), "fabric " + placement.fabricId() + " ("
                    + placement.fabricType() + ' ' + placement.model() + ") on node " + ignite.name() + " went OFFLINE"
                    + when + ": " + (f == null ? "no longer reported" : f.getStatusReason()));
            }
        }

        /**
         * Takes the input the caller staged (committed whole and checksummed: a partial input never gets here), runs
         * the function on it as a stream, and returns the output or, past the threshold, a reference to it staged
         * for download, with the download's token.
         */
        private Object runStaged(FabricAgent agent, FabricEntry fabric) {
            DataPathServer server = agent.dataPathServer(tls).orElseThrow(() -> new ComputeJobFailoverException(
                "node " + ignite.name() + " runs no " + (tls ? "TLS" : "DIRECT") + " data-path server"));
            StagedInput staged = server.take(transferId).orElseThrow(() -> new ComputeJobFailoverException("input "
                + transferId + " is not staged on node " + ignite.name() + " (expected: uploaded just before; it "
                + "expires after " + server.configuration().stagedTtl().toSeconds() + " s)"));
            long threshold = FabricPlugin.of(ignite).configuration().getDataPath().getThresholdBytes();
            SpillingOutput out = new SpillingOutput(threshold, server.configuration().stagingDirectory());
            boolean kept = false;
            try (staged; InputStream in = staged.open()) {
                call(fabric, () -> agent.execute(placement.fabricId(), function, in, staged.length(), out,
                    this::isCancelled, placement.amount()));
                out.close();
                if (out.inMemory())
                    return new FunctionOutput(out.bytes(), ranAs(agent));
                StagedOutputRef ref = new StagedOutputRef(downloadToken(server.stageOutput(out.path(), true),
                    out.length()), out.length());
                kept = true;
                return new FunctionOutput(ref, ranAs(agent));
            }
            catch (IOException e) {
                throw new IgniteException(function + " on " + fabric.getFabricType() + ' ' + fabric.getModel()
                    + ": staged input or output failed: " + e.getMessage(), e);
            }
            finally {
                if (!kept)
                    out.discard();
            }
        }

        /** The token for the caller to download output {@code outputId}, signed with the cluster's key. */
        private TransferToken downloadToken(UUID outputId, long length) {
            FabricPlugin plugin = FabricPlugin.of(ignite);
            return TransferGrant.download(outputId, placement.fabricId(), length, System.currentTimeMillis()
                + plugin.configuration().getDataPath().getTokenTtlMs()).sign(plugin.transferKey().current());
        }

        /** The implementation of the function on the placed fabric, as this node's agent reports it. */
        private io.fabricstitch.model.FunctionImplementation ranAs(FabricAgent agent) {
            return agent.fabric(placement.fabricId()).map(f -> f.getFunctions().get(function)).orElse(null);
        }

        private FunctionOutput runFunction(FabricAgent agent, FabricEntry fabric) {
            try {
                byte[] out = call(fabric, () -> agent.execute(placement.fabricId(), function, input,
                    this::isCancelled, placement.amount()));
                return new FunctionOutput(out, ranAs(agent));
            }
            catch (IOException e) {
                throw new IgniteException(function + " on " + fabric.getFabricType() + ' ' + fabric.getModel()
                    + " failed: " + e.getMessage(), e);
            }
        }

        /** A function call of the agent, its errors turned into fail-over or a failure naming the function. */
        private <R> R call(FabricEntry fabric, AgentCall<R> call) throws IOException {
            try {
                return call.run();
            }
            catch (FabricUnavailableException e) {
                throw new FabricFailoverException(placement.fabricId(), e.getMessage());
            }
            catch (FunctionCancelledException e) {
                throw new ComputeJobFailoverException("cancelled on node " + ignite.name() + ": " + e.getMessage());
            }
            catch (FunctionException e) {
                throw new IgniteException(function + " on " + fabric.getFabricType() + ' ' + fabric.getModel()
                    + " failed: " + e.getMessage());
            }
            catch (IllegalArgumentException e) {
                throw new IgniteException(function + " on " + fabric.getFabricType() + ' ' + fabric.getModel()
                    + " refused: " + e.getMessage());
            }
        }

        /** One call into the agent. */
        private interface AgentCall<R> {
            R run() throws FunctionException, IOException;
        }
    }
}
