package io.fabricstitch.ignite.internal;

import io.fabricstitch.ignite.compute.DataPath;
import io.fabricstitch.ignite.compute.DataPathChoice;
import io.fabricstitch.ignite.compute.Placement;
import io.fabricstitch.agent.datapath.DataPathClient;
import io.fabricstitch.agent.datapath.DataPathException;
import io.fabricstitch.agent.datapath.TransferReceipt;
import io.fabricstitch.agent.datapath.TransferToken;
import io.fabricstitch.agent.rdma.RdmaTransport;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.function.LongConsumer;

/**
 * One attempt of a registered function: the input rides in the Ignite job or, on a data path, is uploaded to the
 * fabric's agent first with the token the orchestrator issued with the placement; a large output comes back the same
 * way, with the token the agent issued with it. Transfers feed the node's bandwidth figures.
 */
final class FunctionAttempt<R> implements TaskRun.Attempt<R> {
    private final FabricPlugin plugin;
    private final String function;
    private final TaskInput input;
    private final TaskOutput<R> output;
    private final LongConsumer sent;
    private volatile io.fabricstitch.model.FunctionImplementation ranAs;

    FunctionAttempt(FabricPlugin plugin, String function, TaskInput input, TaskOutput<R> output) {
        this(plugin, function, input, output, null);
    }

    /** An attempt that tells {@code sent} (null: nobody) how many input bytes its upload has read so far. */
    FunctionAttempt(FabricPlugin plugin, String function, TaskInput input, TaskOutput<R> output, LongConsumer sent) {
        this.plugin = plugin;
        this.function = function;
        this.input = input;
        this.output = output;
        this.sent = sent;
    }

    @Override
    public PlacedTask<?> task(Placement p) {
        DataPathChoice c = p.dataPath();
        DataPaths paths = plugin.dataPaths();
        if (c.path() == DataPath.JOB || paths == null)
            return PlacedTask.function(p, function, input.bytes(paths == null ? "dataPath.enabled=false on this node"
                : c.reason()));
        boolean tls = c.path() == DataPath.TLS;
        TransferToken token = p.transferToken();
        if (token == null)
            throw new IllegalStateException("the orchestrator placed task " + p.taskId() + " on a " + c.path()
                + " data path without a transfer token (expected: a token with every data-path placement; is the "
                + "orchestrator's node on an older version?)");
        UUID transferId = token.transferId();
        TransferReceipt r;
        InputStream in;
        try {
            in = sent == null ? input.open() : new CountingInputStream(input.open(), sent);
        }
        catch (IOException e) {
            throw new UncheckedIOException("input: " + input + " cannot be read: " + e.getMessage(), e);
        }
        try (in) {
            if (c.path() == DataPath.RDMA)
                r = rdma(paths, c).send(c.endpoint(), transferId, in, input.length());
            else
                r = paths.client().upload(address(c.endpoint()), tls, token, in, input.length());
        }
        catch (IOException e) {
            // A local file failing mid-read ends the same way: the fabric never got a whole input.
            throw new DataPathException(DataPathException.Failure.IO, "data path: " + c.path() + " transfer of "
                + input + " to " + c.endpoint() + " failed: " + e.getMessage() + " (expected: the whole input "
                + "delivered)", e);
        }
        plugin.bandwidth().record(p.nodeId(), r.bytes(), r.nanos());
        return PlacedTask.staged(p, function, transferId, tls);
    }

    /** The RDMA transport the orchestrator chose, which this node advertised. */
    private static RdmaTransport rdma(DataPaths paths, DataPathChoice c) {
        String name = c.rdmaTransport();
        return paths.transport(name).orElseThrow(() -> new IllegalStateException("the orchestrator chose RDMA "
            + "transport " + name + ", which this node does not run (" + c + ")"));
    }

    @Override
    public io.fabricstitch.model.FunctionImplementation ranAs() {
        return ranAs;
    }

    @Override
    public R result(Placement p, Object result) {
        Object jobResult = result;
        if (result instanceof FunctionOutput) {
            ranAs = ((FunctionOutput)result).ranAs();
            jobResult = ((FunctionOutput)result).output();
        }
        try {
            if (jobResult instanceof byte[])
                return output.of((byte[])jobResult);
            StagedOutputRef ref = (StagedOutputRef)jobResult;
            DataPathClient client = plugin.dataPaths().client();
            TransferReceipt r;
            try (OutputStream out = output.open()) {
                r = client.download(address(downloadEndpoint(p)), p.dataPath().path() == DataPath.TLS,
                    ref.token(), out);
            }
            plugin.bandwidth().record(p.nodeId(), r.bytes(), r.nanos());
            return output.finish();
        }
        catch (IOException e) {
            throw new UncheckedIOException("output: cannot be written: " + e.getMessage(), e);
        }
    }

    @Override
    public void failed() {
        output.discard();
    }

    /** Where a staged output is fetched: the upload's endpoint, or the agent's DIRECT one after RDMA. */
    private String downloadEndpoint(Placement p) {
        if (p.dataPath().path() != DataPath.RDMA)
            return p.dataPath().endpoint();
        return plugin.fabricMap().stream().filter(f -> f.getFabricId().equals(p.fabricId())).findFirst()
            .orElseThrow(() -> new IllegalStateException("fabric " + p.fabricId() + " left the Fabric Map before its "
                + "output was fetched")).getAgentAddress();
    }

    /** {@code host:port} or {@code [v6]:port}. */
    static InetSocketAddress address(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        String host = endpoint.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
            host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, Integer.parseInt(endpoint.substring(colon + 1)));
    }
}
