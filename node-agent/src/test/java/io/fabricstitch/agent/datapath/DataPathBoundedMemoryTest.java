package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.channel.Channel;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backpressure end to end: a download into a stream that blocks stalls the server, which then holds no more than its
 * write buffer's high water mark plus one frame, and has read only a small part of a large output from disk.
 */
@ExtendWith(NoLeakedBuffers.class)
class DataPathBoundedMemoryTest {
    private static final int MIB = 1 << 20;

    private static final int OUTPUT_MIB = 64;

    @TempDir
    Path tmp;

    private DataPathServer server;

    private DataPathClient client;

    private final ExecutorService caller = Executors.newSingleThreadExecutor();

    @BeforeEach
    void start() {
        server = new DataPathServer(config(tmp.resolve("staging"), "server").readTimeout(Duration.ofSeconds(30))
            .build());
        server.start();
        client = new DataPathClient(config(tmp.resolve("unused"), "client").build());
    }

    @AfterEach
    void stop() {
        caller.shutdownNow();
        client.close();
        server.close();
    }

    /** A stream that blocks on its first write until released, then digests and counts what it is given. */
    private static final class BlockedStream extends OutputStream {
        final CountDownLatch release = new CountDownLatch(1);
        final MessageDigest digest;
        volatile long written;

        BlockedStream() throws Exception {
            digest = MessageDigest.getInstance("SHA-256");
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte)b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            try {
                if (!release.await(60, TimeUnit.SECONDS))
                    throw new IOException("never released");
            }
            catch (InterruptedException e) {
                throw new IOException(e);
            }
            digest.update(b, off, len);
            written += len;
        }
    }

    private Channel serverConnection() {
        return server.connections().stream().findFirst().orElse(null);
    }

    private static <T> T onLoop(Channel ch, Callable<T> task) throws Exception {
        return ch.eventLoop().submit(task).get(10, TimeUnit.SECONDS);
    }

    @Test
    void downloadIntoABlockedStream_stallsTheServer_withinItsHighWaterMarkPlusOneFrame() throws Exception {
        Path file = tmp.resolve("output");
        byte[] block = DataPathFixtures.random(MIB, 7);
        MessageDigest expected = MessageDigest.getInstance("SHA-256");
        for (int i = 0; i < OUTPUT_MIB; i++) {
            Files.write(file, block, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            expected.update(block);
        }
        UUID id = server.stageOutput(file, false);
        BlockedStream out = new BlockedStream();

        Future<TransferReceipt> download = caller.submit(() -> client.download(server.address(), false, DataPathFixtures.downloadToken(id), out));
        Await.until("the server to stall: its connection unwritable", () -> {
            Channel ch = serverConnection();
            return ch != null && !ch.isWritable();
        });

        Channel ch = serverConnection();
        long pending = onLoop(ch, () -> ch.unsafe().outboundBuffer().totalPendingWriteBytes());
        long readFromDisk = onLoop(ch, () -> ch.pipeline().get(ServerTransferHandler.class).payloadBytes());
        long frame = server.configuration().chunkBytes() + FrameDecoder.HEADER_BYTES;
        long high = ch.config().getWriteBufferHighWaterMark();
        assertTrue(pending <= high + frame, () -> "pending outbound bytes " + pending + " (expected: at most the high "
            + "water mark " + high + " + one frame " + frame + ")");
        assertTrue(readFromDisk <= 16L * MIB, () -> "the server read " + readFromDisk + " bytes of the " + OUTPUT_MIB
            + " MiB output while nothing was consumed (expected: at most 16 MiB in flight: its buffer, the sockets' "
            + "and the client's queue)");
        assertEquals(0, out.written);

        out.release.countDown();
        TransferReceipt r = download.get(60, TimeUnit.SECONDS);

        assertEquals((long)OUTPUT_MIB * MIB, r.bytes());
        assertEquals(HexFormat.of().formatHex(expected.digest()), HexFormat.of().formatHex(out.digest.digest()));
    }
}
