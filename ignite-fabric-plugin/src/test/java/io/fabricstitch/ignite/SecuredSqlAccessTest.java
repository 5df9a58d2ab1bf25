package io.fabricstitch.ignite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabricstitch.ignite.plugin.FabricPluginProvider;
import io.fabricstitch.ignite.internal.FabricPlugin;
import io.fabricstitch.agent.DeclaredFabric;
import io.fabricstitch.agent.FabricAgentConfiguration;
import io.fabricstitch.agent.datapath.TlsMaterial;
import io.fabricstitch.ignite.compute.FabricCompute;
import io.fabricstitch.ignite.compute.TaskRequest;
import io.fabricstitch.ignite.test.FabricTestCluster;
import io.fabricstitch.ignite.test.Timing;
import io.fabricstitch.model.FabricType;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.apache.ignite.Ignite;
import org.apache.ignite.IgniteException;
import org.apache.ignite.Ignition;
import org.apache.ignite.configuration.IgniteConfiguration;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The gate on SQL access: a cluster with security on and its JDBC/thin connector requiring TLS with client
 * certificates. A client without a certificate is refused; a reader's certificate reads everything and changes
 * nothing (DML, DDL, KILL SERVICE); an admin may change things; a node without the cluster secret cannot join; tasks
 * keep running. The certificates are test fixtures made by the development CA in a temporary folder.
 */
class SecuredSqlAccessTest {
    @RegisterExtension
    static final FabricTestCluster CLUSTER = new FabricTestCluster();

    static final char[] STORE_PASSWORD = "test-store".toCharArray();
    static Path certs;
    static Ignite n0;

    static FabricSecurityConfiguration security() {
        return new FabricSecurityConfiguration().setUsers(List.of(
            new FabricUser().setLogin("reader").setCertificateCn("reader"),
            new FabricUser().setLogin("dba").setPassword("dba-password-for-tests").setRole("ADMIN")));
    }

    static IgniteConfiguration node(String name, FabricSecurityConfiguration security) {
        FabricPluginConfiguration plugin = new FabricPluginConfiguration().setSecurity(security)
            .setAgent(new FabricAgentConfiguration()
                .setDeclaredFabrics(List.of(new DeclaredFabric().setName(name + "-asic").setType(FabricType.ASIC)
                .setModel("Test ASIC (declared)").setResourceUnit("lanes").setResourceCount(4)
                .setFunctions(List.of("sha256")))).setDeviceAllowList(List.of("declared:" + name + "-*")));
        IgniteConfiguration cfg = CLUSTER.configuration(name, plugin);
        cfg.getClientConnectorConfiguration().setSslEnabled(true).setSslClientAuth(true)
            .setUseIgniteSslContextFactory(false).setSslContextFactory(new PemSslContextFactory()
                .setCertificateChain(certs.resolve("server.crt").toString())
                .setPrivateKey(certs.resolve("server.key").toString())
                .setTrustedCertificates(certs.resolve("ca.crt").toString()));
        return cfg;
    }

    @BeforeAll
    static void startCluster() throws Exception {
        certs = CLUSTER.workDirectory().resolve("certs");
        Files.createDirectories(certs);
        TlsMaterial.development(certs, "server").writePem(certs.resolve("server.crt"), certs.resolve("server.key"),
            certs.resolve("ca.crt"));
        for (String client : List.of("reader", "stranger")) {
            TlsMaterial m = TlsMaterial.development(certs, client);
            store(m.keyStore(STORE_PASSWORD), certs.resolve(client + ".p12"));
            store(m.trustStore(), certs.resolve("trust.p12"));
        }
        n0 = CLUSTER.start(node("s0", security()));
        CLUSTER.start(node("s1", security()));
        Timing.await("both ASICs in the map", () -> FabricPlugin.of(n0).fabricMap().stream()
            .filter(e -> e.getFabricType() == FabricType.ASIC).count() == 2);
    }

