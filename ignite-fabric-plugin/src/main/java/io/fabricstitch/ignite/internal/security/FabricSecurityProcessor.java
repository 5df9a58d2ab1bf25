package io.fabricstitch.ignite.internal.security;

import io.fabricstitch.ignite.FabricSecurityConfiguration;
import io.fabricstitch.ignite.FabricUser;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import javax.naming.InvalidNameException;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.Rdn;
import org.apache.ignite.IgniteCheckedException;
import org.apache.ignite.cluster.ClusterNode;
import org.apache.ignite.internal.GridKernalContext;
import org.apache.ignite.internal.IgniteNodeAttributes;
import org.apache.ignite.internal.processors.GridProcessorAdapter;
import org.apache.ignite.internal.processors.security.GridSecurityProcessor;
import org.apache.ignite.internal.processors.security.SecurityContext;
import org.apache.ignite.plugin.security.AuthenticationContext;
import org.apache.ignite.plugin.security.SecurityCredentials;
import org.apache.ignite.plugin.security.SecurityException;
import org.apache.ignite.plugin.security.SecurityPermission;
import org.apache.ignite.plugin.security.SecuritySubject;
import org.apache.ignite.plugin.security.SecuritySubjectType;
import org.apache.ignite.spi.discovery.DiscoverySpi;
import org.apache.ignite.spi.discovery.DiscoverySpiListener;
import org.apache.ignite.spi.discovery.tcp.TcpDiscoverySpi;

/**
 * The plugin's security processor (Ignite's internal security SPI): nodes join with the cluster secret as their
 * credentials; JDBC and thin clients log in as a {@link FabricUser}, by password or by the CN of their client
 * certificate; {@code READER}s may read and nothing else. Each user's subject id is derived from the login, so that
 * every node resolves it alike without shared state. Ignite checks no permission for ALTER TABLE and CREATE or DROP
 * INDEX: the {@link SchemaChangeGuard} refuses those for readers. Not API.
 */
public final class FabricSecurityProcessor extends GridProcessorAdapter implements GridSecurityProcessor {
    /** The login every node presents; its password is the cluster secret. */
    static final String NODE_LOGIN = "fabric-stitch-node";

    private final SecurityCredentials nodeCredentials;
    private final Map<String, User> users = new HashMap<>();
    private final Map<String, User> byCertificateCn = new HashMap<>();
    /** Every user's context by subject id: Ignite asks for it on every message sent under a user's context. */
    private final Map<UUID, FabricSecurityContext> bySubject = new HashMap<>();

    /** A user as checked at login. */
    private static final class User {
        final String login;
        final byte[] password;
        final Access access;

        User(String login, String password, Access access) {
            this.login = login;
            this.password = password == null ? null : password.getBytes(StandardCharsets.UTF_8);
            this.access = access;
        }
    }

    public FabricSecurityProcessor(GridKernalContext ctx, FabricSecurityConfiguration cfg, String clusterSecret) {
        super(ctx);
        // Nodes present a key derived from the secret, not the secret itself (which also signs beacons).
        this.nodeCredentials = new SecurityCredentials(NODE_LOGIN, nodePassword(clusterSecret));
        for (FabricUser u : cfg.getUsers()) {
            User user = new User(u.getLogin(), u.effectivePassword(), Access.of(u.role()));
            users.put(u.getLogin(), user);
            bySubject.put(subjectId(u.getLogin()), context(user, null));
            if (u.getCertificateCn() != null)
                byCertificateCn.put(u.getCertificateCn(), user);
        }
    }

