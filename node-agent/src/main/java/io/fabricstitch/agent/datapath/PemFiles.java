package io.fabricstitch.agent.datapath;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x9.X9ObjectIdentifiers;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads and writes the PEM files of {@link TlsMaterial}: certificates ({@code BEGIN CERTIFICATE}) and unencrypted
 * PKCS#8 private keys ({@code BEGIN PRIVATE KEY}). Every failure names the file and says what is wrong. Never logs or
 * prints key material. Uses BouncyCastle's parser with the JDK's providers.
 */
final class PemFiles {
    /** JDK key algorithms by the key's algorithm OID. */
    private static final Map<String, String> KEY_ALGORITHMS = Map.of(
        X9ObjectIdentifiers.id_ecPublicKey.getId(), "EC",
        PKCSObjectIdentifiers.rsaEncryption.getId(), "RSA",
        EdECObjectIdentifiers.id_Ed25519.getId(), "Ed25519");

    private PemFiles() {
    }

    /**
     * The certificates of a PEM file, in order.
     *
     * @param what how messages name the file, e.g. {@code certificateChain}
     * @throws IllegalArgumentException naming the file when it cannot be read, holds something else or nothing
     */
    static List<X509Certificate> certificates(Path file, String what) {
        String expected = " (expected: a PEM file of X.509 certificates, '-----BEGIN CERTIFICATE-----')";
        List<X509Certificate> certs = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
            for (Object o; (o = pem.readObject()) != null;) {
                if (!(o instanceof X509CertificateHolder))
                    throw new IllegalArgumentException(what + ": " + file + " holds " + describe(o) + expected);
                certs.add(converter.getCertificate((X509CertificateHolder)o));
            }
        }
        catch (IOException | CertificateException e) {
            throw new IllegalArgumentException(what + ": " + file + " cannot be read: " + e + expected, e);
        }
        if (certs.isEmpty())
            throw new IllegalArgumentException(what + ": " + file + " holds no certificate" + expected);
        return certs;
    }

    /**
     * The private key of a PEM file.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read, or holds no unencrypted PKCS#8 key
     */
    static PrivateKey privateKey(Path file, String what) {
        String expected = " (expected: an unencrypted PKCS#8 key, '-----BEGIN PRIVATE KEY-----'; convert with: openssl "
            + "pkcs8 -topk8 -nocrypt -in OLD.key -out NEW.key)";
        Object o;
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII); PEMParser pem = new PEMParser(r)) {
            o = pem.readObject();
        }
        catch (IOException e) {
            throw new IllegalArgumentException(what + ": " + file + " cannot be read: " + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + expected, e);
        }
        if (!(o instanceof PrivateKeyInfo))
            throw new IllegalArgumentException(what + ": " + file + " holds " + describe(o) + expected);
        PrivateKeyInfo info = (PrivateKeyInfo)o;
        String oid = info.getPrivateKeyAlgorithm().getAlgorithm().getId();
        String alg = KEY_ALGORITHMS.get(oid);
        if (alg == null)
            throw new IllegalArgumentException(what + ": " + file + " holds a key of algorithm " + oid
                + " (expected: an EC, RSA or Ed25519 key)");
        try {
            return KeyFactory.getInstance(alg).generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        }
        catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException(what + ": " + file + " holds an invalid " + alg + " key: "
                + e.getClass().getSimpleName() + expected, e);
        }
    }

    private static String describe(Object o) {
        if (o == null)
            return "no PEM object";
        if (o instanceof PEMKeyPair)
            return "a traditional key ('BEGIN EC PRIVATE KEY' or 'BEGIN RSA PRIVATE KEY')";
        if (o instanceof PKCS8EncryptedPrivateKeyInfo)
            return "an encrypted key ('BEGIN ENCRYPTED PRIVATE KEY')";
        if (o instanceof X509CertificateHolder)
            return "a certificate";
        if (o instanceof PrivateKeyInfo)
            return "a private key";
        return "a " + o.getClass().getSimpleName();
    }

    /**
     * Writes certificates to {@code file} atomically (a temporary file in the same directory, then a rename),
     * readable by all.
     */
    static void writeCertificates(Path file, List<X509Certificate> certs) throws IOException {
        write(file, false, w -> {
            for (X509Certificate c : certs)
                w.writeObject(c);
        });
    }

    /** Writes a key as PKCS#8 to {@code file} atomically, readable by its owner only where the file system allows. */
    static void writeKey(Path file, PrivateKey key) throws IOException {
        write(file, true, w -> w.writeObject(new JcaPKCS8Generator(key, null)));
    }

    private interface PemContent {
        void writeTo(JcaPEMWriter w) throws IOException;
    }

    private static void write(Path file, boolean secret, PemContent content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        // On POSIX file systems a temporary file is created readable by its owner only.
        Path tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (Writer fw = Files.newBufferedWriter(tmp, StandardCharsets.US_ASCII);
                 JcaPEMWriter w = new JcaPEMWriter(fw)) {
                content.writeTo(w);
            }
            if (!secret && Files.getFileStore(tmp).supportsFileAttributeView("posix")) {
                Set<PosixFilePermission> perms = PosixFilePermissions.fromString("rw-r--r--");
                Files.setPosixFilePermissions(tmp, perms);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        finally {
            Files.deleteIfExists(tmp);
        }
    }
}
