package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.Await;
import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static io.fabricstitch.agent.datapath.DataPathFixtures.issuedBy;
import static io.fabricstitch.agent.datapath.DataPathFixtures.random;
import static io.fabricstitch.agent.datapath.DataPathFixtures.stagedFiles;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.datapath.DataPathException.Failure;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * Connections TLS must refuse: a client or server certificate from another CA, and a peer speaking the other mode.
 * Each upload fails with a clear error on the client, the server counts it, and nothing is staged.
 */
@ExtendWith(NoLeakedBuffers.class)
class DataPathTlsRefusalTest {
    private static final byte[] DATA = random(200_000, 1);

    @TempDir
    static Path tmp;

    /** Nodes of the cluster: certificates from the cluster's CA, trusting it. */
    private static TlsMaterial clusterServer;

    private static TlsMaterial clusterClient;

    /** A node whose certificate comes from another CA, but which trusts the cluster's CA. */
    private static TlsMaterial intruder;

    private DataPathServer server;

    private DataPathClient client;

    @BeforeAll
    static void certificates() throws Exception {
        Path clusterCa = tmp.resolve("cluster-ca");
        clusterServer = TlsMaterial.development(clusterCa, "server");
        clusterClient = TlsMaterial.development(clusterCa, "client");
        DevelopmentCa otherCa = DevelopmentCa.loadOrCreate(tmp.resolve("other-ca"));
        intruder = issuedBy(otherCa, clusterCa.resolve(DevelopmentCa.CA_CERT), tmp.resolve("intruder"), "intruder");
    }

    @AfterEach
    void close() {
        if (client != null)
            client.close();
        if (server != null)
            server.close();
    }

    private DataPathServer start(TlsMaterial tls) {
        server = new DataPathServer(config(tmp.resolve("staging"), "server").tls(tls).build());
        server.start();
        return server;
    }

    private DataPathException uploadFails(TlsMaterial clientTls, boolean tls) {
        client = new DataPathClient(config(tmp.resolve("unused"), "client").tls(clientTls).build());
        UUID id = UUID.randomUUID();
        DataPathException e = assertThrows(DataPathException.class, () -> client.upload(server.address(), tls, DataPathFixtures.uploadToken(id),
            new ByteArrayInputStream(DATA), DATA.length));
        assertTrue(server.take(id).isEmpty(), "nothing staged");
        return e;
    }

    private void assertServerCounted(Failure kind) throws Exception {
        Await.until("the server to count a " + kind + " failure", () -> server.stats().failures(kind) == 1,
            server::stats);
        assertEquals(1, server.stats().failures(), server.stats()::toString);
        assertEquals(List.of(), stagedFiles(server.configuration().stagingDirectory()));
    }

    @Test
    void clientCertificateFromAnotherCa_isRefusedByTheServer() throws Exception {
        start(clusterServer);

        DataPathException e = uploadFails(intruder, true);

        assertEquals(Failure.UNTRUSTED_PEER, e.kind(), e::getMessage);
        assertTrue(e.getMessage().startsWith("data path: 127.0.0.1:" + server.address().getPort() + " refused the "
            + "TLS handshake: "), e::getMessage);
        assertTrue(e.getMessage().endsWith("(expected: this node's certificate signed by the cluster's CA)"),
            e::getMessage);
        assertServerCounted(Failure.UNTRUSTED_PEER);
    }

    @Test
    void serverCertificateFromAnotherCa_isRefusedByTheClient() throws Exception {
        start(intruder);

        DataPathException e = uploadFails(clusterClient, true);

        assertEquals(Failure.UNTRUSTED_PEER, e.kind(), e::getMessage);
        assertTrue(e.getMessage().startsWith("data path: certificate of 127.0.0.1:" + server.address().getPort()
            + " is not trusted: "), e::getMessage);
        assertTrue(e.getMessage().endsWith("(expected: a certificate signed by the cluster's CA)"), e::getMessage);
        assertServerCounted(Failure.UNTRUSTED_PEER);
    }

    @Test
    void plainClient_againstATlsServer_isRefused() throws Exception {
        start(clusterServer);

        DataPathException e = uploadFails(null, false);

        assertEquals(Failure.TRUNCATED, e.kind(), e::getMessage);
        assertTrue(e.getMessage().endsWith("a TLS server closes plain connections: is the server using TLS?)"),
            e::getMessage);
        assertServerCounted(Failure.UNTRUSTED_PEER);
    }

    @Test
    void tlsClient_againstAPlainServer_isRefused() throws Exception {
        start(null);

        DataPathException e = uploadFails(clusterClient, true);

        assertEquals(Failure.UNTRUSTED_PEER, e.kind(), e::getMessage);
        assertTrue(e.getMessage().contains("does not speak TLS"), e::getMessage);
        assertServerCounted(Failure.PROTOCOL);
    }
}