    /** HMAC-SHA256 of a fixed label under the cluster secret, hex. */
    static String nodePassword(String clusterSecret) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(clusterSecret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return java.util.HexFormat.of().formatHex(mac.doFinal(
                "fabric-stitch/node-join/v1".getBytes(StandardCharsets.UTF_8)));
        }
        catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JVM: " + e.getMessage(), e);
        }
    }

    static UUID subjectId(String login) {
        return UUID.nameUUIDFromBytes(("fabric-stitch-user:" + login).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void start() throws IgniteCheckedException {
        // Ignite sends a joining node's credentials from this attribute, which nothing else sets.
        ctx.addNodeAttribute(IgniteNodeAttributes.ATTR_SECURITY_CREDENTIALS, nodeCredentials);
        if (ctx.config().getSslContextFactory() == null)
            log.warning("Fabric Stitch: security on without TLS between nodes (IgniteConfiguration.sslContextFactory "
                + "unset): the node credentials and all cluster traffic cross the network in clear; set a "
                + "PemSslContextFactory as in config/fabric-server-secure.xml unless every node is on this host");
    }

    @Override
    public void onKernalStart(boolean active) throws IgniteCheckedException {
        if (ctx.clientNode())
            return;
        DiscoverySpi spi = ctx.config().getDiscoverySpi();
        try {
            if (!(spi instanceof TcpDiscoverySpi))
                throw new ReflectiveOperationException("discovery SPI is " + spi.getClass().getName());
            Field f = TcpDiscoverySpi.class.getDeclaredField("lsnr");
            f.setAccessible(true);
            DiscoverySpiListener current = (DiscoverySpiListener)f.get(spi);
            if (!(current instanceof SchemaChangeGuard))
                spi.setListener(new SchemaChangeGuard(current, this::contextOf, log));
        }
        catch (ReflectiveOperationException | RuntimeException e) {
            // Fail closed: a node that cannot refuse readers' schema changes would let them through.
            throw new IgniteCheckedException("Fabric Stitch: security is on, but this node cannot refuse readers' "
                + "ALTER TABLE and CREATE/DROP INDEX, for which Ignite checks no permission: " + e + " (expected: "
                + "TcpDiscoverySpi as the discovery SPI)", e);
        }
    }

    @Override
    public SecurityContext authenticateNode(ClusterNode node, SecurityCredentials credentials) {
        if (credentials == null || !same(credentials.getLogin(), nodeCredentials.getLogin())
            | !same(credentials.getPassword(), nodeCredentials.getPassword())) {
            log.warning("Fabric Stitch: refused node " + node.consistentId() + " at " + node.addresses() + ": it did "
                + "not present the cluster secret (expected: the same network.beaconSecret, network.beaconSecretFile "
                + "or FABRIC_BEACON_SECRET on every node, and security on every node)");
            return null;
        }
        // The subject id is the node id: Ignite resolves nodes' contexts itself.
        return new FabricSecurityContext(new FabricSubject(node.id(), SecuritySubjectType.REMOTE_NODE,
            node.consistentId(), null), Access.NODE);
    }

    @Override
    public boolean isGlobalNodeAuthentication() {
        return false;
    }

    @Override
    public SecurityContext authenticate(AuthenticationContext actx) {
        SecurityCredentials c = actx.credentials();
        User user = null;
        if (c != null && c.getLogin() != null) {
            User u = users.get(c.getLogin().toString());
            if (u != null && u.password != null && c.getPassword() != null
                && MessageDigest.isEqual(u.password, c.getPassword().toString().getBytes(StandardCharsets.UTF_8)))
                user = u;
        }
        else
            user = byCertificate(actx.certificates());
        if (user == null)
            return null;
        return context(user, actx.address());
    }

    private User byCertificate(Certificate[] chain) {
        if (chain == null || chain.length == 0 || !(chain[0] instanceof X509Certificate))
            return null;
        String cn = commonName((X509Certificate)chain[0]);
        return cn == null ? null : byCertificateCn.get(cn);
    }

    static String commonName(X509Certificate cert) {
        try {
            for (Rdn rdn : new LdapName(cert.getSubjectX500Principal().getName()).getRdns()) {
                if ("CN".equalsIgnoreCase(rdn.getType()))
                    return String.valueOf(rdn.getValue());
            }
        }
        catch (InvalidNameException e) {
            return null;
        }
        return null;
    }

    private static FabricSecurityContext context(User u, java.net.InetSocketAddress address) {
        return new FabricSecurityContext(new FabricSubject(subjectId(u.login), SecuritySubjectType.REMOTE_CLIENT,
            u.login, address), u.access);
    }

    /** The context of a user's subject id; null for anything else (Ignite resolves nodes itself). */
    @Override
    public SecurityContext securityContext(UUID subjectId) {
        return contextOf(subjectId);
    }

    private FabricSecurityContext contextOf(UUID subjectId) {
        return subjectId == null ? null : bySubject.get(subjectId);
    }

    @Override
    public Collection<SecuritySubject> authenticatedSubjects() {
        Collection<SecuritySubject> all = new ArrayList<>();
        for (FabricSecurityContext c : bySubject.values())
            all.add(c.subject());
        return all;
    }

    @Override
    public SecuritySubject authenticatedSubject(UUID subjectId) {
        SecurityContext c = contextOf(subjectId);
        return c == null ? null : c.subject();
    }

    @Override
    public void authorize(String name, SecurityPermission permission, SecurityContext sctx) throws SecurityException {
        Access access = sctx instanceof FabricSecurityContext ? ((FabricSecurityContext)sctx).access() : null;
        if (access != null && access.allows(name, permission))
            return;
        throw new SecurityException("Fabric Stitch: " + (sctx == null ? "an unknown subject" : sctx.subject())
            + " may not " + permission + (name == null ? "" : " on " + name) + " (allowed: reads and SELECT; an "
            + "ADMIN user or a cluster node may change things; see the security model in docs/operations.md)");
    }

    @Override
    public void onSessionExpired(UUID subjectId) {
        // No per-session state.
    }

    @Override
    public boolean enabled() {
        return true;
    }

    private static boolean same(Object a, Object b) {
        byte[] x = a == null ? new byte[0] : a.toString().getBytes(StandardCharsets.UTF_8);
        byte[] y = b == null ? new byte[0] : b.toString().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(x, y);
    }
}
