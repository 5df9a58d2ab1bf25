package io.fabricstitch.agent.datapath;

import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static io.fabricstitch.agent.datapath.DataPathFixtures.random;
import static io.fabricstitch.agent.datapath.DataPathFixtures.sha256;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabricstitch.agent.testing.NoLeakedBuffers;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The socket layer under the data path: native epoll where it loads, NIO when {@code nativeTransport} is off, and the
 * two speak the same bytes, so a server and a client that chose differently still move a transfer intact.
 */
@ExtendWith(NoLeakedBuffers.class)
class DataPathTransportTest {
    @TempDir
    Path tmp;

    @Test
    void nativeTransportOff_fallsBackToNio() {
        DataPathConfiguration cfg = config(tmp.resolve("staging"), "nio").nativeTransport(false).build();
        try (DataPathServer server = new DataPathServer(cfg); DataPathClient client = new DataPathClient(cfg)) {
            server.start();
            assertEquals("NIO", server.transport());
            assertEquals("NIO", client.transport());
        }
        assertEquals(Transport.NIO, Transport.choose(false));
    }

    @Test
    void nativeTransportOn_usesEpoll_whereItLoads() {
        assumeTrue(Transport.epollAvailable(), "native epoll does not load here");
        DataPathConfiguration cfg = config(tmp.resolve("staging"), "epoll").build();
        try (DataPathServer server = new DataPathServer(cfg); DataPathClient client = new DataPathClient(cfg)) {
            server.start();
            assertEquals("EPOLL", server.transport());
            assertEquals("EPOLL", client.transport());
        }
        assertEquals("", Transport.fallbackReason(true));
    }

    @ParameterizedTest(name = "server native {0}, client native {1}")
    @CsvSource({"true, false", "false, true", "false, false", "true, true"})
    void uploadAndDownload_areByteExact_whicheverTransportEachEndUses(boolean serverNative, boolean clientNative)
        throws IOException {
        DataPathConfiguration serverCfg = config(tmp.resolve("staging"), "server").chunkBytes(256 << 10)
            .nativeTransport(serverNative).build();
        DataPathConfiguration clientCfg = config(tmp.resolve("unused"), "client").chunkBytes(256 << 10)
            .nativeTransport(clientNative).build();
        byte[] data = random((3 << 20) + 12345, 7);
        try (DataPathServer server = new DataPathServer(serverCfg); DataPathClient client = new DataPathClient(clientCfg)) {
            server.start();
            UUID in = UUID.randomUUID();
            client.upload(server.address(), false, DataPathFixtures.uploadToken(in), new ByteArrayInputStream(data),
                data.length);
            try (StagedInput staged = server.take(in).orElseThrow()) {
                assertEquals(sha256(data), sha256(staged));
            }
            UUID out = server.stageOutput(data);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            client.download(server.address(), false, DataPathFixtures.downloadToken(out), got);
            assertEquals(sha256(data), sha256(got.toByteArray()));
        }
    }
}
