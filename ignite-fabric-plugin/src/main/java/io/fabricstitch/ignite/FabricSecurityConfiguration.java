package io.fabricstitch.ignite;

import java.util.ArrayList;
import java.util.List;

/**
 * Who may talk to the cluster, when on ({@code FabricPluginConfiguration.security}): every node (server or thick
 * client) must present the cluster secret to join, and every JDBC or thin client must log in as one of
 * {@link #setUsers users}, by password or by client certificate. A {@code READER} can read every table and change
 * nothing; no client can cancel the orchestrator, call its service, or change a table of schema {@code FABRIC}
 * unless it is an {@code ADMIN}. Off by default (the shipped single-host configurations bind to loopback); see the
 * security model in docs/operations.md. The cluster secret is the plugin's {@code beaconSecret} (or its file or
 * environment variable), the same on every node. A Spring bean:
 * <pre>{@code
 * <property name="security">
 *     <bean class="io.fabricstitch.ignite.FabricSecurityConfiguration">
 *         <property name="users"><list>
 *             <bean class="io.fabricstitch.ignite.FabricUser">
 *                 <property name="login" value="grafana"/>
 *                 <property name="certificateCn" value="grafana"/>
 *             </bean>
 *         </list></property>
 *     </bean>
 * </property>}</pre>
 */
public final class FabricSecurityConfiguration implements java.io.Serializable {
    private static final long serialVersionUID = 1L;

    private List<FabricUser> users = new ArrayList<>();

    /** The JDBC and thin-client users. */
    public FabricSecurityConfiguration setUsers(List<FabricUser> users) {
        this.users = users == null ? new ArrayList<>() : new ArrayList<>(users);
        return this;
    }

    public List<FabricUser> getUsers() {
        return users;
    }

    /**
     * @throws IllegalArgumentException naming the user and what is wrong, or a login given twice
     */
    public void validate() {
        java.util.Set<String> logins = new java.util.HashSet<>();
        java.util.Set<String> cns = new java.util.HashSet<>();
        for (FabricUser u : users) {
            u.validate();
            if (!logins.add(u.getLogin()))
                throw new IllegalArgumentException("security.users: login '" + u.getLogin() + "' given twice "
                    + "(expected: one FabricUser per login)");
            if (u.getCertificateCn() != null && !cns.add(u.getCertificateCn()))
                throw new IllegalArgumentException("security.users: certificateCn '" + u.getCertificateCn()
                    + "' given twice (expected: one FabricUser per certificate CN)");
        }
    }
}
