package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static io.fabricstitch.agent.datapath.DataPathFixtures.random;
import static io.fabricstitch.agent.datapath.DataPathFixtures.sha256;
import static io.fabricstitch.agent.datapath.DataPathFixtures.uploadToken;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The file of a consumed upload is kept for the next upload to write over ({@code dataPath.spareFileTtlMs}), and
 * never where a reader, the capacity or the server's end needs it gone.
 */
@ExtendWith(NoLeakedBuffers.class)
class SpareFileTest {
    @TempDir
    Path tmp;

    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    private DataPathServer server;

    private DataPathClient client;

    private void start(DataPathConfiguration.Builder cfg) {
        server = new DataPathServer(cfg.nanoTime(nanos::get).build());
        server.start();
        client = new DataPathClient(config(tmp, "spare-client").build());
    }

    @AfterEach
    void close() {
        if (client != null)
            client.close();
        if (server != null)
            server.close();
    }

    private Path staging() {
        return tmp.resolve("staging");
    }

    /** Uploads {@code data} and takes it. */
    private StagedInput uploadAndTake(byte[] data) {
        UUID id = UUID.randomUUID();
        client.upload(server.address(), false, uploadToken(id), new ByteArrayInputStream(data), data.length);
        return server.take(id).orElseThrow();
    }

    private static Object inode(Path file) throws IOException {
        return Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    }

    private List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(staging())) {
            return s.toList();
        }
    }

    @Test
    void theNextUpload_writesOverTheFileOfTheLastConsumedOne_andIsCutToItsOwnLength() throws Exception {
        start(config(staging(), "spare"));
        byte[] first = random(300_000, 1);
        byte[] second = random(100_000, 2);
        Object firstFile;
        try (StagedInput in = uploadAndTake(first)) {
            assertEquals(sha256(first), sha256(in));
            firstFile = inode(in.file());
        }
        SpareFile spare = server.staging().spare().orElseThrow(() -> new AssertionError("no spare file kept"));
        assertTrue(spare.file().getFileName().toString().endsWith(".input.spare"), spare::toString);
        assertEquals(300_000, spare.length());
        assertEquals(List.of(spare.file()), files());
        assertEquals(0, server.budget().stagingReservedBytes(), "a spare file reserves nothing");

        try (StagedInput in = uploadAndTake(second)) {
            assertEquals(firstFile, inode(in.file()), "the first upload's file, written over");
            assertEquals(100_000, Files.size(in.file()), "cut to the second upload's length");
            assertEquals(sha256(second), sha256(in));
            assertTrue(server.staging().spare().isEmpty(), "taken by the second upload");
        }
    }

    @Test
    void aSpareFileWrittenOver_holdsNoMoreThanTheUploadReserved_fromItsOpen() throws Exception {
        start(config(staging(), "reserved"));
        uploadAndTake(random(300_000, 13)).close();
        Object spareFile = inode(server.staging().spare().orElseThrow().file());
        UUID id = UUID.randomUUID();

        IncomingFile f = server.staging().receive(new OpenRequest(OpenRequest.Op.PUT, id, 100_000, null), 100_000,
            "of transfer " + id + " from a test");
        try {
            List<Path> parts = files();
            assertEquals(1, parts.size(), parts::toString);
            assertTrue(parts.get(0).toString().endsWith(".part"), parts::toString);
            assertEquals(spareFile, inode(parts.get(0)), "the spare file, renamed");
            assertEquals(100_000, Files.size(parts.get(0)), "cut to the declared 100000 bytes before a byte arrived");
            assertEquals(100_000, server.budget().stagingReservedBytes());
        }
        finally {
            server.staging().discard(f);
        }
        assertEquals(List.of(), files());
        assertEquals(0, server.budget().stagingReservedBytes());
    }

    @Test
    void anInputClosedWhileAStreamOfItIsOpen_isDeleted_soTheReaderKeepsItsBytes() throws Exception {
        start(config(staging(), "reader"));
        byte[] first = random(200_000, 3);
        StagedInput in = uploadAndTake(first);
        try (InputStream reader = in.open()) {
            byte[] head = reader.readNBytes(1000);
            in.close();
            assertTrue(server.staging().spare().isEmpty(), "not kept while a stream reads it");

            try (StagedInput next = uploadAndTake(random(200_000, 4))) {
                byte[] rest = reader.readAllBytes();
                byte[] all = new byte[head.length + rest.length];
                System.arraycopy(head, 0, all, 0, head.length);
                System.arraycopy(rest, 0, all, head.length, rest.length);
                assertEquals(sha256(first), sha256(all), "the reader's bytes are the first upload's");
            }
        }
        DataPathException e = assertThrows(DataPathException.class, in::open);
        assertEquals("data path: staged input " + in.transferId() + " is closed (expected: open() before close())",
            e.getMessage());
    }

    @Test
    void theSpareFile_isDeletedOnceUnusedForSpareFileTtl() throws Exception {
        start(config(staging(), "idle").spareFileTtl(Duration.ofSeconds(10)));
        uploadAndTake(random(50_000, 5)).close();
        nanos.addAndGet(Duration.ofSeconds(9).toNanos());
        server.staging().expire();
        assertTrue(server.staging().spare().isPresent(), "kept for 10 s");

        nanos.addAndGet(Duration.ofSeconds(1).toNanos());
        server.staging().expire();

        assertTrue(server.staging().spare().isEmpty());
        assertEquals(List.of(), files());
    }

    @Test
    void anUploadThatFindsTheCapacityFull_isRefused_andTheSpareFileIsDeleted() throws Exception {
        start(config(staging(), "full").stagingCapacityBytes(500_000));
        UUID held = UUID.randomUUID();
        client.upload(server.address(), false, uploadToken(held), new ByteArrayInputStream(random(300_000, 7)),
            300_000);
        uploadAndTake(random(150_000, 6)).close();
        assertTrue(server.staging().spare().isPresent(), "a spare file next to the input held");

        UUID refused = UUID.randomUUID();
        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(server.address(), false,
            uploadToken(refused), new ByteArrayInputStream(random(300_000, 8)), 300_000));

        assertEquals(DataPathException.Failure.BUSY, e.kind(), e::getMessage);
        assertTrue(server.staging().spare().isEmpty());
        assertEquals(DataPathFixtures.stagedFiles(staging()), files(), "only the input held, no spare");
        assertEquals(1, files().size());
        server.take(held).orElseThrow().close();
    }

    @Test
    void withSpareFileTtlZero_aConsumedUploadsFileIsDeleted() throws Exception {
        start(config(staging(), "off").spareFileTtl(Duration.ZERO));

        uploadAndTake(random(50_000, 9)).close();

        assertTrue(server.staging().spare().isEmpty());
        assertEquals(List.of(), files());
    }

    @Test
    void theServersEnd_deletesTheSpareFile_andAnInputClosedAfterItKeepsNone() throws Exception {
        start(config(staging(), "end"));
        uploadAndTake(random(50_000, 10)).close();
        StagedInput late = uploadAndTake(random(60_000, 11));
        uploadAndTake(random(70_000, 12)).close();
        assertTrue(server.staging().spare().isPresent());

        server.close();
        assertFalse(Files.exists(server.staging().spare().map(SpareFile::file).orElse(staging().resolve("none"))));
        late.close();

        assertTrue(server.staging().spare().isEmpty());
        assertEquals(List.of(), files());
    }
}
