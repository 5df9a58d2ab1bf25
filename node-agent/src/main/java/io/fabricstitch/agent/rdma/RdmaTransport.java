package io.fabricstitch.agent.rdma;

import io.fabricstitch.agent.datapath.TransferReceipt;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.UUID;

/**
 * An RDMA transport for the data path, plugged in by class name ({@code rdmaTransportClasses} of the plugin; public
 * no-argument constructor). Fabric Stitch ships none: an implementation wraps a verbs library (libibverbs through
 * JNI or the FFM API, DiSNI, ...). A node whose RDMA devices a transport {@link #supports} starts it, and advertises
 * {@code rdma:<name>} with its endpoint; the orchestrator chooses RDMA for a task when both the caller's node and the
 * fabric's node advertise the same transport. The transport only moves inputs: a received input goes to the agent's
 * staging area through the {@link Sink}, so the job takes it exactly as one that came over TCP, and outputs come back
 * over DIRECT.
 *
 * <p>Contract: {@link Sink#accept} must see the whole input or fail; {@link #send} returns only once the peer's
 * sink accepted it, and throws otherwise (the task is then placed again elsewhere).
 */
public interface RdmaTransport extends AutoCloseable {
    /** Short name, the same on every node that runs this transport: 1-32 of {@code a-z 0-9 -}. */
    String name();

    /** Whether this transport can run over the host's RDMA devices ({@code /sys/class/infiniband} names). */
    boolean supports(List<String> devices);

    /**
     * Starts receiving for this node.
     *
     * @param bindHost the address the node's agent advertises
     * @param sink where every received input goes
     * @return the endpoint peers {@link #send} to, in the transport's own notation (e.g. {@code host:port})
     * @throws IOException when it cannot listen
     */
    String listen(String bindHost, Sink sink) throws IOException;

    /**
     * Moves {@code length} bytes of {@code data} to the node listening at {@code endpoint} as {@code transferId};
     * returns once that node's sink accepted them.
     *
     * @throws IOException naming the peer and what failed
     */
    TransferReceipt send(String endpoint, UUID transferId, InputStream data, long length) throws IOException;

    /** Stops listening and releases the devices. */
    @Override
    void close();

    /** Where a receiving transport hands each input: the agent's staging area. */
    @FunctionalInterface
    interface Sink {
        /**
         * Stages the input; it can be taken by its transfer id once this returns.
         *
         * @throws IOException when {@code data} ends before {@code length} bytes or the input cannot be staged
         */
        void accept(UUID transferId, InputStream data, long length) throws IOException;
    }
}