    static void store(KeyStore ks, Path file) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            ks.store(out, STORE_PASSWORD);
        }
    }

    /** A JDBC URL over TLS, with the client certificate of {@code client} (null: none) and {@code extra} settings. */
    static String url(String client, String extra) {
        String trust = "&sslTrustCertificateKeyStoreUrl=" + certs.resolve("trust.p12")
            + "&sslTrustCertificateKeyStorePassword=" + new String(STORE_PASSWORD)
            + "&sslTrustCertificateKeyStoreType=PKCS12";
        String key = client == null ? "" : "&sslClientCertificateKeyStoreUrl=" + certs.resolve(client + ".p12")
            + "&sslClientCertificateKeyStorePassword=" + new String(STORE_PASSWORD)
            + "&sslClientCertificateKeyStoreType=PKCS12";
        return FabricTestCluster.jdbcUrl() + "?sslMode=require" + trust + key + extra;
    }

    static void execute(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement()) {
            st.execute(sql);
        }
    }

    static long count(String url, String sql) throws SQLException {
        try (Connection c = DriverManager.getConnection(url); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }

    @Test
    void clientWithoutCertificate_isRefused() {
        assertThrows(SQLException.class, () -> count(url(null, ""), "SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY"));
        assertThrows(SQLException.class, () -> count(FabricTestCluster.jdbcUrl(),
            "SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY"), "plain TCP is refused too");
    }

    @Test
    void certificateNoUserKnows_isRefused() {
        assertThrows(SQLException.class, () -> count(url("stranger", ""), "SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY"));
    }

    @Test
    void reader_readsTheMap_butChangesNothing() throws Exception {
        String reader = url("reader", "");
        assertEquals(32, FabricCompute.of(n0).execute(TaskRequest.builder("sha256").require(FabricType.ASIC, 1)
            .input(new byte[] {1}).build()).output().length, "a task, so that TASK_ASSIGNMENT has a row");
        assertTrue(FabricCompute.of(n0).awaitReleases(Timing.CONDITION), "its release, and so its row, written");
        long rows = count(reader, "SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY");
        assertTrue(rows >= 4, "the reader reads the map: " + rows);
        for (String attack : List.of(
            "DELETE FROM FABRIC.FABRIC_ENTRY",
            "UPDATE FABRIC.FABRIC_ENTRY SET STATUS = 'OFFLINE'",
            "DELETE FROM FABRIC.TASK_ASSIGNMENT",
            "INSERT INTO FABRIC.FABRIC_FUNCTION (_KEY, FABRIC_ID, FUNCTION_NAME) VALUES ('x/y', RANDOM_UUID(), 'y')",
            "ALTER TABLE FABRIC.FABRIC_ENTRY DROP COLUMN FEATURES",
            "CREATE TABLE FABRIC.INTRUDER (ID INT PRIMARY KEY, V VARCHAR)",
            "CREATE INDEX INTRUDER_IDX ON FABRIC.FABRIC_ENTRY (MODEL)",
            "KILL SERVICE 'fabric-orchestrator'")) {
            SQLException e = assertThrows(SQLException.class, () -> execute(reader, attack), attack);
            assertTrue(e.getMessage().contains("Fabric Stitch") || e.getMessage().contains("Authorization"),
                attack + ": " + e.getMessage());
        }
        assertEquals(rows, count(reader, "SELECT COUNT(*) FROM FABRIC.FABRIC_ENTRY"));
        assertEquals(rows, count(reader, "SELECT COUNT(FEATURES IS NULL) FROM FABRIC.FABRIC_ENTRY"),
            "column FEATURES is still there");
        assertTrue(count(reader, "SELECT COUNT(*) FROM FABRIC.TASK_ASSIGNMENT") > 0);
        assertTrue(n0.services().serviceDescriptors().stream().anyMatch(d -> "fabric-orchestrator".equals(d.name())));
        assertEquals(32, FabricCompute.of(n0).execute(TaskRequest.builder("sha256").require(FabricType.ASIC, 1)
            .input(new byte[] {1}).build()).output().length, "tasks keep running");
    }

    @Test
    void admin_mayChangeWhatIgniteAllows() throws Exception {
        String dba = url("reader", "&user=dba&password=dba-password-for-tests");
        execute(dba, "CREATE TABLE PUBLIC.ADMIN_NOTE (ID INT PRIMARY KEY, V VARCHAR)");
        execute(dba, "INSERT INTO PUBLIC.ADMIN_NOTE (ID, V) VALUES (1, 'ok')");
        assertEquals(1, count(dba, "SELECT COUNT(*) FROM PUBLIC.ADMIN_NOTE"));
        execute(dba, "DROP TABLE PUBLIC.ADMIN_NOTE");
        assertThrows(SQLException.class, () -> execute(url("reader", "&user=dba&password=wrong"), "SELECT 1"));
    }

    @Test
    void nodeWithoutTheClusterSecret_cannotJoin() {
        IgniteConfiguration intruder = node("intruder", security());
        FabricPluginConfiguration plugin = (FabricPluginConfiguration)null;
        for (org.apache.ignite.plugin.PluginProvider<?> p : intruder.getPluginProviders())
            plugin = ((FabricPluginProvider)p).getConfiguration();
        plugin.getNetwork().setBeaconSecret("not-the-cluster-secret-0123456789");
        assertThrows(IgniteException.class, () -> Ignition.start(intruder));
        assertEquals(2, n0.cluster().forServers().nodes().size());
    }
}
