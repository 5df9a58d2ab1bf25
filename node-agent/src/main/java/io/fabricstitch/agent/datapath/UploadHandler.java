package io.fabricstitch.agent.datapath;

import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.io.InputStream;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLException;

/**
 * The client's side of a PUT: sends OPEN with its token, the stream as DATA frames and END (pulled by the chunked writer only while
 * the channel is writable), then waits for the server's ACK, which completes {@link #result()} with the bytes sent;
 * an ERROR or any failure completes it exceptionally with a {@link DataPathException}. A write that fails because the
 * server closed does not decide the failure: the channel keeps reading (auto-close off), so that the server's ERROR or
 * TLS alert, sent before it closed, says why.
 */
final class UploadHandler extends TransferHandler {
    private final UUID transferId;
    private final TransferToken token;
    private final InputStream data;
    private final long length;
    private final CompletableFuture<Long> result = new CompletableFuture<>();
    private final boolean tls;
    private ChunkedFrames frames;
    private Throwable writeFailure;

    /**
     * @param length bytes {@code data} holds, or -1 when unknown
     */
    UploadHandler(DataPathConfiguration cfg, boolean tls, TransferToken token, InputStream data, long length) {
        super(cfg, tls);
        this.tls = tls;
        this.token = token;
        this.transferId = token.transferId();
        this.data = data;
        this.length = length;
    }

    /** Completes with the payload bytes once the server acknowledged the commit. */
    CompletableFuture<Long> result() {
        return result;
    }

    @Override
    void begin(ChannelHandlerContext ctx) {
        ctx.channel().attr(Failures.TRANSFER_ID).set(transferId);
        ctx.write(Frame.open(ctx.alloc(), new OpenRequest(OpenRequest.Op.PUT, transferId, length, token.bytes())));
        frames = new ChunkedFrames(data, cfg.chunkBytes(), length, false, "the input of transfer " + transferId);
        ctx.writeAndFlush(frames).addListener(w -> {
            if (w.isSuccess())
                return;
            if (w.cause() instanceof IOException && ctx.channel().isActive())
                writeFailure = w.cause(); // The peer closed: what it said before (ERROR, TLS alert) is still to read.
            else if (closedOnUs(w.cause())) {
                writeFailure = w.cause();
                fail(ctx, closedEarly(ctx));
            }
            else
                fail(ctx, Failures.of(ctx.channel(), w.cause()));
        });
    }

    @Override
    void frame(ChannelHandlerContext ctx, Frame f) {
        if (f.type() == FrameType.ACK && frames != null && frames.endWritten()) {
            int status = f.ackStatus(Failures.from(ctx.channel()));
            if (status != 0)
                throw DataPathException.expected(DataPathException.Failure.PROTOCOL, "data path: ACK "
                    + Failures.from(ctx.channel()) + " has status " + status + " (expected: 0)");
            finish();
            result.complete(frames.progress());
            ctx.close();
        }
        else if (f.type() == FrameType.ERROR)
            fail(ctx, Failures.serverError(ctx.channel(), f));
        else
            throw unexpected(ctx, f, "ACK after END, or ERROR");
    }

    @Override
    DataPathException closedEarly(ChannelHandlerContext ctx) {
        // A write that failed only because the peer closed (reset, output shut down) says less than "truncated".
        DataPathException e = writeFailure == null ? null : Failures.of(ctx.channel(), writeFailure);
        return e != null && e.kind() != DataPathException.Failure.TRUNCATED ? e
            : Failures.truncated(ctx.channel(), payloadBytes(), Failures.clientHint(payloadBytes(), tls));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A reset read before the ACK is the server closing on us, as the end of the stream is: say what it may mean.
        // (NIO tends to read the end of the stream first, epoll the reset.)
        if (closedOnUs(cause))
            fail(ctx, closedEarly(ctx));
        else
            super.exceptionCaught(ctx, cause);
    }

    /** A socket error (a reset, a broken pipe), not a TLS failure or one of the data path's own. */
    private static boolean closedOnUs(Throwable cause) {
        return cause instanceof IOException && !(cause instanceof SSLException);
    }

    @Override
    DataPathException stalled(ChannelHandlerContext ctx) {
        return writeFailure != null ? Failures.of(ctx.channel(), writeFailure) : super.stalled(ctx);
    }

    @Override
    void failed(ChannelHandlerContext ctx, DataPathException e) {
        if (frames != null)
            frames.abort();
        result.completeExceptionally(e);
        ctx.close();
    }

    @Override
    long payloadBytes() {
        return frames == null ? 0 : frames.progress();
    }

    @Override
    boolean sending() {
        return frames == null || !frames.endWritten();
    }
}
