package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.datapath.DataPathFixtures.concat;
import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static io.fabricstitch.agent.datapath.DataPathFixtures.data;
import static io.fabricstitch.agent.datapath.DataPathFixtures.end;
import static io.fabricstitch.agent.datapath.DataPathFixtures.frame;
import static io.fabricstitch.agent.datapath.DataPathFixtures.open;
import static io.fabricstitch.agent.datapath.DataPathFixtures.random;
import static io.fabricstitch.agent.datapath.DataPathFixtures.stagedFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.fabricstitch.agent.datapath.DataPathFixtures.RawFrame;
import io.fabricstitch.agent.datapath.OpenRequest.Op;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Broken and hostile uploads against a real DIRECT server, most from a raw socket: each is refused with a clear
 * error, counted by kind, its temporary file deleted, and nothing of it is ever visible to {@code take()}.
 */
@ExtendWith(NoLeakedBuffers.class)
class DataPathHostileInputTest {
    private static final int CHUNK = 4096;

    @TempDir
    static Path tmp;

    private static DataPathServer server;

    /** readTimeout 300 ms and maxTransferBytes 1 MiB. */
    private static DataPathServer strict;

    private static DataPathClient client;

    @BeforeAll
    static void start() {
        server = new DataPathServer(config(tmp.resolve("staging"), "hostile").chunkBytes(CHUNK)
            .maxFrameBytes(CHUNK + FrameDecoder.HEADER_BYTES).build());
        server.start();
        strict = new DataPathServer(config(tmp.resolve("strict"), "strict").readTimeout(Duration.ofMillis(300))
            .maxTransferBytes(1 << 20).build());
        strict.start();
        client = new DataPathClient(config(tmp.resolve("unused"), "client").chunkBytes(CHUNK).build());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        strict.close();
    }

