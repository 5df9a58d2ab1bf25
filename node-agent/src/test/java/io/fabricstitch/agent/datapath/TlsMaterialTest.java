package io.fabricstitch.agent.datapath;

import io.fabricstitch.agent.testing.NoLeakedBuffers;
import static io.fabricstitch.agent.datapath.DataPathFixtures.config;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Development certificates and PEM loading; certificates are made in the test, never committed. */
@ExtendWith(NoLeakedBuffers.class)
class TlsMaterialTest {
    @TempDir
    Path tmp;

    @Test
    void development_twoNodesSharingADirectory_getOneCa_andTalkTls() throws Exception {
        Path dir = tmp.resolve("dev");
        TlsMaterial n1 = TlsMaterial.development(dir, "worker_1");
        TlsMaterial n2 = TlsMaterial.development(dir, "n2.example");

        X509Certificate ca = n1.trustedCertificates().get(0);
        assertEquals(List.of(ca), n2.trustedCertificates());
        assertEquals("CN=worker_1,O=Fabric Stitch",
            n1.certificateChain().get(0).getSubjectX500Principal().getName());
        assertEquals(List.of(List.of(6, "urn:fabric-stitch:node:worker_1")).toString(),
            n1.certificateChain().get(0).getSubjectAlternativeNames().toString(), "no DNS name: a URI SAN");
        assertEquals(List.of(List.of(2, "n2.example")).toString(),
            n2.certificateChain().get(0).getSubjectAlternativeNames().toString());
        n2.certificateChain().get(0).verify(ca.getPublicKey());
        assertFalse(n1.toString().contains("PRIVATE"), n1::toString);

        try (DataPathServer server = new DataPathServer(config(tmp.resolve("staging"), "n1").tls(n1).build());
             DataPathClient client = new DataPathClient(config(tmp.resolve("unused"), "n2").tls(n2).build())) {
            server.start();
            UUID id = UUID.randomUUID();
            byte[] data = DataPathFixtures.random(100_000, 1);
            client.upload(server.address(), true, DataPathFixtures.uploadToken(id), new ByteArrayInputStream(data), data.length);
            try (StagedInput in = server.take(id).orElseThrow()) {
                assertArrayEquals(data, in.readAll(data.length));
            }
        }
    }

