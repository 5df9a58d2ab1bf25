package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.agent.testing.LogCapture;
import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static io.fabricstitch.agent.datapath.DataPathFixtures.open;
import static io.fabricstitch.agent.datapath.DataPathFixtures.random;
import static io.fabricstitch.agent.datapath.DataPathFixtures.uploadToken;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import io.fabricstitch.agent.datapath.DataPathFixtures.RawFrame;
import io.fabricstitch.agent.datapath.OpenRequest.Op;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile connections against a real DIRECT server: more connections than the caps allow are closed at once, a peer
 * trickling one byte a second is dropped by the OPEN deadline or the least rate (the idle readTimeout alone would
 * never drop it), and a flood of garbage connections writes a few WARNING lines, not one each; a transfer with a
 * valid token still goes through afterwards.
 */
@ExtendWith(NoLeakedBuffers.class)
class DataPathHostileConnectionsTest {
    @TempDir
    Path tmp;

    private final List<DataPathServer> servers = new ArrayList<>();

    private final List<Socket> sockets = new ArrayList<>();

    private final ScheduledExecutorService trickler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() throws IOException {
        trickler.shutdownNow();
        for (Socket s : sockets)
            s.close();
        servers.forEach(DataPathServer::close);
    }

    private DataPathServer start(DataPathConfiguration.Builder cfg) {
        DataPathServer s = new DataPathServer(cfg.build());
        servers.add(s);
        s.start();
        return s;
    }

    /** A connection to {@code to} from the loopback address {@code from}. */
    private Socket connect(DataPathServer to, String from) throws IOException {
        Socket s = new Socket();
        sockets.add(s);
        s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
        s.connect(to.address(), 5000);
        s.setSoTimeout(30_000);
        return s;
    }

