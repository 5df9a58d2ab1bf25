package io.fabricstitch.agent.datapath;

import io.netty.channel.AdaptiveRecvByteBufAllocator;
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
 * The data path pipeline, the same on both ends of a connection but for the server's guards and the transfer handler.
 * Each concern has its own handler; a failure is thrown by the handler that understands it and handled by the
 * transfer handler:
 * <pre>
 *  socket
 *     |
 *  (limit)   (server) connections per peer address and in all, checked before the pipeline is built --&gt; BUSY
 *     |
 *  idle      no byte read or written for readTimeout -------------&gt; TIMEOUT
 *     |
 *  rate      (server) OPEN within openTimeout, then an upload at minReceiveRate or more ---&gt; TIMEOUT
 *     |
 *  tls       (TLS only) TLS 1.3, mutual authentication ---------------&gt; UNTRUSTED_PEER
 *     |
 *  frames    type, length &lt;= maxFrameBytes, whole frames; (server) a small OPEN first
 *                                                   ----------&gt; PROTOCOL, OVERSIZED_FRAME, TRUNCATED
 *     |
 *  encoder   (outbound only) header with the payload's CRC32C
 *     |
 *  checksum  CRC32C of the payload ----------------------------------&gt; CHECKSUM
 *     |
 *  chunks    (outbound only) pulls DATA frames from a stream while the channel is writable
 *     |
 *  transfer  server: check the token (UNAUTHORIZED), reserve staging (BUSY), stage the upload / serve the output;
 *            client: upload or download -----------------------&gt; REFUSED, ...
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
    private final ConnectionLimiter limiter;
    private final Function<SocketChannel, ? extends ChannelHandler> transfer;

    /**
     * A client's pipeline.
     *
     * @param ssl client TLS context; null for DIRECT
     * @param transfer makes the transfer handler of a new connection
     */
    DataPathChannelInitializer(DataPathConfiguration cfg, SslContext ssl,
        Function<SocketChannel, ? extends ChannelHandler> transfer) {
        this(cfg, ssl, null, transfer);
    }

    /**
     * @param ssl server or client TLS context; null for DIRECT
     * @param limiter the server's connection caps; null on the client, which has no guards
     * @param transfer makes the transfer handler of a new connection
     */
    DataPathChannelInitializer(DataPathConfiguration cfg, SslContext ssl, ConnectionLimiter limiter,
        Function<SocketChannel, ? extends ChannelHandler> transfer) {
        this.cfg = cfg;
        this.ssl = ssl;
        this.limiter = limiter;
        this.transfer = transfer;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        boolean server = limiter != null;
        if (server && !limiter.admit(ch))
            return;
        int frame = cfg.chunkBytes() + FrameDecoder.HEADER_BYTES;
        ch.config().setWriteBufferWaterMark(new WriteBufferWaterMark(frame * HIGH_WATER_FRAMES / 2,
            frame * HIGH_WATER_FRAMES));
        // Reads of up to 1 MiB (two frames when larger) where the peer keeps up, as Netty's adaptive allocator grows
        // them: fewer system calls and trips through the pipeline per byte than Netty's 64 KiB (an upload on
        // loopback moved 18 % more for 8 % less CPU than with 128 KiB reads).
        ch.config().setRecvByteBufAllocator(new AdaptiveRecvByteBufAllocator(64, 2048, Math.max(1 << 20,
            2 * frame)));
        ch.pipeline().addLast("idle", new IdleStateHandler(true, 0, 0, cfg.readTimeout().toNanos(),
            TimeUnit.NANOSECONDS));
        if (server)
            ch.pipeline().addLast("rate", new RateGuard(cfg));
        if (ssl != null) {
            SslHandler tls = ssl.newHandler(ch.alloc());
            tls.setHandshakeTimeoutMillis(cfg.readTimeout().toMillis());
            ch.pipeline().addLast("tls", tls);
        }
        ch.pipeline()
            .addLast("frames", new FrameDecoder(cfg.maxFrameBytes(), server))
            .addLast("encoder", new FrameEncoder())
            .addLast("checksum", new ChecksumVerifier())
            .addLast("chunks", new ChunkedWriteHandler())
            .addLast("transfer", transfer.apply(ch));
    }
}
