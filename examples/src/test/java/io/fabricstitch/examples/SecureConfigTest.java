package io.fabricstitch.examples;

import io.fabricstitch.examples.api.FabricMapPrinter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.agent.datapath.TlsMaterial;
import io.fabricstitch.ignite.internal.FabricPlugin;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.apache.ignite.Ignite;
import org.apache.ignite.Ignition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * config/fabric-server-secure.xml and config/fabric-client-secure.xml as an operator uses them, with test certificates
 * from the development CA in FABRIC_TLS_DIR: a JDBC client without a certificate is refused, one with the reader's
 * certificate reads the map and cannot change it or kill the orchestrator, the thick client joins with the secret.
 */
class SecureConfigTest {
    static final String STORE_PASSWORD = "test-store";

    @TempDir
    static Path tls;

    @BeforeAll
    static void certificates() throws Exception {
        TlsMaterial node = TlsMaterial.development(tls, "node");
        node.writePem(tls.resolve("node.crt"), tls.resolve("node.key"), tls.resolve("ca.crt"));
        store(node.trustStore(), tls.resolve("trust.p12")); // the client trusts the nodes' CA
        Files.writeString(tls.resolve("cluster.secret"), "test-secret-" + System.nanoTime() + "-0123456789");
        Files.writeString(tls.resolve("dba.password"), "dba-test-password");
        // The clients' certificates come from a CA of their own.
        Path clientsCa = Files.createDirectories(tls.resolve("clients-ca"));
        TlsMaterial reader = TlsMaterial.development(clientsCa, "reader");
        store(reader.keyStore(STORE_PASSWORD.toCharArray()), tls.resolve("reader.p12"));
        reader.writePem(clientsCa.resolve("reader.crt"), clientsCa.resolve("reader.key"), tls.resolve("clients-ca.crt"));
        System.setProperty("FABRIC_TLS_DIR", tls.toString());
    }

    @AfterAll
    static void clear() {
        System.clearProperty("FABRIC_TLS_DIR");
    }

    static void store(KeyStore ks, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, STORE_PASSWORD.toCharArray());
        }
    }

    static String url(boolean certificate) {
        String url = FabricMapPrinter.DFLT_URL + "?sslMode=require&sslTrustCertificateKeyStoreUrl="
            + tls.resolve("trust.p12") + "&sslTrustCertificateKeyStorePassword=" + STORE_PASSWORD
            + "&sslTrustCertificateKeyStoreType=PKCS12";
        return !certificate ? url : url + "&sslClientCertificateKeyStoreUrl=" + tls.resolve("reader.p12")
            + "&sslClientCertificateKeyStorePassword=" + STORE_PASSWORD + "&sslClientCertificateKeyStoreType=PKCS12";
    }

    static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void secureServer_refusesClientsWithoutCertificate_andReadersChangeNothing_whileTheClientNodeJoins()
        throws Exception {
        try (Ignite server = Ignition.start("../config/fabric-server-secure.xml")) {
            assertThrows(SQLException.class, () -> count(FabricMapPrinter.DFLT_URL,
                "SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY"), "plain JDBC");
            assertThrows(SQLException.class, () -> count(url(false), "SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY"),
                "TLS without a client certificate");
            long rows = count(url(true), "SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY");
            assertEquals(FabricPlugin.of(server).localFabrics().size(), rows);
            for (String attack : new String[] {"DELETE FROM FABRIC.FABRIC_ENTRY",
                "KILL SERVICE 'fabric-orchestrator'", "ALTER TABLE FABRIC.FABRIC_ENTRY DROP COLUMN FEATURES"}) {
                SQLException e = assertThrows(SQLException.class, () -> {
                    try (Connection c = DriverManager.getConnection(url(true)); Statement st = c.createStatement()) {
                        st.execute(attack);
                    }
                }, attack);
                assertTrue(e.getMessage().contains("Fabric Stitch"), attack + ": " + e.getMessage());
            }
            assertEquals(rows, count(url(true), "SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY"));
            try (Ignite client = Ignition.start("../config/fabric-client-secure.xml")) {
                assertEquals(rows, FabricPlugin.of(client).fabricMap().size());
            }
        }
    }
}
