package io.fabricstitch.ignite.compute;

import io.fabricstitch.agent.datapath.TransferReceipt;
import io.fabricstitch.agent.rdma.RdmaTransport;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * TEST FIXTURE, not RDMA: an {@link RdmaTransport} over plain TCP sockets, so that a test can prove the plug-in
 * point end to end (a transport loaded by class name, advertised where the fake sysfs lists an RDMA device, chosen by
 * the orchestrator, its input staged through the sink and taken by the job). Wire format: transfer id (16 bytes),
 * length (8), the bytes; the receiver answers 1 once its sink accepted them, else 0 and a UTF message.
 */
public final class SocketRdmaTestTransport implements RdmaTransport {
    /** Inputs sent through any instance in this JVM. */
    static final AtomicLong SENT = new AtomicLong();

    private volatile ServerSocket listener;

    @Override
    public String name() {
        return "test-socket";
    }

    @Override
    public boolean supports(List<String> devices) {
        return devices.contains("mlx5_0");
    }

    @Override
    public String listen(String bindHost, Sink sink) throws IOException {
        ServerSocket ss = new ServerSocket(0, 50, InetAddress.getByName(bindHost));
        listener = ss;
        Thread t = new Thread(() -> {
            while (!ss.isClosed()) {
                try (Socket s = ss.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    DataOutputStream out = new DataOutputStream(s.getOutputStream());
                    UUID id = new UUID(in.readLong(), in.readLong());
                    long length = in.readLong();
                    try {
                        sink.accept(id, in, length);
                        out.writeByte(1);
                    }
                    catch (IOException | RuntimeException e) {
                        out.writeByte(0);
                        out.writeUTF(String.valueOf(e.getMessage()));
                    }
                    out.flush();
                }
                catch (IOException e) {
                    // Closed, or a sender that went away: take the next one.
                }
            }
        }, "test-socket-rdma");
        t.setDaemon(true);
        t.start();
        return bindHost + ':' + ss.getLocalPort();
    }

    @Override
    public TransferReceipt send(String endpoint, UUID transferId, InputStream data, long length) throws IOException {
        long start = System.nanoTime();
        int colon = endpoint.lastIndexOf(':');
        try (Socket s = new Socket(endpoint.substring(0, colon), Integer.parseInt(endpoint.substring(colon + 1)))) {
            DataOutputStream out = new DataOutputStream(s.getOutputStream());
            out.writeLong(transferId.getMostSignificantBits());
            out.writeLong(transferId.getLeastSignificantBits());
            out.writeLong(length);
            data.transferTo(out);
            out.flush();
            DataInputStream in = new DataInputStream(s.getInputStream());
            if (in.readByte() != 1)
                throw new IOException("test-socket transport: " + endpoint + " refused transfer " + transferId + ": "
                    + in.readUTF());
        }
        SENT.incrementAndGet();
        return TransferReceipt.of(transferId, length, System.nanoTime() - start);
    }

    @Override
    public void close() {
        ServerSocket ss = listener;
        if (ss != null) {
            try {
                ss.close();
            }
            catch (IOException ignored) {
                // Closing anyway.
            }
        }
    }
}
