package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static io.fabricstitch.agent.datapath.DataPathFixtures.random;
import static io.fabricstitch.agent.datapath.DataPathFixtures.sha256;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The same transfers over DIRECT and TLS (Netty's {@code SocketEchoTest} style): a real server and client on
 * loopback, one pair per mode for the whole class.
 */
@ExtendWith(NoLeakedBuffers.class)
class DataPathLoopbackTest {
    enum Mode { DIRECT, TLS }

    @TempDir
    static Path tmp;

    private static final Map<Mode, DataPathServer> SERVERS = new EnumMap<>(Mode.class);

    private static final Map<Mode, DataPathClient> CLIENTS = new EnumMap<>(Mode.class);

    @BeforeAll
    static void start() {
        TlsMaterial serverTls = TlsMaterial.development(tmp.resolve("ca"), "server");
        TlsMaterial clientTls = TlsMaterial.development(tmp.resolve("ca"), "client");
        for (Mode m : Mode.values()) {
            DataPathServer s = new DataPathServer(config(tmp.resolve("staging-" + m), "server-" + m)
                .tls(m == Mode.TLS ? serverTls : null).build());
            s.start();
            SERVERS.put(m, s);
            CLIENTS.put(m, new DataPathClient(config(tmp.resolve("unused"), "client-" + m)
                .tls(m == Mode.TLS ? clientTls : null).build()));
        }
    }

    @AfterAll
    static void stop() {
        CLIENTS.values().forEach(DataPathClient::close);
        SERVERS.values().forEach(DataPathServer::close);
    }

    private static TransferReceipt upload(Mode m, UUID id, InputStream data, long length) {
        return CLIENTS.get(m).upload(SERVERS.get(m).address(), m == Mode.TLS, DataPathFixtures.uploadToken(id), data, length);
    }

    private static TransferReceipt download(Mode m, UUID id, ByteArrayOutputStream out) {
        return CLIENTS.get(m).download(SERVERS.get(m).address(), m == Mode.TLS, DataPathFixtures.downloadToken(id), out);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void uploadThenTake_returnsIdenticalBytes_once(Mode m) throws IOException {
        DataPathServer server = SERVERS.get(m);
        assertEquals(m == Mode.TLS, server.tls());
        DataPathStats before = server.stats();
        byte[] data = random(5 << 20, 1);
        UUID id = UUID.randomUUID();

        TransferReceipt r = upload(m, id, new ByteArrayInputStream(data), data.length);

        assertEquals(id, r.transferId());
        assertEquals(data.length, r.bytes());
        assertTrue(r.bytesPerSecond() > 0, r::toString);
        try (StagedInput in = server.take(id).orElseThrow()) {
            assertEquals(data.length, in.length());
            assertEquals(sha256(data), sha256(in));
        }
        assertTrue(server.take(id).isEmpty(), "an input is taken once");
        DataPathStats after = server.stats();
        assertEquals(before.transfersIn() + 1, after.transfersIn(), after::toString);
        assertEquals(before.bytesIn() + data.length, after.bytesIn(), after::toString);
        assertEquals(before.failures(), after.failures(), after::toString);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void downloadOfAStagedFile_isIdentical_andDeletesTheFileWhenAsked(Mode m) throws IOException {
        DataPathServer server = SERVERS.get(m);
        byte[] data = random((5 << 20) + 17, 2);
        Path file = Files.write(tmp.resolve("output-" + m), data);
        UUID id = server.stageOutput(file, true);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        TransferReceipt r = download(m, id, out);

        assertEquals(data.length, r.bytes());
        assertEquals(sha256(data), sha256(out.toByteArray()));
        Await.until("the server to delete the downloaded file", () -> !Files.exists(file));
        Await.until("the server to count the download", () -> server.stats().bytesOut() >= data.length,
            server::stats);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void downloadOfStagedBytes_isIdentical_andServedOnce(Mode m) {
        DataPathServer server = SERVERS.get(m);
        byte[] data = random(300_000, 3);
        UUID id = server.stageOutput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        download(m, id, out);

        assertArrayEquals(data, out.toByteArray());
        Await.until("the server to drop the served bytes", () -> server.staging().outputCount() == 0);
        DataPathException e = assertThrows(DataPathException.class, () -> download(m, id,
            new ByteArrayOutputStream()));
        assertEquals(DataPathException.Failure.REFUSED, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains("no such output is staged"), e::getMessage);
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void uploadOfUnknownLength_fromAStreamOfShortReads_isCommittedWhole(Mode m) throws IOException {
        byte[] data = random((3 << 20) + 123, 4);
        UUID id = UUID.randomUUID();
        InputStream trickle = new FilterInputStream(new ByteArrayInputStream(data)) {
            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return super.read(b, off, Math.min(len, 1000));
            }

            @Override
            public int available() {
                return 0;
            }
        };

        TransferReceipt r = upload(m, id, trickle, -1);

        assertEquals(data.length, r.bytes());
        try (StagedInput in = SERVERS.get(m).take(id).orElseThrow()) {
            assertEquals(data.length, in.length());
            assertEquals(sha256(data), sha256(in));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void zeroByteUpload_isCommittedEmpty(Mode m) {
        UUID id = UUID.randomUUID();

        TransferReceipt r = upload(m, id, new ByteArrayInputStream(new byte[0]), 0);

        assertEquals(0, r.bytes());
        try (StagedInput in = SERVERS.get(m).take(id).orElseThrow()) {
            assertEquals(0, in.length());
            assertArrayEquals(new byte[0], in.readAll(0));
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void fourConcurrentUploads_eachArriveIntact(Mode m) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<byte[]> inputs = new ArrayList<>();
            List<UUID> ids = new ArrayList<>();
            List<Future<TransferReceipt>> done = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                byte[] data = random((2 << 20) + i, 10 + i);
                UUID id = UUID.randomUUID();
                inputs.add(data);
                ids.add(id);
                done.add(pool.submit(() -> upload(m, id, new ByteArrayInputStream(data), data.length)));
            }
            for (int i = 0; i < 4; i++) {
                assertEquals(inputs.get(i).length, done.get(i).get().bytes());
                try (StagedInput in = SERVERS.get(m).take(ids.get(i)).orElseThrow()) {
                    assertEquals(sha256(inputs.get(i)), sha256(in));
                }
            }
        }
        finally {
            pool.shutdownNow();
        }
    }

    @ParameterizedTest
    @EnumSource(Mode.class)
    void readAll_refusesAnInputLongerThanTheCallerAccepts(Mode m) {
        byte[] data = random(5000, 5);
        UUID id = UUID.randomUUID();
        upload(m, id, new ByteArrayInputStream(data), data.length);

        try (StagedInput in = SERVERS.get(m).take(id).orElseThrow()) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> in.readAll(4999));
            assertTrue(e.getMessage().contains("has 5000 bytes, more than maxBytes = 4999"), e::getMessage);
            assertArrayEquals(data, in.readAll(5000));
        }
    }
}
