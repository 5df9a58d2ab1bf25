package io.fabricstitch.ignite;

import io.fabricstitch.agent.datapath.TlsMaterial;
import java.nio.file.Path;
import javax.cache.configuration.Factory;
import javax.net.ssl.SSLContext;

/**
 * A TLS context for Ignite's own connectors from PEM files, the same files the data path reads: set it as the
 * {@code sslContextFactory} of a {@code ClientConnectorConfiguration} (JDBC and thin clients; with
 * {@code useIgniteSslContextFactory=false} and {@code sslClientAuth=true}, a client needs a certificate the trusted
 * CAs issued), or of the {@code IgniteConfiguration} (discovery and communication between nodes). A Spring bean:
 * <pre>{@code
 * <bean class="io.fabricstitch.ignite.PemSslContextFactory">
 *     <property name="certificateChain" value="/etc/fabric-stitch/node.crt"/>
 *     <property name="privateKey" value="/etc/fabric-stitch/node.key"/>
 *     <property name="trustedCertificates" value="/etc/fabric-stitch/ca.crt"/>
 * </bean>}</pre>
 * The files are read when Ignite asks for the context, so a missing or wrong file stops the node at start with a
 * message naming it.
 */
public final class PemSslContextFactory implements Factory<SSLContext> {
    private static final long serialVersionUID = 1L;

    private String certificateChain;
    private String privateKey;
    private String trustedCertificates;

    /** This node's certificate, then any intermediate CAs (PEM). */
    public PemSslContextFactory setCertificateChain(String certificateChain) {
        this.certificateChain = certificateChain;
        return this;
    }

    /** This node's key, unencrypted PKCS#8 PEM ({@code BEGIN PRIVATE KEY}). */
    public PemSslContextFactory setPrivateKey(String privateKey) {
        this.privateKey = privateKey;
        return this;
    }

    /** The CA certificate(s) a peer's (or a client's) certificate must lead to (PEM). */
    public PemSslContextFactory setTrustedCertificates(String trustedCertificates) {
        this.trustedCertificates = trustedCertificates;
        return this;
    }

    public String getCertificateChain() {
        return certificateChain;
    }

    public String getPrivateKey() {
        return privateKey;
    }

    public String getTrustedCertificates() {
        return trustedCertificates;
    }

    /**
     * @throws IllegalArgumentException naming the property that is unset, or the file and what is wrong with it
     */
    @Override
    public SSLContext create() {
        return TlsMaterial.ofPem(path(certificateChain, "certificateChain"), path(privateKey, "privateKey"),
            path(trustedCertificates, "trustedCertificates")).jdkContext();
    }

    private static Path path(String value, String property) {
        if (value == null || value.isBlank())
            throw new IllegalArgumentException("PemSslContextFactory." + property + ": not set (expected: the path of "
                + "a PEM file)");
        return Path.of(value.trim());
    }
}
