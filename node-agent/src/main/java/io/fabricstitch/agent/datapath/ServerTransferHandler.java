package io.fabricstitch.agent.datapath;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.concurrent.TimeUnit;

/**
 * The server's side of one connection: waits for the OPEN, checks its token, then stages an upload (PUT, reserving
 * staging capacity first) or serves a staged output (GET); nothing is staged or served for an OPEN whose token fails.
 * A PUT's DATA go to a temporary file as they arrive and are committed on a matching END, then acknowledged; a GET's
 * output is streamed as DATA frames and END, and counted once the client acknowledges. Any failure deletes the
 * temporary file, is counted and logged (summarised by the {@link FailureLog}, no stack trace), and is answered with
 * an ERROR frame while the connection still works; the server then stops reading and closes after readTimeout, so
 * that the client reads the ERROR (and closes first) instead of getting a reset. A peer dropped for being slow or
 * silent gets no such grace: the connection closes once the ERROR is written.
 */
final class ServerTransferHandler extends TransferHandler {
    private static final System.Logger LOG = System.getLogger(ServerTransferHandler.class.getName());

    private final String name;
    private final StagingArea staging;
    private final DataPathCounters counters;
    private final FailureLog failures;
    private final TokenCheck tokens;
    private OpenRequest request;
    private IncomingFile incoming;
    private StagedOutput output;
    private ChunkedFrames outgoing;

    /**
     * @param name how log lines name the server, e.g. {@code data path n1}
     */
    ServerTransferHandler(DataPathConfiguration cfg, boolean tls, String name, StagingArea staging,
        DataPathCounters counters, FailureLog failures, TokenCheck tokens) {
        super(cfg, tls);
        this.name = name;
        this.staging = staging;
        this.counters = counters;
        this.failures = failures;
        this.tokens = tokens;
    }

    @Override
    void begin(ChannelHandlerContext ctx) {
        // The client speaks first.
    }

    @Override
    void frame(ChannelHandlerContext ctx, Frame f) {
        if (request == null)
            open(ctx, f);
        else if (request.op() == OpenRequest.Op.PUT)
            receive(ctx, f);
        else
            confirm(ctx, f);
    }

    private void open(ChannelHandlerContext ctx, Frame f) {
        if (f.type() != FrameType.OPEN)
            throw unexpected(ctx, f, "OPEN first");
        OpenRequest req = f.openRequest(Failures.from(ctx.channel()));
        ctx.channel().attr(Failures.TRANSFER_ID).set(req.transferId());
        request = req;
        String from = Failures.from(ctx.channel());
        TransferGrant grant = tokens.check(req, from);
        RateGuard rate = ctx.pipeline().get(RateGuard.class);
        if (req.op() == OpenRequest.Op.PUT) {
            incoming = staging.receive(req, grant.maxBytes(), from);
            rate.opened(true);
            return;
        }
        rate.opened(false);
        output = staging.output(req.transferId(), from);
        try {
            outgoing = new ChunkedFrames(output.open(), cfg.chunkBytes(), output.length(), true, "staged output "
                + req.transferId());
        }
        catch (IOException e) {
            throw new DataPathException(DataPathException.Failure.REFUSED, "data path: GET " + from + ": the staged "
                + "output cannot be read: " + e + " (expected: its file left alone until downloaded)", e);
        }
        ctx.writeAndFlush(outgoing).addListener(w -> {
            if (!w.isSuccess())
                fail(ctx, Failures.of(ctx.channel(), w.cause()));
        });
    }

    private void receive(ChannelHandlerContext ctx, Frame f) {
        if (f.type() == FrameType.DATA)
            incoming.write(f.content());
        else if (f.type() == FrameType.END) {
            long total = f.endTotal(Failures.from(ctx.channel()));
            staging.commit(incoming, total);
            incoming = null;
            finish();
            ctx.pipeline().get(RateGuard.class).stop();
            counters.received(total);
            LOG.log(Level.DEBUG, () -> name + ": committed " + total + " bytes " + Failures.from(ctx.channel()));
            ctx.writeAndFlush(Frame.ack(ctx.alloc(), "committed " + total + " bytes"))
                .addListener(ChannelFutureListener.CLOSE);
        }
        else
            throw unexpected(ctx, f, "DATA or END");
    }

    private void confirm(ChannelHandlerContext ctx, Frame f) {
        if (f.type() == FrameType.ACK && outgoing.endWritten()) {
            finish();
            counters.sent(output.length());
            staging.downloaded(output);
            LOG.log(Level.DEBUG, () -> name + ": served " + output.length() + " bytes of transfer "
                + request.transferId() + " to " + Failures.peer(ctx.channel()));
            ctx.close();
        }
        else if (f.type() == FrameType.ERROR) {
            finish();
            counters.failed(f.errorKind());
            failures.failed(DataPathException.expected(f.errorKind(), "data path: the client of "
                + Failures.with(ctx.channel()) + " failed the download: " + f.message()));
            ctx.close();
        }
        else
            throw unexpected(ctx, f, "ACK after END, or ERROR");
    }

    @Override
    void failed(ChannelHandlerContext ctx, DataPathException e) {
        if (incoming != null) {
            staging.discard(incoming);
            incoming = null;
        }
        if (outgoing != null)
            outgoing.abort();
        RateGuard rate = ctx.pipeline().get(RateGuard.class);
        if (rate != null)
            rate.stop();
        if (request == null && e.kind() == DataPathException.Failure.TRUNCATED)
            return; // Connected and closed without a transfer: a port probe, not a failure.
        counters.failed(e.kind());
        failures.failed(e);
        if (!ctx.channel().isActive())
            return;
        // Stop reading, so that a client still sending fills its buffers and turns to read the ERROR; close only after
        // readTimeout, by when it has closed itself, so that it gets the ERROR and not a reset. A slow or silent peer
        // has had its time: closed once the ERROR is out.
        ctx.channel().config().setAutoRead(false);
        ctx.writeAndFlush(Frame.error(ctx.alloc(), e.kind(), e.getMessage()));
        if (e.kind() == DataPathException.Failure.TIMEOUT)
            ctx.close(); // after the flush above has put the ERROR in the socket's buffer
        else
            ctx.executor().schedule(() -> ctx.close(), cfg.readTimeout().toNanos(), TimeUnit.NANOSECONDS);
    }

    @Override
    long payloadBytes() {
        return incoming != null ? incoming.received() : outgoing != null ? outgoing.progress() : 0;
    }

    @Override
    boolean sending() {
        return request != null && request.op() == OpenRequest.Op.GET;
    }
}
