package io.fabricstitch.agent.datapath;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The data path pipeline, the same on both ends of a connection but for the transfer handler. Each concern has its
 * own handler; a failure is thrown by the handler that understands it and handled by the transfer handler:
 * <pre>
 *  socket
 *     |
 *  idle      no byte read or written for readTimeout -------------&gt; TIMEOUT
 *     |
 *  tls       (TLS only) TLS 1.3, mutual authentication ---------------&gt; UNTRUSTED_PEER
 *     |
 *  frames    type, length &lt;= maxFrameBytes, whole frames ----------&gt; PROTOCOL, OVERSIZED_FRAME, TRUNCATED
 *     |
 *  encoder   (outbound only) header with the payload's CRC32C
 *     |
 *  checksum  CRC32C of the payload ----------------------------------&gt; CHECKSUM
 *     |
 *  chunks    (outbound only) pulls DATA frames from a stream while the channel is writable
 *     |
 *  transfer  server: stage the upload / serve the output; client: upload or download ---&gt; REFUSED, ...
 * </pre>
 * Backpressure: the write buffer's high water mark is a few frames, so the sender stops reading its stream while the
 * peer does not take bytes; the receiver writes each DATA payload to disk (or hands it to a bounded queue that stops
 * reading the socket when full), so a slow consumer slows the sender through TCP.
 */
final class DataPathChannelInitializer extends ChannelInitializer<SocketChannel> {
    /** Frames the write buffer holds before the channel turns unwritable. */
    static final int HIGH_WATER_FRAMES = 4;

    private final DataPathConfiguration cfg;
    private final SslContext ssl;
    private final Function<SocketChannel, ? extends ChannelHandler> transfer;

    /**
     * @param ssl server or client TLS context; null for DIRECT
     * @param transfer makes the transfer handler of a new connection
     */
    DataPathChannelInitializer(DataPathConfiguration cfg, SslContext ssl,
        Function<SocketChannel, ? extends ChannelHandler> transfer) {
        this.cfg = cfg;
        this.ssl = ssl;
        this.transfer = transfer;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        int frame = cfg.chunkBytes() + FrameDecoder.HEADER_BYTES;
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(frame * HIGH_WATER_FRAMES / 2,
            frame * HIGH_WATER_FRAMES));
        ch.pipeline().addLast("idle", new IdleStateHandler(true, 0, 0, cfg.readTimeout().toNanos(),
            TimeUnit.NANOSECONDS));
        if (ssl != null) {
            SslHandler tls = ssl.newHandler(ch.alloc());
            tls.setHandshakeTimeoutMillis(cfg.readTimeout().toMillis());
            ch.pipeline().addLast("tls", tls);
        }
        ch.pipeline()
            .addLast("frames", new FrameDecoder(cfg.maxFrameBytes()))
            .addLast("encoder", new FrameEncoder())
            .addLast("checksum", new ChecksumVerifier())
            .addLast("chunks", new ChunkedWriteHandler())
            .addLast("transfer", transfer.apply(ch));
    }
}
