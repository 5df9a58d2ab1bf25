package io.fabricstitch.ignite.compute;

import io.fabricstitch.agent.datapath.DataPathClient;
import io.fabricstitch.agent.datapath.TransferReceipt;
import io.fabricstitch.ignite.FabricPlugin;
import io.fabricstitch.ignite.internal.DataPaths;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.UUID;

/**
 * One attempt of a registered function: the input rides in the Ignite job or, on a data path, is uploaded to the
 * fabric's agent first; a large output comes back the same way. Transfers feed the node's bandwidth figures.
 */
final class FunctionAttempt<R> implements TaskRun.Attempt<R> {
    private final FabricPlugin plugin;
    private final String function;
    private final TaskInput input;
    private final TaskOutput<R> output;

    FunctionAttempt(FabricPlugin plugin, String function, TaskInput input, TaskOutput<R> output) {
        this.plugin = plugin;
        this.function = function;
        this.input = input;
        this.output = output;
    }

    @Override
    public PlacedTask<?> task(Placement p) {
        DataPathChoice c = p.dataPath();
        DataPaths paths = plugin.dataPaths();
        if (c.path() == DataPath.JOB || paths == null)
            return PlacedTask.function(p, function, input.bytes(paths == null ? "dataPathEnabled=false on this node"
                : c.reason()));
        if (c.path() == DataPath.RDMA)
            throw new IllegalStateException("placement " + p + " chose RDMA, but no RDMA transport is installed on "
                + "this node (expected: paths DIRECT or TLS)");
        boolean tls = c.path() == DataPath.TLS;
        UUID transferId = UUID.randomUUID();
        TransferReceipt r;
        try (InputStream in = input.open()) {
            r = paths.client().upload(address(c.endpoint()), tls, transferId, in, input.length());
        }
        catch (IOException e) {
            throw new UncheckedIOException("input: " + input + " cannot be read: " + e.getMessage(), e);
        }
        plugin.bandwidth().record(p.nodeId(), r.bytes(), r.nanos());
        return PlacedTask.staged(p, function, transferId, tls);
    }

    @Override
    public R result(Placement p, Object jobResult) {
        try {
            if (jobResult instanceof byte[])
                return output.of((byte[])jobResult);
            StagedOutputRef ref = (StagedOutputRef)jobResult;
            DataPathClient client = plugin.dataPaths().client();
            TransferReceipt r;
            try (OutputStream out = output.open()) {
                r = client.download(address(p.dataPath().endpoint()), p.dataPath().path() == DataPath.TLS,
                    ref.transferId(), out);
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

    /** {@code host:port} or {@code [v6]:port}. */
    static InetSocketAddress address(String endpoint) {
        int colon = endpoint.lastIndexOf(':');
        String host = endpoint.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]"))
            host = host.substring(1, host.length() - 1);
        return new InetSocketAddress(host, Integer.parseInt(endpoint.substring(colon + 1)));
    }
}
