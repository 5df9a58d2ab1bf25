package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.fabricstitch.internal.Checks;
import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.handler.ssl.SslContext;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.UUID;
import java.util.concurrent.ExecutionException;

/**
 * The caller's side of the data path: uploads inputs to, and downloads outputs from, {@link DataPathServer}s, one
 * connection per transfer. Thread-safe; the methods block until the transfer ends. Network work runs on one daemon
 * event-loop thread, {@code fabric-datapath-<agentName>}; the caller's stream is read on it during an upload, and
 * written by the caller's own thread during a download.
 * <p>
 * With TLS the client presents the certificate of its configuration's {@link DataPathConfiguration#tls() TLS
 * material} and trusts only its trusted certificates; host names are not checked (see {@link TlsMaterial}).
 */
public final class DataPathClient implements AutoCloseable {
    private final DataPathConfiguration cfg;
    private final SslContext ssl;
    private final Transport transport;
    private final EventLoopGroup group;

    public DataPathClient(DataPathConfiguration cfg) {
        this.cfg = Checks.notNull(cfg, "cfg");
        ssl = cfg.tls() == null ? null : cfg.tls().clientContext();
        transport = Transport.choose(cfg.nativeTransport());
        group = Threads.group(transport, 1, "fabric-datapath-" + cfg.agentName());
    }

    /**
     * Uploads {@code data} (read to its end, not closed) as the transfer {@code token} grants; returns once the server
     * has committed the whole input and acknowledged it, so that {@link DataPathServer#take} finds it under the
     * token's transfer id.
     *
     * @param tls whether to connect with TLS (the server's {@link DataPathServer#tls()})
     * @param token the upload's grant, as the orchestrator issued it with the placement; the server refuses the
     *     upload ({@link Failure#UNAUTHORIZED UNAUTHORIZED}) before staging anything unless it is valid there
     * @param length bytes {@code data} holds, or -1 when unknown; a stream holding another number fails the upload
     * @throws DataPathException of the failure's kind; the server then holds nothing of the transfer
     */
    public TransferReceipt upload(InetSocketAddress server, boolean tls, TransferToken token, InputStream data,
        long length) {
        Checks.notNull(server, "server");
        Checks.notNull(token, "token");
        Checks.notNull(data, "data");
        Checks.inRange(length, -1, Long.MAX_VALUE, "length");
        UUID transferId = token.transferId();
        long start = cfg.nanoTime().getAsLong();
        UploadHandler h = new UploadHandler(cfg, tls, token, data, length);
        Channel ch = connect(server, tls, h);
        try {
            long bytes = h.result().get();
            return TransferReceipt.of(transferId, bytes, cfg.nanoTime().getAsLong() - start);
        }
        catch (ExecutionException e) {
            throw rethrown(e.getCause());
        }
        catch (InterruptedException e) {
            ch.close();
            Thread.currentThread().interrupt();
            throw new DataPathException(Failure.IO, "data path: upload of transfer " + transferId + " to "
                + hostPort(server) + " was interrupted (expected: no interrupt while uploading)", e);
        }
    }

    /**
     * Downloads the output {@code token} grants (staged under its transfer id) into {@code out} (flushed, not closed),
     * written by the calling thread as frames arrive: while {@code out} is behind, the client stops reading and the
     * server stops sending.
     *
     * @param tls whether to connect with TLS (the server's {@link DataPathServer#tls()})
     * @param token the download's grant, as the agent that staged the output issued it
     * @throws DataPathException of the failure's kind; {@code out} may then have received part of the output
     */
    public TransferReceipt download(InetSocketAddress server, boolean tls, TransferToken token, OutputStream out) {
        Checks.notNull(server, "server");
        Checks.notNull(token, "token");
        Checks.notNull(out, "out");
        UUID transferId = token.transferId();
        long start = cfg.nanoTime().getAsLong();
        long frame = cfg.chunkBytes() + FrameDecoder.HEADER_BYTES;
        Inbox inbox = new Inbox(frame * DataPathChannelInitializer.HIGH_WATER_FRAMES, frame);
        Channel ch = connect(server, tls, new DownloadHandler(cfg, tls, token, inbox));
        try {
            for (ByteBuf b; (b = inbox.take()) != null;) {
                try {
                    b.readBytes(out, b.readableBytes());
                }
                finally {
                    b.release();
                }
            }
            out.flush();
            ch.writeAndFlush(Frame.ack(ch.alloc(), "received " + inbox.total() + " bytes"))
                .addListener(ChannelFutureListener.CLOSE);
            return TransferReceipt.of(transferId, inbox.total(), cfg.nanoTime().getAsLong() - start);
        }
        catch (IOException e) {
            DataPathException failure = new DataPathException(Failure.IO, "data path: download of transfer "
                + transferId + " from " + hostPort(server) + " failed writing to the output: " + e
                + " (expected: an OutputStream that takes the bytes)", e);
            inbox.fail(failure);
            ch.writeAndFlush(Frame.error(ch.alloc(), Failure.IO, failure.getMessage()))
                .addListener(ChannelFutureListener.CLOSE);
            throw failure;
        }
        catch (DataPathException e) {
            throw rethrown(e);
        }
        catch (InterruptedException e) {
            inbox.fail(DataPathException.expected(Failure.IO, "interrupted"));
            ch.close();
            Thread.currentThread().interrupt();
            throw new DataPathException(Failure.IO, "data path: download of transfer " + transferId + " from "
                + hostPort(server) + " was interrupted (expected: no interrupt while downloading)", e);
        }
    }

    private Channel connect(InetSocketAddress server, boolean tls, TransferHandler handler) {
        if (tls && ssl == null)
            throw new IllegalArgumentException("tls: true (expected: false, as this client's configuration has no "
                + "TlsMaterial)");
        ChannelFuture f = new Bootstrap().group(group).channel(transport.channel())
            .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int)cfg.readTimeout().toMillis())
            .option(ChannelOption.TCP_NODELAY, true)
            .option(ChannelOption.ALLOCATOR, BufferPool.ALLOCATOR)
            .option(ChannelOption.AUTO_CLOSE, false)
            .handler(new DataPathChannelInitializer(cfg, tls ? ssl : null, ch -> handler))
            .connect(server).awaitUninterruptibly();
        if (!f.isSuccess())
            throw new DataPathException(Failure.IO, "data path: cannot connect to " + hostPort(server) + ": "
                + f.cause() + " (expected: a data path server listening there)", f.cause());
        return f.channel();
    }

    /** The same failure, with this thread's stack trace and the event loop's failure as its cause. */
    private static DataPathException rethrown(Throwable t) {
        if (t instanceof DataPathException)
            return new DataPathException(((DataPathException)t).kind(), t.getMessage(), t);
        return new DataPathException(Failure.IO, "data path: " + t, t);
    }

    private static String hostPort(InetSocketAddress a) {
        return (a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress()) + ':' + a.getPort();
    }

    /** The socket layer this client uses: EPOLL, or NIO where epoll is off or does not load. */
    public String transport() {
        return transport.name();
    }

    /** The configuration this client runs with. */
    public DataPathConfiguration configuration() {
        return cfg;
    }

    /** Closes every connection (transfers in progress fail) and stops the thread. Idempotent. */
    @Override
    public void close() {
        Threads.shutdown(group);
    }

    @Override
    public String toString() {
        return "DataPathClient [" + cfg.agentName() + (ssl == null ? ", DIRECT only" : ", TLS or DIRECT") + ", " + transport + ']';
    }
}
