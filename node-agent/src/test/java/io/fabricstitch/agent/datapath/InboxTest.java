package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The download hand-off queue: bounded in bytes, it turns reading off when full and on when drained. */
@ExtendWith(NoLeakedBuffers.class)
class InboxTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();

    private final Inbox inbox = new Inbox(300, 100);

    InboxTest() {
        inbox.attach(channel);
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private static ByteBuf bytes(int n) {
        return Unpooled.directBuffer(n).writeZero(n);
    }

    @Test
    void fullInbox_stopsReading_andResumesOnceTakenDownToLow() throws InterruptedException {
        inbox.offer(bytes(100));
        inbox.offer(bytes(100));
        assertTrue(channel.config().isAutoRead());
        inbox.offer(bytes(100));
        assertTrue(inbox.paused());
        assertFalse(channel.config().isAutoRead(), "300 bytes queued: reading stops");

        inbox.take().release();
        channel.runPendingTasks();
        assertFalse(channel.config().isAutoRead(), "200 bytes queued: still above low");
        inbox.take().release();
        channel.runPendingTasks();
        assertTrue(channel.config().isAutoRead(), "100 bytes queued: reading resumes");
        assertEquals(100, inbox.queuedBytes());

        inbox.end(300);
        inbox.take().release();
        assertNull(inbox.take(), "the end");
        assertEquals(300, inbox.total());
    }

    @Test
    void failure_dropsWhatIsQueued_andIsThrownToTheTaker() {
        inbox.offer(bytes(100));
        DataPathException e = DataPathException.expected(DataPathException.Failure.CHECKSUM, "bad");
        inbox.fail(e);
        ByteBuf late = bytes(10);
        inbox.offer(late);

        assertEquals(0, late.refCnt(), "a payload after the failure is released");
        assertSame(e, assertThrows(DataPathException.class, inbox::take));
        assertEquals(0, inbox.queuedBytes());
    }
}
