package io.fabricstitch.agent.datapath;

import io.fabricstitch.internal.Checks;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLException;

/**
 * What a node needs for the data path's TLS: its certificate chain and private key, and the certificates it trusts
 * (the cluster's CA). Immutable. Both ends authenticate: the server requires a client certificate, and each side
 * accepts only a peer whose chain leads to a trusted certificate. Host names are <b>not</b> verified: peers are
 * authenticated by the cluster's private CA, which signs only cluster nodes, and nodes are reached by address.
 * TLS 1.3 only.
 * <p>
 * In production, load certificates from configuration with {@link #ofPem}. {@link #development} makes a throw-away
 * CA for a laptop or a test cluster, and says so loudly in the log. Key material is never logged.
 */
public final class TlsMaterial {
    private static final System.Logger LOG = System.getLogger(TlsMaterial.class.getName());

    private static final String TLS_13 = "TLSv1.3";

    private final List<X509Certificate> chain;
    private final PrivateKey key;
    private final List<X509Certificate> trusted;
    private final String source;

    private TlsMaterial(List<X509Certificate> chain, PrivateKey key, List<X509Certificate> trusted, String source) {
        this.chain = List.copyOf(chain);
        this.key = key;
        this.trusted = List.copyOf(trusted);
        this.source = source;
    }

    /**
     * Loads PEM files.
     *
     * @param certificateChain this node's certificate first, then any intermediate CAs
     * @param privateKey this node's key, unencrypted PKCS#8 ({@code BEGIN PRIVATE KEY})
     * @param trustedCertificates the CA certificate(s) a peer's chain must lead to
     * @throws IllegalArgumentException naming the file and what is wrong when one cannot be read or is invalid, or
     *     when the key does not belong to the certificate
     */
    public static TlsMaterial ofPem(Path certificateChain, Path privateKey, Path trustedCertificates) {
        Checks.notNull(certificateChain, "certificateChain");
        Checks.notNull(privateKey, "privateKey");
        Checks.notNull(trustedCertificates, "trustedCertificates");
        List<X509Certificate> chain = PemFiles.certificates(certificateChain, "certificateChain");
        PrivateKey key = PemFiles.privateKey(privateKey, "privateKey");
        List<X509Certificate> trusted = PemFiles.certificates(trustedCertificates, "trustedCertificates");
        if (!matches(key, chain.get(0).getPublicKey()))
            throw new IllegalArgumentException("privateKey: " + privateKey + " does not belong to the first "
                + "certificate of " + certificateChain + ", " + chain.get(0).getSubjectX500Principal()
                + " (expected: the private key of that certificate)");
        return new TlsMaterial(chain, key, trusted, "PEM " + certificateChain);
    }

