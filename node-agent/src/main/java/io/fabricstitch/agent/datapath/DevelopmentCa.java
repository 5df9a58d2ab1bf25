package io.fabricstitch.agent.datapath;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * DEVELOPMENT MODE ONLY: a self-signed CA kept in a directory ({@value #CA_CERT}, {@value #CA_KEY}) that issues node
 * certificates. Created the first time, atomically (temporary files, then renames) and under a lock (a file lock for
 * other processes, a monitor for this one), so that several nodes on one host starting at once share one CA.
 * EC P-256 keys, SHA256withECDSA; the CA lives 10 years, a node certificate 1 year.
 */
final class DevelopmentCa {
    static final String CA_CERT = "dev-ca.crt";
    static final String CA_KEY = "dev-ca.key";
    static final String LOCK = "dev-ca.lock";

    private static final Duration CA_VALIDITY = Duration.ofDays(3650);
    private static final Duration NODE_VALIDITY = Duration.ofDays(365);
    private static final Duration BACKDATE = Duration.ofHours(1);
    private static final Pattern DNS_NAME = Pattern.compile("[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?"
        + "(\\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*");
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final Object JVM_LOCK = new Object();

    private final Path dir;
    private final X509Certificate cert;
    private final PrivateKey key;
    private final boolean created;

    private DevelopmentCa(Path dir, X509Certificate cert, PrivateKey key, boolean created) {
        this.dir = dir;
        this.cert = cert;
        this.key = key;
        this.created = created;
    }

    /** Loads the CA of {@code dir}, creating it (and the directory) the first time. */
    static DevelopmentCa loadOrCreate(Path dir) throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        synchronized (JVM_LOCK) {
            try (FileChannel lockFile = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = lockFile.lock()) {
                Path crt = dir.resolve(CA_CERT);
                Path key = dir.resolve(CA_KEY);
                if (Files.exists(crt) && Files.exists(key))
                    return new DevelopmentCa(dir, PemFiles.certificates(crt, "development CA").get(0),
                        PemFiles.privateKey(key, "development CA key"), false);
                KeyPair kp = ecKeyPair();
                X500Name name = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Fabric Stitch")
                    .addRDN(BCStyle.CN, "Fabric Stitch development CA").build();
                X509Certificate ca = sign(builder(name, name, kp.getPublic(), CA_VALIDITY)
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                        new JcaX509ExtensionUtils().createSubjectKeyIdentifier(kp.getPublic())), kp.getPrivate());
                // The key first: a CA is present once its certificate is.
                PemFiles.writeKey(key, kp.getPrivate());
                PemFiles.writeCertificates(crt, List.of(ca));
                return new DevelopmentCa(dir, ca, kp.getPrivate(), true);
            }
        }
    }

    /** A new EC P-256 key pair. */
    static KeyPair ecKeyPair() throws GeneralSecurityException {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
        return g.generateKeyPair();
    }

    /**
     * A certificate for {@code nodeName} and its key pair's public key, signed by this CA: CN and a SAN with the name
     * (a DNS name when the name is one, else a URI {@code urn:fabric-stitch:node:<name>}), for TLS server and client.
     */
    X509Certificate issue(String nodeName, PublicKey publicKey) throws IOException, GeneralSecurityException {
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Fabric Stitch")
            .addRDN(BCStyle.CN, nodeName).build();
        GeneralName san = DNS_NAME.matcher(nodeName).matches() ? new GeneralName(GeneralName.dNSName, nodeName)
            : new GeneralName(GeneralName.uniformResourceIdentifier, "urn:fabric-stitch:node:" + nodeName);
        JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
        return sign(builder(X500Name.getInstance(cert.getSubjectX500Principal().getEncoded()), subject, publicKey,
            NODE_VALIDITY)
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
            .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
            .addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(new KeyPurposeId[] {
                KeyPurposeId.id_kp_serverAuth, KeyPurposeId.id_kp_clientAuth}))
            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(san))
            .addExtension(Extension.subjectKeyIdentifier, false, ext.createSubjectKeyIdentifier(publicKey))
            .addExtension(Extension.authorityKeyIdentifier, false, ext.createAuthorityKeyIdentifier(cert)), key);
    }

    private static X509v3CertificateBuilder builder(X500Name issuer, X500Name subject, PublicKey publicKey,
        Duration validity) {
        Instant now = Instant.now();
        return new JcaX509v3CertificateBuilder(issuer, new BigInteger(127, RANDOM).add(BigInteger.ONE),
            Date.from(now.minus(BACKDATE)), Date.from(now.plus(validity)), subject, publicKey);
    }

    private static X509Certificate sign(X509v3CertificateBuilder b, PrivateKey signer)
        throws GeneralSecurityException {
        try {
            return new JcaX509CertificateConverter().getCertificate(b.build(new JcaContentSignerBuilder(
                "SHA256withECDSA").build(signer)));
        }
        catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with the development CA's key: " + e.getMessage(), e);
        }
    }

    Path directory() {
        return dir;
    }

    X509Certificate certificate() {
        return cert;
    }

    /** Whether this call created the CA (rather than loading it). */
    boolean created() {
        return created;
    }
}