    /** Writes {@code bytes} to a new connection and reads the server's answer. */
    private static RawFrame exchange(DataPathServer to, byte[] bytes) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(bytes);
            return DataPathFixtures.readFrame(s.getInputStream());
        }
    }

    /** Waits until {@code to} counted one more failure of {@code kind} and deleted every temporary file. */
    private static void assertDiscarded(DataPathServer to, UUID id, Failure kind, long before) throws IOException {
        Await.until("the server to count the " + kind + " failure and delete the temporary file",
            () -> to.stats().failures(kind) == before + 1 && noStagedFiles(to), to::stats);
        assertTrue(to.take(id).isEmpty(), "no partial input is visible");
        assertEquals(List.of(), stagedFiles(to.configuration().stagingDirectory()));
    }

    private static boolean noStagedFiles(DataPathServer to) {
        try {
            return stagedFiles(to.configuration().stagingDirectory()).isEmpty();
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void frameWithAWrongChecksum_isRefused_andNothingIsStaged() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.CHECKSUM);
        byte[] payload = random(CHUNK, 1);

        RawFrame answer = exchange(server, concat(open(Op.PUT, id, 3L * CHUNK), data(payload),
            frame(FrameType.DATA.code(), payload, 0x1a2b3c4d), data(payload), end(3L * CHUNK)));

        assertEquals(Failure.CHECKSUM, answer.errorKind(), answer::toString);
        assertTrue(answer.message().startsWith("data path: frame 3 of transfer " + id + " from 127.0.0.1:"),
            answer::toString);
        assertTrue(answer.message().contains(" has CRC32C 0x1a2b3c4d, computed 0x"), answer::toString);
        assertTrue(answer.message().endsWith("(expected: equal; the transfer is discarded)"), answer::toString);
        assertDiscarded(server, id, Failure.CHECKSUM, before);
    }

    @Test
    void oversizedFrame_isRefused_beforeItsPayloadArrives() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.OVERSIZED_FRAME);
        byte[] header = ByteBuffer.allocate(FrameDecoder.HEADER_BYTES).put((byte)FrameType.DATA.code())
            .putInt(CHUNK + 1).putInt(0).array();

        RawFrame answer = exchange(server, concat(open(Op.PUT, id, -1), header));

        assertEquals(Failure.OVERSIZED_FRAME, answer.errorKind(), answer::toString);
        assertTrue(answer.message().contains("DATA frame 2 of transfer " + id + " from 127.0.0.1:"),
            answer::toString);
        assertTrue(answer.message().contains("declares " + (CHUNK + 1) + " payload bytes, " + (CHUNK + 10)
            + " with the header (expected: at most maxFrameBytes = " + (CHUNK + 9)), answer::toString);
        assertDiscarded(server, id, Failure.OVERSIZED_FRAME, before);
    }

    @Test
    void moreBytesThanDeclared_areRefused() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.REFUSED);

        RawFrame answer = exchange(server, concat(open(Op.PUT, id, 100), data(random(150, 2)), end(150)));

        assertEquals(Failure.REFUSED, answer.errorKind(), answer::toString);
        assertTrue(answer.message().contains("brings 150 bytes, more than the declared 100"), answer::toString);
        assertDiscarded(server, id, Failure.REFUSED, before);
    }

    @Test
    void endWithAnotherTotalThanReceived_isRefused() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.TRUNCATED);

        RawFrame answer = exchange(server, concat(open(Op.PUT, id, -1), data(random(100, 3)), end(200)));

        assertEquals(Failure.TRUNCATED, answer.errorKind(), answer::toString);
        assertTrue(answer.message().contains("says 200 bytes, 100 were received (expected: equal"),
            answer::toString);
        assertDiscarded(server, id, Failure.TRUNCATED, before);
    }

    @Test
    void unknownFrameType_isRefused() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.PROTOCOL);

        RawFrame answer = exchange(server, concat(open(Op.PUT, id, -1), frame(99, new byte[3])));

        assertEquals(Failure.PROTOCOL, answer.errorKind(), answer::toString);
        assertTrue(answer.message().contains("frame 2 of transfer " + id + " from 127.0.0.1:"), answer::toString);
        assertTrue(answer.message().contains("has type 99 (expected: 1 OPEN, 2 DATA, 3 END, 4 ACK or 5 ERROR)"),
            answer::toString);
        assertDiscarded(server, id, Failure.PROTOCOL, before);
    }

    @Test
    void streamTruncatedInsideAFrame_isDiscarded() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.TRUNCATED);
        byte[] second = data(random(CHUNK, 4));
        try (Socket s = new Socket()) {
            s.connect(server.address(), 5000);
            s.getOutputStream().write(concat(open(Op.PUT, id, 3L * CHUNK), data(random(CHUNK, 5))));
            s.getOutputStream().write(second, 0, second.length / 2);
            s.getOutputStream().flush();
            Await.until("the server to receive the first DATA frame", () -> noStagedFiles(server) == false);
        }

        assertDiscarded(server, id, Failure.TRUNCATED, before);
    }

    @Test
    void uploadInProgress_isNotVisibleToTake_andVanishesWhenTheConnectionDrops() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.TRUNCATED);
        try (Socket s = new Socket()) {
            s.connect(server.address(), 5000);
            s.getOutputStream().write(concat(open(Op.PUT, id, -1), data(random(CHUNK, 6))));
            Await.until("the upload's temporary file", () -> !noStagedFiles(server));

            assertTrue(server.take(id).isEmpty(), "an upload in progress is not taken");
        }
        assertDiscarded(server, id, Failure.TRUNCATED, before);
    }

    @Test
    void slowPeer_thatOpensAndStalls_isDroppedAfterReadTimeout() throws IOException {
        UUID id = UUID.randomUUID();
        long before = strict.stats().failures(Failure.TIMEOUT);

        RawFrame answer = exchange(strict, open(Op.PUT, id, 1000));

        assertEquals(Failure.TIMEOUT, answer.errorKind(), answer::toString);
        assertTrue(answer.message().endsWith("transfer " + id + " with 127.0.0.1:" + answer.message()
            .replaceAll(".*127\\.0\\.0\\.1:(\\d+).*", "$1") + ": peer sent nothing for 300 ms (expected: a frame at "
            + "least every readTimeout; the transfer is discarded)"), answer::toString);
        assertDiscarded(strict, id, Failure.TIMEOUT, before);
    }

    @Test
    void uploadDeclaringMoreThanMaxTransferBytes_isRefusedAtOpen() throws IOException {
        UUID id = UUID.randomUUID();
        long before = strict.stats().failures(Failure.REFUSED);

        RawFrame answer = exchange(strict, open(Op.PUT, id, (1 << 20) + 1));

        assertEquals(Failure.REFUSED, answer.errorKind(), answer::toString);
        assertTrue(answer.message().startsWith("data path: OPEN of transfer " + id + " from 127.0.0.1:"),
            answer::toString);
        assertTrue(answer.message().endsWith("declares 1048577 bytes (expected: at most maxTransferBytes = 1048576)"),
            answer::toString);
        assertDiscarded(strict, id, Failure.REFUSED, before);
    }

    @Test
    void uploadSendingMoreThanMaxTransferBytes_isRefused() throws IOException {
        UUID id = UUID.randomUUID();
        long before = strict.stats().failures(Failure.REFUSED);
        byte[] big = random((1 << 20) + 1, 7);

        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(strict.address(), false, DataPathFixtures.uploadToken(id),
            new ByteArrayInputStream(big), -1));

        assertEquals(Failure.REFUSED, e.kind(), e::getMessage);
        assertTrue(e.getMessage().startsWith("data path: server 127.0.0.1:" + strict.address().getPort()
            + " failed transfer " + id + ": DATA of transfer " + id), e::getMessage);
        assertTrue(e.getMessage().contains("brings more than maxTransferBytes = 1048576 bytes"), e::getMessage);
        assertDiscarded(strict, id, Failure.REFUSED, before);
    }

    @Test
    void inputWithFewerBytesThanDeclared_failsTheUpload_andTheServerDiscardsIt() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.TRUNCATED);

        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(server.address(), false, DataPathFixtures.uploadToken(id),
            new ByteArrayInputStream(random(1000, 8)), 2000));

        assertEquals(Failure.IO, e.kind(), e::getMessage);
        assertEquals("data path: the input of transfer " + id + " ended after 1000 bytes, fewer than the declared "
            + "2000 (expected: exactly the declared length, or -1 for unknown; the transfer is discarded)",
            e.getMessage());
        assertDiscarded(server, id, Failure.TRUNCATED, before);
    }

    @Test
    void inputStreamThatFails_failsTheUploadWithIo_andTheServerDiscardsIt() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.TRUNCATED);
        InputStream failing = new InputStream() {
            private int left = 3 * CHUNK;

            @Override
            public int read() throws IOException {
                if (left-- == 0)
                    throw new IOException("disk gone");
                return 7;
            }
        };

        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(server.address(), false, DataPathFixtures.uploadToken(id),
            failing, -1));

        assertEquals(Failure.IO, e.kind(), e::getMessage);
        assertEquals("data path: the input of transfer " + id + " could not be read after " + 3 * CHUNK + " bytes: "
            + "java.io.IOException: disk gone (expected: a readable stream; the transfer is discarded)",
            e.getMessage());
        assertDiscarded(server, id, Failure.TRUNCATED, before);
    }

    @Test
    void uploadToAPortWhereNothingListens_failsWithIo() throws IOException {
        InetSocketAddress nowhere;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            nowhere = new InetSocketAddress(s.getInetAddress(), s.getLocalPort());
        }

        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(nowhere, false,
            DataPathFixtures.uploadToken(UUID.randomUUID()), new ByteArrayInputStream(new byte[1]), 1));

        assertEquals(Failure.IO, e.kind(), e::getMessage);
        assertTrue(e.getMessage().startsWith("data path: cannot connect to 127.0.0.1:" + nowhere.getPort()),
            e::getMessage);
    }
}