    @Test
    void development_createsTheCaOnce_evenForConcurrentNodes_withAnOwnerOnlyKey() throws Exception {
        Path dir = tmp.resolve("dev");
        int nodes = 4;
        CountDownLatch go = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(nodes);
        List<Future<TlsMaterial>> made = new ArrayList<>();
        try {
            for (int i = 0; i < nodes; i++) {
                String name = "n" + i;
                made.add(pool.submit(() -> {
                    go.await();
                    return TlsMaterial.development(dir, name);
                }));
            }
            go.countDown();
            List<X509Certificate> cas = new ArrayList<>();
            for (Future<TlsMaterial> f : made)
                cas.add(f.get().trustedCertificates().get(0));
            X509Certificate onDisk = PemFiles.certificates(dir.resolve(DevelopmentCa.CA_CERT), "ca").get(0);
            for (X509Certificate ca : cas)
                assertEquals(onDisk, ca, "every node has the CA on disk");
        }
        finally {
            pool.shutdownNow();
        }
        if (Files.getFileStore(dir).supportsFileAttributeView("posix"))
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(
                dir.resolve(DevelopmentCa.CA_KEY))));
        X509Certificate again = TlsMaterial.development(dir, "later").trustedCertificates().get(0);
        assertEquals(PemFiles.certificates(dir.resolve(DevelopmentCa.CA_CERT), "ca").get(0), again);
    }

    @Test
    void ofPem_loadsAChainKeyAndTrustedCertificates() throws Exception {
        DevelopmentCa ca = DevelopmentCa.loadOrCreate(tmp.resolve("ca"));
        TlsMaterial m = DataPathFixtures.issuedBy(ca, tmp.resolve("ca").resolve(DevelopmentCa.CA_CERT),
            tmp.resolve("node"), "node-1");

        assertEquals(2, m.certificateChain().size());
        assertEquals(List.of(ca.certificate()), m.trustedCertificates());
        m.serverContext();
        m.clientContext();
    }

    @Test
    void ofPem_missingFile_isNamedInTheMessage() throws Exception {
        Path ca = tmp.resolve("ca");
        DevelopmentCa.loadOrCreate(ca);
        Path missing = tmp.resolve("no-such.crt");

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsMaterial.ofPem(missing,
            ca.resolve(DevelopmentCa.CA_KEY), ca.resolve(DevelopmentCa.CA_CERT)));

        assertTrue(e.getMessage().startsWith("certificateChain: " + missing + " cannot be read: "), e::getMessage);
        assertTrue(e.getMessage().endsWith("(expected: a PEM file of X.509 certificates, '-----BEGIN "
            + "CERTIFICATE-----')"), e::getMessage);
    }

    @Test
    void ofPem_keyWhereCertificatesBelong_andCertificateWhereTheKeyBelongs_areNamed() throws Exception {
        Path ca = tmp.resolve("ca");
        DevelopmentCa.loadOrCreate(ca);
        Path crt = ca.resolve(DevelopmentCa.CA_CERT);
        Path key = ca.resolve(DevelopmentCa.CA_KEY);

        IllegalArgumentException chain = assertThrows(IllegalArgumentException.class, () -> TlsMaterial.ofPem(key,
            key, crt));
        IllegalArgumentException noKey = assertThrows(IllegalArgumentException.class, () -> TlsMaterial.ofPem(crt,
            crt, crt));
        IllegalArgumentException trusted = assertThrows(IllegalArgumentException.class, () -> TlsMaterial.ofPem(crt,
            key, tmp.resolve("empty.pem")));

        assertTrue(chain.getMessage().startsWith("certificateChain: " + key + " holds a private key (expected: a PEM "
            + "file of X.509 certificates"), chain::getMessage);
        assertTrue(noKey.getMessage().startsWith("privateKey: " + crt + " holds a certificate (expected: an "
            + "unencrypted PKCS#8 key, '-----BEGIN PRIVATE KEY-----'"), noKey::getMessage);
        assertTrue(trusted.getMessage().startsWith("trustedCertificates: " + tmp.resolve("empty.pem")
            + " cannot be read: "), trusted::getMessage);
    }

    @Test
    void ofPem_traditionalKey_isRefusedWithTheConversionCommand() throws Exception {
        Path ca = tmp.resolve("ca");
        DevelopmentCa dev = DevelopmentCa.loadOrCreate(ca);
        KeyPair kp = DevelopmentCa.ecKeyPair();
        Path key = tmp.resolve("traditional.key");
        try (Writer w = Files.newBufferedWriter(key, StandardCharsets.US_ASCII); JcaPEMWriter pem =
            new JcaPEMWriter(w)) {
            pem.writeObject(kp.getPrivate());
        }
        Path crt = tmp.resolve("node.crt");
        PemFiles.writeCertificates(crt, List.of(dev.issue("node", kp.getPublic())));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsMaterial.ofPem(crt, key,
            ca.resolve(DevelopmentCa.CA_CERT)));

        assertTrue(e.getMessage().startsWith("privateKey: " + key + " holds a traditional key ('BEGIN EC PRIVATE "
            + "KEY' or 'BEGIN RSA PRIVATE KEY') (expected: an unencrypted PKCS#8 key"), e::getMessage);
        assertTrue(e.getMessage().contains("openssl pkcs8 -topk8 -nocrypt"), e::getMessage);
        assertFalse(e.getMessage().contains(Files.readString(key).split("\n")[1]), "no key material in messages");
    }

    @Test
    void ofPem_keyOfAnotherCertificate_isRefused() throws Exception {
        Path ca = tmp.resolve("ca");
        DevelopmentCa dev = DevelopmentCa.loadOrCreate(ca);
        Path crt = tmp.resolve("node.crt");
        PemFiles.writeCertificates(crt, List.of(dev.issue("node", DevelopmentCa.ecKeyPair().getPublic())));

        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TlsMaterial.ofPem(crt,
            ca.resolve(DevelopmentCa.CA_KEY), ca.resolve(DevelopmentCa.CA_CERT)));

        assertTrue(e.getMessage().startsWith("privateKey: " + ca.resolve(DevelopmentCa.CA_KEY) + " does not belong "
            + "to the first certificate of " + crt), e::getMessage);
    }
}
