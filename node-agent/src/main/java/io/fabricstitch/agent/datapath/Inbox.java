package io.fabricstitch.agent.datapath;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import java.util.ArrayDeque;

/**
 * The hand-off between a download's event loop and the caller's thread, which writes to the caller's
 * {@code OutputStream}: a queue of DATA payloads bounded in bytes. When it holds {@code high} bytes the channel stops
 * reading (auto-read off), so TCP slows the server; when the caller has taken it down to {@code low}, reading resumes.
 * Memory stays within {@code high} plus what one socket read brings.
 * <p>
 * The read state is applied on the event loop from the latest decision, so that a pause and a resume decided on two
 * threads cannot be applied out of order.
 */
final class Inbox {
    private final long high;
    private final long low;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private Channel channel;
    private long bytes;
    private boolean paused;
    private boolean ended;
    private long total;
    private DataPathException failure;

    /**
     * @param high queued bytes at which reading stops
     * @param low queued bytes at which reading resumes
     */
    Inbox(long high, long low) {
        this.high = high;
        this.low = low;
    }

    /** The channel whose reading this inbox controls; before the first {@link #offer}. */
    synchronized void attach(Channel channel) {
        this.channel = channel;
    }

    /** Event loop: queues a payload, which the inbox now owns; stops reading when full. */
    void offer(ByteBuf payload) {
        boolean pause;
        synchronized (this) {
            if (failure != null) {
                payload.release();
                return;
            }
            queue.add(payload);
            bytes += payload.readableBytes();
            pause = !paused && bytes >= high;
            if (pause)
                paused = true;
            notifyAll();
        }
        if (pause)
            applyReadState();
    }

    /** Event loop: the END came; {@code total} payload bytes in all. */
    synchronized void end(long total) {
        ended = true;
        this.total = total;
        notifyAll();
    }

    /** Any thread: the transfer failed; what is queued is dropped and the caller gets {@code e}. */
    void fail(DataPathException e) {
        synchronized (this) {
            if (failure != null)
                return;
            failure = e;
            drop();
            paused = false;
            notifyAll();
        }
    }

    /**
     * Caller: the next payload, which the caller releases; null after the last one.
     *
     * @throws DataPathException when the transfer failed
     */
    ByteBuf take() throws InterruptedException {
        ByteBuf b;
        boolean resume;
        synchronized (this) {
            while (queue.isEmpty() && failure == null && !ended)
                wait();
            if (failure != null)
                throw failure;
            b = queue.poll();
            if (b == null)
                return null;
            bytes -= b.readableBytes();
            resume = paused && bytes <= low;
            if (resume)
                paused = false;
        }
        if (resume)
            channel.eventLoop().execute(this::applyReadState);
        return b;
    }

    /** Payload bytes of the whole transfer, once ended. */
    synchronized long total() {
        return total;
    }

    /** Whether reading is stopped because the caller is behind. */
    synchronized boolean paused() {
        return paused;
    }

    /** Bytes queued now. */
    synchronized long queuedBytes() {
        return bytes;
    }

    private void drop() {
        for (ByteBuf b; (b = queue.poll()) != null;)
            b.release();
        bytes = 0;
    }

    /** Event loop: reading on unless paused. */
    private void applyReadState() {
        boolean p;
        synchronized (this) {
            p = paused;
        }
        channel.config().setAutoRead(!p);
    }
}