    /** Returns once the server closed {@code s}: end of stream, or a reset. */
    private static void assertClosedByServer(Socket s) throws IOException {
        try {
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // What the server said before closing.
            }
        }
        catch (SocketException reset) {
            // Closed with unread bytes: a reset, closed all the same.
        }
    }

    private static DataPathConfiguration.Builder patient(Path staging, String name) {
        return config(staging, name).readTimeout(Duration.ofSeconds(30)).openTimeout(Duration.ofSeconds(30));
    }

    @Test
    void connectionsPastThePerPeerCap_areClosedAtOnce() throws IOException {
        DataPathServer server = start(patient(tmp.resolve("staging"), "per-peer").maxConnections(6)
            .maxConnectionsPerPeer(4));
        List<Socket> held = new ArrayList<>();
        for (int i = 0; i < 4; i++)
            held.add(connect(server, "127.0.0.1"));
        Await.until("4 connections admitted", () -> server.budget().connections() == 4, server::budget);

        Socket fifth = connect(server, "127.0.0.1");

        assertClosedByServer(fifth);
        Await.until("the refusal counted", () -> server.stats().failures(Failure.BUSY) == 1, server::stats);
        assertEquals(4, server.budget().connections());
        held.get(0).close();
        Await.until("a slot to free up", () -> server.budget().connections() == 3, server::budget);
        connect(server, "127.0.0.1");
        Await.until("the next connection admitted", () -> server.budget().connections() == 4, server::budget);
        assertEquals(1, server.stats().failures(Failure.BUSY));
    }

    @Test
    void connectionsPastTheTotalCap_areClosedAtOnce_whateverTheirAddress() throws IOException {
        DataPathServer server = start(patient(tmp.resolve("staging"), "total").maxConnections(6)
            .maxConnectionsPerPeer(4));
        for (int i = 0; i < 4; i++)
            connect(server, "127.0.0.1");
        for (int i = 0; i < 2; i++)
            connect(server, "127.0.0.2");
        Await.until("6 connections admitted", () -> server.budget().connections() == 6, server::budget);

        Socket seventh = connect(server, "127.0.0.3");

        assertClosedByServer(seventh);
        Await.until("the refusal counted", () -> server.stats().failures(Failure.BUSY) == 1, server::stats);
        assertEquals(6, server.budget().connections());
    }

    /** Writes {@code bytes} to {@code s} one a second until the server closes it. */
    private void trickle(Socket s, byte[] bytes) {
        OutputStream out;
        try {
            out = s.getOutputStream();
        }
        catch (IOException e) {
            throw new AssertionError(e);
        }
        int[] next = {0};
        trickler.scheduleAtFixedRate(() -> {
            try {
                out.write(bytes[next[0]++ % bytes.length]);
                out.flush();
            }
            catch (IOException closed) {
                throw new IllegalStateException("closed by the server", closed); // ends the schedule
            }
        }, 0, 1, TimeUnit.SECONDS);
    }

    /** A server whose idle timeout alone would let a one-byte-a-second peer live forever. */
    private DataPathServer slowGuarded() {
        return start(config(tmp.resolve("staging"), "slow").readTimeout(Duration.ofSeconds(3))
            .openTimeout(Duration.ofMillis(1500)).minRateWindow(Duration.ofSeconds(2)));
    }

    @Test
    void slowloris_tricklingItsOpenOneByteASecond_isDroppedByTheOpenDeadline() throws IOException {
        DataPathServer server = slowGuarded();
        Socket s = connect(server, "127.0.0.1");

        trickle(s, open(Op.PUT, UUID.randomUUID(), 100));
        RawFrame answer = DataPathFixtures.readFrame(s.getInputStream());

        assertEquals(Failure.TIMEOUT, answer.errorKind(), answer::toString);
        assertTrue(answer.message().contains(": no OPEN within openTimeout = 1500 ms of connecting, "), answer::toString);
        assertClosedByServer(s);
        // The server counts the connection out when its channel closes, a moment after the client saw it close.
        Await.until("the drop counted and the connection given back", () -> server.stats().failures(Failure.TIMEOUT)
            == 1 && server.budget().connections() == 0, server::stats);
    }

    @Test
    void slowloris_tricklingItsUploadOneByteASecond_isDroppedByTheLeastRate() throws IOException {
        DataPathServer server = slowGuarded();
        UUID id = UUID.randomUUID();
        Socket s = connect(server, "127.0.0.1");
        s.getOutputStream().write(open(Op.PUT, id, 100_000));

        trickle(s, DataPathFixtures.data(random(100_000, 1)));
        RawFrame answer = DataPathFixtures.readFrame(s.getInputStream());

        assertEquals(Failure.TIMEOUT, answer.errorKind(), answer::toString);
        assertTrue(answer.message().contains("transfer " + id + " with 127.0.0.1:"), answer::toString);
        assertTrue(answer.message().contains(" bytes/s (expected: at least minReceiveRate = 64 KiB/s averaged over 2 s; "
            + "the transfer is discarded)"), answer::toString);
        assertClosedByServer(s);
        Await.until("the drop counted, the upload discarded", () -> server.stats().failures(Failure.TIMEOUT) == 1
            && server.budget().stagingReservedBytes() == 0, server::stats);
        assertEquals(List.of(), DataPathFixtures.stagedFiles(server.configuration().stagingDirectory()));
    }

    @Test
    void thousandGarbageConnections_writeAFewWarnings_andALegitimateUploadStillSucceeds() throws IOException {
        DataPathServer server = start(config(tmp.resolve("staging"), "flood").readTimeout(Duration.ofSeconds(1)));
        byte[] garbage = "GET / HTTP/1.1\r\nHost: agent\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        List<String> warnings;
        try (LogCapture log = LogCapture.warnings("io.fabricstitch.agent.datapath")) {
            warnings = log.messages();
            for (int i = 0; i < 1000; i++) {
                try (Socket s = new Socket()) {
                    s.connect(server.address(), 5000);
                    s.getOutputStream().write(garbage);
                }
            }
            Await.until("every garbage connection refused and counted", () -> server.stats().failures(Failure.PROTOCOL)
                + server.stats().failures(Failure.BUSY) == 1000, server::stats);
        }

        assertTrue(warnings.size() <= 4, () -> warnings.size() + " WARNING lines: " + warnings);
        assertTrue(warnings.stream().anyMatch(w -> w.startsWith("data path flood: frame 1 from 127.0.0.1:")
            && w.contains("has type 71 (expected: 1 OPEN, 2 DATA, 3 END, 4 ACK or 5 ERROR)")), warnings::toString);
        Await.until("the refused connections closed", () -> server.budget().connections() == 0, server::budget);
        byte[] data = random(200_000, 2);
        UUID id = UUID.randomUUID();
        DataPathClient client = new DataPathClient(config(tmp.resolve("unused"), "client").build());
        try {
            client.upload(server.address(), false, uploadToken(id), new ByteArrayInputStream(data), data.length);
        }
        finally {
            client.close();
        }
        try (StagedInput in = server.take(id).orElseThrow()) {
            assertArrayEquals(data, in.readAll(data.length));
        }
    }
}
