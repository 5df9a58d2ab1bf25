package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.datapath.DataPathFixtures.FABRIC;
import static io.fabricstitch.agent.datapath.DataPathFixtures.KEY;
import static io.fabricstitch.agent.datapath.DataPathFixtures.concat;
import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static io.fabricstitch.agent.datapath.DataPathFixtures.data;
import static io.fabricstitch.agent.datapath.DataPathFixtures.end;
import static io.fabricstitch.agent.datapath.DataPathFixtures.open;
import static io.fabricstitch.agent.datapath.DataPathFixtures.random;
import static io.fabricstitch.agent.datapath.DataPathFixtures.uploadToken;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.fabricstitch.agent.datapath.DataPathFixtures.RawFrame;
import io.fabricstitch.agent.datapath.OpenRequest.Op;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Uploads and downloads without a valid transfer token, and uploads past the staging capacity, against real DIRECT
 * servers: each is refused at its OPEN with a clear error to the client, counted, and nothing is staged (the staging
 * directory stays empty); a transfer with a valid token still goes through.
 */
@ExtendWith(NoLeakedBuffers.class)
class DataPathHostileTransfersTest {
    private static final int KIB = 1 << 10;

    @TempDir
    static Path tmp;

    private static DataPathServer server;

    /** A staging capacity of 1 MiB. */
    private static DataPathServer small;

    private static DataPathClient client;

    @BeforeAll
    static void start() {
        server = new DataPathServer(config(tmp.resolve("staging"), "tokens").build());
        server.start();
        small = new DataPathServer(config(tmp.resolve("small"), "small").stagingCapacityBytes(KIB * KIB).build());
        small.start();
        client = new DataPathClient(config(tmp.resolve("unused"), "client").build());
    }

    @AfterAll
    static void stop() {
        client.close();
        server.close();
        small.close();
    }

