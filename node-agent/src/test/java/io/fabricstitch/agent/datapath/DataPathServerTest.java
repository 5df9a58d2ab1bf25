package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** The server's lifecycle and the staged data's lifetime, with a fake clock for expiry. */
@ExtendWith(NoLeakedBuffers.class)
class DataPathServerTest {
    @TempDir
    Path tmp;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Test
    void start_onAPortInUse_failsNamingTheRange_andReleasesItsThreads() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            DataPathServer server = new DataPathServer(config(tmp, "busy").port(taken.getLocalPort()).build());

            IllegalStateException e = assertThrows(IllegalStateException.class, server::start);

            assertEquals("data path busy: TCP 127.0.0.1:" + taken.getLocalPort() + " in use (expected: a free port in "
                + "port..port+portRange-1, or port 0)", e.getMessage());
            Await.until("the server's threads to end", () -> Thread.getAllStackTraces().keySet().stream()
                .noneMatch(t -> t.getName().startsWith("fabric-datapath-busy-server") && t.isAlive()));
            assertThrows(IllegalStateException.class, server::address);
        }
    }

    @Test
    void close_isIdempotent_endsTheThreads_andDeletesWhatWasNotTaken() throws Exception {
        DataPathServer server = new DataPathServer(config(tmp.resolve("staging"), "closing").build());
        server.start();
        try (DataPathClient client = new DataPathClient(config(tmp, "closing-client").build())) {
            client.upload(server.address(), false, DataPathFixtures.uploadToken(UUID.randomUUID()), new ByteArrayInputStream(new byte[10]), 10);
        }
        Path owned = Files.write(tmp.resolve("owned"), new byte[10]);
        Path kept = Files.write(tmp.resolve("kept"), new byte[10]);
        server.stageOutput(owned, true);
        server.stageOutput(kept, false);
        assertEquals(1, DataPathFixtures.stagedFiles(tmp.resolve("staging")).size());

        server.close();
        server.close();

        assertEquals(0, DataPathFixtures.stagedFiles(tmp.resolve("staging")).size());
        assertFalse(Files.exists(owned), "a file staged with deleteAfterDownload is the server's");
        assertTrue(Files.exists(kept), "a file staged without it is the caller's");
        Await.threadGone("fabric-datapath-closing-server-1");
        Await.threadGone("fabric-datapath-closing-client");
        assertThrows(IllegalStateException.class, server::start);
    }

    @Test
    void stageInput_fromAnotherTransport_isTakenLikeAnUpload_andATruncatedOneLeavesNothing() throws Exception {
        DataPathServer server = new DataPathServer(config(tmp.resolve("staging"), "local").build());
        server.start();
        try (server) {
            byte[] data = DataPathFixtures.random(200_000, 5);
            UUID whole = UUID.randomUUID();
            server.stageInput(whole, new ByteArrayInputStream(data), data.length);
            try (StagedInput in = server.take(whole).orElseThrow()) {
                assertEquals(DataPathFixtures.sha256(data), DataPathFixtures.sha256(in));
            }

            UUID cut = UUID.randomUUID();
            DataPathException e = assertThrows(DataPathException.class, () ->
                server.stageInput(cut, new ByteArrayInputStream(data, 0, 1000), data.length));

            assertEquals(DataPathException.Failure.TRUNCATED, e.kind());
            assertEquals("data path: input of transfer " + cut + " from a local transport ended after 1000 of 200000 "
                + "bytes (expected: all of them; the transfer is discarded)", e.getMessage());
            assertTrue(server.take(cut).isEmpty(), "nothing staged");
            assertEquals(List.of(), DataPathFixtures.stagedFiles(tmp.resolve("staging")));
        }
    }

    @Test
    void stagedDataNotTakenWithinTtl_expires() throws Exception {
        DataPathServer server = new DataPathServer(config(tmp.resolve("staging"), "ttl").nanoTime(nanos::get)
            .stagedTtl(Duration.ofMinutes(10)).build());
        server.start();
        try (server; DataPathClient client = new DataPathClient(config(tmp, "ttl-client").build())) {
            UUID input = UUID.randomUUID();
            client.upload(server.address(), false, DataPathFixtures.uploadToken(input), new ByteArrayInputStream(new byte[10]), 10);
            Path owned = Files.write(tmp.resolve("owned"), new byte[10]);
            UUID output = server.stageOutput(owned, true);
            nanos.addAndGet(Duration.ofMinutes(9).toNanos());
            server.staging().expire();
            assertEquals(1, server.staging().committedCount());
            assertEquals(1, server.staging().outputCount());

            nanos.addAndGet(Duration.ofMinutes(1).toNanos());
            server.staging().expire();

            assertTrue(server.take(input).isEmpty(), "expired");
            assertEquals(0, DataPathFixtures.stagedFiles(tmp.resolve("staging")).size());
            assertFalse(Files.exists(owned));
            DataPathException e = assertThrows(DataPathException.class, () -> client.download(server.address(), false,
                DataPathFixtures.downloadToken(output), new ByteArrayOutputStream()));
            assertEquals(DataPathException.Failure.REFUSED, e.kind());
        }
    }

    @Test
    void stagedFileKeptByItsOwner_canBeDownloadedAgain() throws Exception {
        try (DataPathServer server = new DataPathServer(config(tmp.resolve("staging"), "again").build());
             DataPathClient client = new DataPathClient(config(tmp, "again-client").build())) {
            server.start();
            byte[] data = DataPathFixtures.random(70_000, 3);
            UUID id = server.stageOutput(Files.write(tmp.resolve("kept"), data), false);
            for (int i = 0; i < 2; i++) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                client.download(server.address(), false, DataPathFixtures.downloadToken(id), out);
                assertEquals(DataPathFixtures.sha256(data), DataPathFixtures.sha256(out.toByteArray()));
            }
            Await.until("two downloads counted", () -> server.stats().transfersOut() == 2, server::stats);
            assertEquals(140_000, server.stats().bytesOut());
        }
    }
}