    /**
     * DEVELOPMENT MODE: a certificate for {@code nodeName} issued by a self-signed development CA kept in
     * {@code directory} ({@code dev-ca.crt}, and {@code dev-ca.key} readable by its owner only where the file system
     * allows), created the first time; nodes of one host sharing the directory share the CA and so trust each other.
     * The node's key is new on each call and kept in memory only. Logs a WARNING: anyone who can read the CA key can
     * join, so production needs certificates from configuration ({@link #ofPem}).
     *
     * @throws IllegalStateException when the directory or the CA cannot be created or read
     */
    public static TlsMaterial development(Path directory, String nodeName) {
        Checks.notNull(directory, "directory");
        Checks.name(nodeName, "nodeName");
        DevelopmentCa ca;
        KeyPair kp;
        X509Certificate cert;
        try {
            ca = DevelopmentCa.loadOrCreate(directory.toAbsolutePath());
            kp = DevelopmentCa.ecKeyPair();
            cert = ca.issue(nodeName, kp.getPublic());
        }
        catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("directory: " + directory + ": the development CA could not be created "
                + "or read: " + e.getMessage() + " (expected: a writable directory holding " + DevelopmentCa.CA_CERT
                + " and " + DevelopmentCa.CA_KEY + " made by this method, or none)", e);
        }
        LOG.log(Level.WARNING, "DEVELOPMENT MODE: the data path of node '" + nodeName + "' uses a DEVELOPMENT "
            + "certificate issued by the self-signed development CA " + ca.directory().resolve(DevelopmentCa.CA_CERT)
            + (ca.created() ? " (created now)" : "") + "; anyone who can read " + DevelopmentCa.CA_KEY
            + " there can join the cluster (expected in production: certificates from configuration, "
            + "TlsMaterial.ofPem)");
        return new TlsMaterial(List.of(cert, ca.certificate()), kp.getPrivate(), List.of(ca.certificate()),
            "development CA " + ca.directory());
    }

    private static boolean matches(PrivateKey key, PublicKey pub) {
        String alg = "EC".equals(key.getAlgorithm()) ? "SHA256withECDSA" : "RSA".equals(key.getAlgorithm())
            ? "SHA256withRSA" : key.getAlgorithm();
        try {
            byte[] probe = "fabric-stitch key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(alg);
            s.initSign(key);
            s.update(probe);
            byte[] sig = s.sign();
            Signature v = Signature.getInstance(alg);
            v.initVerify(pub);
            v.update(probe);
            return v.verify(sig);
        }
        catch (GeneralSecurityException e) {
            return false;
        }
    }

    /** This node's certificate, then the rest of its chain. */
    public List<X509Certificate> certificateChain() {
        return chain;
    }

    /** The certificates a peer's chain must lead to. */
    public List<X509Certificate> trustedCertificates() {
        return trusted;
    }

    /**
     * A new server context: TLS 1.3 only, this node's certificate, a client certificate required and checked against
     * the trusted certificates.
     */
    public SslContext serverContext() {
        return build(SslContextBuilder.forServer(key, chain).clientAuth(ClientAuth.REQUIRE));
    }

    /**
     * A new client context: TLS 1.3 only, this node's certificate as the client certificate, the server's checked
     * against the trusted certificates; no host name verification.
     */
    public SslContext clientContext() {
        return build(SslContextBuilder.forClient().keyManager(key, chain).endpointIdentificationAlgorithm(null));
    }

    private SslContext build(SslContextBuilder b) {
        try {
            return b.sslProvider(provider()).protocols(TLS_13).trustManager(trusted).build();
        }
        catch (SSLException e) {
            throw new IllegalStateException("tls: " + this + " cannot make a TLS context: " + e.getMessage()
                + " (expected: a JDK with TLS 1.3 and the keys' algorithms)", e);
        }
    }

    /**
     * A JDK context (TLS 1.2 and 1.3) with this node's key and chain, trusting {@link #trustedCertificates()}: for the
     * connectors Ignite runs itself (JDBC/thin clients, discovery, communication), which take a JDK context. Whether a
     * client certificate is required is the connector's setting.
     */
    public javax.net.ssl.SSLContext jdkContext() {
        try {
            char[] pass = new char[0];
            java.security.KeyStore keys = keyStore(pass);
            javax.net.ssl.KeyManagerFactory kmf = javax.net.ssl.KeyManagerFactory.getInstance(
                javax.net.ssl.KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, pass);
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trustStore());
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
            return ctx;
        }
        catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("tls: " + this + " cannot make a JDK TLS context: " + e.getMessage()
                + " (expected: a JDK that knows the keys' algorithms)", e);
        }
    }

    /** This material's key and chain in a PKCS#12 key store (alias {@code fabric}) protected by {@code password}. */
    public java.security.KeyStore keyStore(char[] password) throws GeneralSecurityException, IOException {
        java.security.KeyStore ks = java.security.KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("fabric", key, password, chain.toArray(new X509Certificate[0]));
        return ks;
    }

    /** {@link #trustedCertificates()} in a PKCS#12 trust store. */
    public java.security.KeyStore trustStore() throws GeneralSecurityException, IOException {
        java.security.KeyStore ts = java.security.KeyStore.getInstance("PKCS12");
        ts.load(null, null);
        for (int i = 0; i < trusted.size(); i++)
            ts.setCertificateEntry("trusted-" + i, trusted.get(i));
        return ts;
    }

    /**
     * Writes this material as PEM files, as {@link #ofPem} reads them: the chain, the key (readable by its owner only
     * where the file system allows) and the trusted certificates.
     */
    public void writePem(Path certificateChain, Path privateKey, Path trustedCertificates) throws IOException {
        PemFiles.writeCertificates(certificateChain, chain);
        PemFiles.writeKey(privateKey, key);
        PemFiles.writeCertificates(trustedCertificates, trusted);
    }

    /** BoringSSL (netty-tcnative) where it loads: several times the JDK's speed; the JDK's TLS otherwise. */
    public static SslProvider provider() {
        return OpenSsl.isAvailable() && SslProvider.isTlsv13Supported(SslProvider.OPENSSL) ? SslProvider.OPENSSL : SslProvider.JDK;
    }

    @Override
    public String toString() {
        return "TlsMaterial [subject=" + chain.get(0).getSubjectX500Principal().getName() + ", issuer="
            + chain.get(0).getIssuerX500Principal().getName() + ", trusted=" + trusted.size() + " certificate(s), "
            + "source=" + source + ']';
    }
}
