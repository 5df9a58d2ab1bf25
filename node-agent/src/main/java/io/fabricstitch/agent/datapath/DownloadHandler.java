package io.fabricstitch.agent.datapath;

import io.netty.channel.ChannelHandlerContext;
import java.util.UUID;

/**
 * The client's side of a GET: sends OPEN with its token, then queues each verified DATA payload in the {@link Inbox}, from which the
 * caller's thread writes to its stream; END (with the right total) ends the inbox, an ERROR or any failure fails it.
 * While the inbox is full the channel does not read, and the silence is not a timeout.
 */
final class DownloadHandler extends TransferHandler {
    private final boolean tls;
    private final UUID transferId;
    private final TransferToken token;
    private final Inbox inbox;
    private long received;

    DownloadHandler(DataPathConfiguration cfg, boolean tls, TransferToken token, Inbox inbox) {
        super(cfg, tls);
        this.tls = tls;
        this.token = token;
        this.transferId = token.transferId();
        this.inbox = inbox;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        inbox.attach(ctx.channel());
    }

    @Override
    void begin(ChannelHandlerContext ctx) {
        ctx.channel().attr(Failures.TRANSFER_ID).set(transferId);
        ctx.writeAndFlush(Frame.open(ctx.alloc(), new OpenRequest(OpenRequest.Op.GET, transferId, -1, token.bytes())));
    }

    @Override
    void frame(ChannelHandlerContext ctx, Frame f) {
        if (f.type() == FrameType.DATA) {
            received += f.length();
            inbox.offer(f.content().retain());
        }
        else if (f.type() == FrameType.END) {
            long total = f.endTotal(Failures.from(ctx.channel()));
            if (total != received)
                throw DataPathException.expected(total > received ? DataPathException.Failure.TRUNCATED
                    : DataPathException.Failure.PROTOCOL, "data path: END " + Failures.from(ctx.channel()) + " says "
                    + total + " bytes, " + received + " were received (expected: equal; the download failed)");
            finish();
            inbox.end(total);
        }
        else if (f.type() == FrameType.ERROR)
            fail(ctx, Failures.serverError(ctx.channel(), f));
        else
            throw unexpected(ctx, f, "DATA, END or ERROR");
    }

    @Override
    DataPathException closedEarly(ChannelHandlerContext ctx) {
        return Failures.truncated(ctx.channel(), received, Failures.clientHint(received, tls));
    }

    @Override
    void failed(ChannelHandlerContext ctx, DataPathException e) {
        inbox.fail(e);
        ctx.close();
    }

    @Override
    boolean paused() {
        return inbox.paused();
    }

    @Override
    long payloadBytes() {
        return received;
    }

    @Override
    boolean sending() {
        return false;
    }
}