    /** Sends an upload of 100 bytes opened by {@code open} and returns the server's answer. */
    private static RawFrame upload(DataPathServer to, byte[] open) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(to.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(concat(open, data(random(100, 1)), end(100)));
            return DataPathFixtures.readFrame(s.getInputStream());
        }
    }

    /** Every file in {@code dir} but the spare one a consumed upload leaves for the next to write over. */
    private static List<Path> allFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !p.toString().endsWith(SpareFile.SUFFIX)).toList();
        }
    }

    /**
     * Asserts that {@code answer} refused the OPEN as UNAUTHORIZED with {@code reason}, counted once more, and that
     * nothing was staged or reserved.
     */
    private static void assertRefusedAtOpen(RawFrame answer, UUID id, String reason, long before) throws IOException {
        assertEquals(Failure.UNAUTHORIZED, answer.errorKind(), answer::toString);
        assertTrue(answer.message().startsWith("data path: PUT of transfer " + id + " from 127.0.0.1:"),
            answer::toString);
        assertTrue(answer.message().contains(reason), () -> answer + " (expected to contain: " + reason + ")");
        Await.until("the server to count the refusal", () -> server.stats().failures(Failure.UNAUTHORIZED)
            == before + 1, server::stats);
        assertEquals(List.of(), allFiles(server.configuration().stagingDirectory()), "nothing staged");
        assertEquals(0, server.budget().stagingReservedBytes(), "nothing reserved");
        assertTrue(server.take(id).isEmpty());
    }

    @Test
    void uploadWithoutToken_isRefusedBeforeAByteIsStaged() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.UNAUTHORIZED);

        RawFrame answer = upload(server, open(Op.PUT, id, 100, null));

        assertRefusedAtOpen(answer, id, "carries no transfer token (expected: the token the orchestrator issued with "
            + "the placement", before);
    }

    @Test
    void uploadWithAForgedToken_isRefusedBeforeAByteIsStaged() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.UNAUTHORIZED);
        TransferKey stranger = TransferKey.generate(new SecureRandom());
        byte[] forged = TransferGrant.upload(id, FABRIC, 100, System.currentTimeMillis() + 60_000).sign(stranger)
            .bytes();

        RawFrame answer = upload(server, open(Op.PUT, id, 100, forged));

        assertRefusedAtOpen(answer, id, "carries a transfer token not signed with this cluster's key", before);
    }

    @Test
    void uploadWithATamperedToken_isRefused() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.UNAUTHORIZED);
        byte[] token = uploadToken(id, 10).bytes();
        token[41] = 100; // maxBytes 10 -> 100, the signature left as it was

        RawFrame answer = upload(server, open(Op.PUT, id, 100, token));

        assertRefusedAtOpen(answer, id, "not signed with this cluster's key", before);
    }

    @Test
    void uploadWithAnExpiredToken_isRefused() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.UNAUTHORIZED);
        byte[] expired = TransferGrant.upload(id, FABRIC, 100, System.currentTimeMillis() - 1000).sign(KEY).bytes();

        RawFrame answer = upload(server, open(Op.PUT, id, 100, expired));

        assertRefusedAtOpen(answer, id, "carries a token that expired at ", before);
        assertTrue(answer.message().endsWith("(expected: a token used within its lifetime; are the nodes' clocks in "
            + "step?)"), answer::toString);
    }

    @Test
    void uploadWithATokenForAnotherFabric_isRefused() throws IOException {
        UUID id = UUID.randomUUID();
        UUID elsewhere = UUID.randomUUID();
        long before = server.stats().failures(Failure.UNAUTHORIZED);
        byte[] token = TransferGrant.upload(id, elsewhere, 100, System.currentTimeMillis() + 60_000).sign(KEY).bytes();

        RawFrame answer = upload(server, open(Op.PUT, id, 100, token));

        assertRefusedAtOpen(answer, id, "carries a token for fabric " + elsewhere + ", which this server does not "
            + "host (expected: a token for one of its fabrics)", before);
    }

    @Test
    void uploadWithATokenForAnotherTransfer_isRefused() throws IOException {
        UUID id = UUID.randomUUID();
        UUID other = UUID.randomUUID();
        long before = server.stats().failures(Failure.UNAUTHORIZED);

        RawFrame answer = upload(server, open(Op.PUT, id, 100, uploadToken(other).bytes()));

        assertRefusedAtOpen(answer, id, "carries a token for transfer " + other + " (expected: one for transfer " + id
            + ", the OPEN's)", before);
    }

    @Test
    void uploadWithADownloadToken_isRefused() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.UNAUTHORIZED);

        RawFrame answer = upload(server, open(Op.PUT, id, 100, DataPathFixtures.downloadToken(id).bytes()));

        assertRefusedAtOpen(answer, id, "carries a token for a DOWNLOAD (expected: one for a UPLOAD)", before);
    }

    @Test
    void uploadWithAMalformedToken_isRefused() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.UNAUTHORIZED);

        RawFrame answer = upload(server, open(Op.PUT, id, 100, new byte[20]));

        assertRefusedAtOpen(answer, id, "carries a malformed transfer token: 20 bytes (expected: 82)", before);
    }

    @Test
    void uploadDeclaringMoreThanItsTokenAllows_isRefusedAtOpen() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.UNAUTHORIZED);

        RawFrame answer = upload(server, open(Op.PUT, id, 100, uploadToken(id, 99).bytes()));

        assertRefusedAtOpen(answer, id, "declares 100 bytes, more than the 99 its token allows (expected: at most the "
            + "token's maxBytes)", before);
    }

    @Test
    void uploadOfUnknownLength_sendingMoreThanItsTokenAllows_isRefused_andDiscarded() throws IOException {
        UUID id = UUID.randomUUID();
        long before = server.stats().failures(Failure.REFUSED);

        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(server.address(), false,
            uploadToken(id, 5 * KIB), new ByteArrayInputStream(random(6 * KIB, 2)), -1));

        assertEquals(Failure.REFUSED, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains("brings more than its token's maxBytes = " + 5 * KIB + " bytes"),
            e::getMessage);
        Await.until("the server to discard the upload", () -> server.stats().failures(Failure.REFUSED) == before + 1
            && server.budget().stagingReservedBytes() == 0, server::stats);
        assertEquals(List.of(), allFiles(server.configuration().stagingDirectory()));
    }

    @Test
    void refusal_reachesTheCaller_withTheServersReason() {
        UUID id = UUID.randomUUID();
        TransferToken forged = TransferGrant.upload(id, FABRIC, 100, System.currentTimeMillis() + 60_000)
            .sign(TransferKey.generate(new SecureRandom()));

        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(server.address(), false,
            forged, new ByteArrayInputStream(random(100, 3)), 100));

        assertEquals(Failure.UNAUTHORIZED, e.kind(), e::getMessage);
        assertTrue(e.getMessage().startsWith("data path: server 127.0.0.1:" + server.address().getPort() + " failed "
            + "transfer " + id + ": PUT of transfer " + id + " from 127.0.0.1:"), e::getMessage);
        assertTrue(e.getMessage().contains("not signed with this cluster's key"), e::getMessage);
    }

    @Test
    void serverWithoutAKeyYet_refusesEveryUpload() throws IOException {
        try (DataPathServer keyless = new DataPathServer(config(tmp.resolve("keyless"), "keyless")
            .transferKey(() -> null).build())) {
            keyless.start();
            UUID id = UUID.randomUUID();

            RawFrame answer = upload(keyless, open(Op.PUT, id, 100));

            assertEquals(Failure.UNAUTHORIZED, answer.errorKind(), answer::toString);
            assertTrue(answer.message().contains("is refused: this server has no transfer key yet"), answer::toString);
            assertEquals(List.of(), allFiles(keyless.configuration().stagingDirectory()));
        }
    }

    @Test
    void downloadWithoutToken_isRefused_andServesNothing() throws IOException {
        UUID output = server.stageOutput(random(100, 4));
        long before = server.stats().failures(Failure.UNAUTHORIZED);

        RawFrame answer;
        try (Socket s = new Socket()) {
            s.connect(server.address(), 5000);
            s.setSoTimeout(10_000);
            s.getOutputStream().write(open(Op.GET, output, -1, null));
            answer = DataPathFixtures.readFrame(s.getInputStream());
        }

        assertEquals(Failure.UNAUTHORIZED, answer.errorKind(), answer::toString);
        assertTrue(answer.message().contains("GET of transfer " + output + " from 127.0.0.1:"), answer::toString);
        assertTrue(answer.message().contains("carries no transfer token"), answer::toString);
        Await.until("the server to count the refusal", () -> server.stats().failures(Failure.UNAUTHORIZED)
            == before + 1, server::stats);
        assertEquals(0, server.stats().transfersOut());
    }

    @Test
    void downloadWithAnUploadToken_isRefused() {
        UUID output = server.stageOutput(random(100, 5));

        DataPathException e = assertThrows(DataPathException.class, () -> client.download(server.address(), false,
            uploadToken(output), new java.io.ByteArrayOutputStream()));

        assertEquals(Failure.UNAUTHORIZED, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains("carries a token for a UPLOAD (expected: one for a DOWNLOAD)"),
            e::getMessage);
    }

    @Test
    void uploadPastTheStagingCapacity_isRefusedAtOpen_untilTheStagedInputIsConsumed() throws IOException {
        byte[] first = random(600 * KIB, 6);
        UUID firstId = UUID.randomUUID();
        client.upload(small.address(), false, uploadToken(firstId), new ByteArrayInputStream(first), first.length);
        UUID secondId = UUID.randomUUID();
        long before = small.stats().failures(Failure.BUSY);

        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(small.address(), false,
            uploadToken(secondId), new ByteArrayInputStream(first), first.length));

        assertEquals(Failure.BUSY, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains("OPEN of transfer " + secondId + " from 127.0.0.1:"), e::getMessage);
        assertTrue(e.getMessage().contains("declares 614400 bytes, but uploads already hold 614400 of the 1048576 "
            + "bytes the server may stage (stagingCapacityBytes) (expected: at most the 434176 bytes left; try again "
            + "later or another fabric)"), e::getMessage);
        Await.until("the server to count the refusal", () -> small.stats().failures(Failure.BUSY) == before + 1,
            small::stats);
        assertEquals(1, DataPathFixtures.stagedFiles(small.configuration().stagingDirectory()).size(),
            "only the first input is staged");

        try (StagedInput in = small.take(firstId).orElseThrow()) {
            assertEquals(614400, small.budget().stagingReservedBytes(), "a taken input holds its share until closed");
        }
        assertEquals(0, small.budget().stagingReservedBytes());
        client.upload(small.address(), false, uploadToken(secondId), new ByteArrayInputStream(first), first.length);
        try (StagedInput in = small.take(secondId).orElseThrow()) {
            assertArrayEquals(first, in.readAll(first.length));
        }
    }

    @Test
    void uploadOfUnknownLength_reservesWhatItsTokenAllows() {
        UUID id = UUID.randomUUID();

        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(small.address(), false,
            uploadToken(id, 2L * KIB * KIB), new ByteArrayInputStream(random(100, 7)), -1));

        assertEquals(Failure.BUSY, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains("may bring up to 2097152 bytes, but uploads already hold 0 of the 1048576"),
            e::getMessage);
    }

    @Test
    void uploadWithAValidToken_stillSucceeds() throws IOException {
        byte[] data = random(300 * KIB, 8);
        UUID id = UUID.randomUUID();

        TransferReceipt r = client.upload(server.address(), false, uploadToken(id, data.length),
            new ByteArrayInputStream(data), data.length);

        assertEquals(data.length, r.bytes());
        try (StagedInput in = server.take(id).orElseThrow()) {
            assertArrayEquals(data, in.readAll(data.length));
        }
    }
}
